// Every frame the pipeline does not answer, one per drop reason it can reach: each case names
// its input and the one reason that must be counted.
#include "tests/unit/net/net_harness.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ringcast::test {
namespace {

using stats::DropReason;

struct DropCase {
    std::string name;
    Bytes frame;
    DropReason reason;
};

// Well-formed starting points the cases below break one thing in.
PacketBuilder udp4() {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, kVip4)
        .udp(40000, 53)
        .payload(Bytes(12, 0));
}
PacketBuilder udp6() {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv6(kClient6, kVip6)
        .udp(40000, 53)
        .payload(Bytes(12, 0));
}
PacketBuilder ping4() {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, kVip4)
        .icmp4_echo(7, 1)
        .payload(Bytes(16, 0xab));
}
PacketBuilder ping6() {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv6(kClient6, kVip6)
        .icmp6_echo(7, 1)
        .payload(Bytes(16, 0xab));
}
PacketBuilder solicit(const Ip6& src = kClient6, const Ip6& dst = kVip6SolicitedNode,
                      const Ip6& target = kVip6) {
    return PacketBuilder()
        .eth(kClientMac, mac("33:33:ff:00:00:53"))
        .ipv6(src, dst)
        .neighbour_solicitation(target);
}
PacketBuilder arp() {
    return PacketBuilder().eth(kClientMac, kBroadcastMac).arp_request(kClientMac, kClient4, kVip4);
}

std::vector<DropCase> drop_cases() {
    std::vector<DropCase> cases;
    auto add = [&](std::string name, Bytes frame, DropReason reason) {
        cases.push_back({std::move(name), std::move(frame), reason});
    };

    // ---- Ethernet
    add("empty frame", {}, DropReason::eth_truncated);
    add("13-byte frame", udp4().truncate_to(13).build(), DropReason::eth_truncated);
    add("unicast to another MAC", udp4().eth(kClientMac, kOtherMac).build(),
        DropReason::eth_not_for_us);
    add("multicast source MAC", udp4().eth(mac("01:00:5e:00:00:01"), kPortMac).build(),
        DropReason::eth_bad_source);
    add("802.1Q VLAN tag", udp4().vlan(100).build(), DropReason::eth_unsupported_type);
    add("802.1ad QinQ tag", udp4().vlan(100, 0x88a8).build(), DropReason::eth_unsupported_type);
    add("unknown EtherType", udp4().ether_type(0x88cc).build(), DropReason::eth_unsupported_type);

    // ---- ARP
    add("ARP truncated", arp().truncate_to(kEthLen + 27).build(), DropReason::arp_malformed);
    {
        ArpFields f;
        f.sender_mac = kClientMac;
        f.sender_ip = kClient4;
        f.target_ip = kVip4;
        ArpFields bad = f;
        bad.hardware_type = 6; // IEEE 802 networks
        add("ARP hardware type not Ethernet", arp().arp(bad).build(), DropReason::arp_malformed);
        bad = f;
        bad.protocol_type = 0x86dd;
        add("ARP protocol not IPv4", arp().arp(bad).build(), DropReason::arp_malformed);
        bad = f;
        bad.hardware_length = 8;
        add("ARP hardware length not 6", arp().arp(bad).build(), DropReason::arp_malformed);
        bad = f;
        bad.protocol_length = 16;
        add("ARP protocol length not 4", arp().arp(bad).build(), DropReason::arp_malformed);
        bad = f;
        bad.opcode = 2;
        add("ARP reply", arp().arp(bad).build(), DropReason::arp_not_request);
        bad = f;
        bad.target_ip = kOther4;
        add("ARP request for another address", arp().arp(bad).build(), DropReason::arp_not_vip);
    }

    // ---- IPv4
    add("IPv4 header truncated", udp4().truncate_to(kEthLen + 19).build(),
        DropReason::ipv4_truncated);
    add("IPv4 options past the frame", udp4().ipv4_ihl(15).truncate_to(kEthLen + 40).build(),
        DropReason::ipv4_truncated);
    add("IPv4 version 5", udp4().ip_version(5).build(), DropReason::ipv4_bad_header);
    add("IPv4 IHL 4", udp4().ipv4_ihl(4).build(), DropReason::ipv4_bad_header);
    add("IPv4 total length past the frame", udp4().ipv4_total_length(kIpv4Len + 21).build(),
        DropReason::ipv4_bad_length);
    add("IPv4 total length shorter than the header", udp4().ipv4_total_length(19).build(),
        DropReason::ipv4_bad_length);
    add("IPv4 frame cut short", udp4().truncate_to(kEthLen + kIpv4Len + 10).build(),
        DropReason::ipv4_bad_length);
    add("IPv4 bad header checksum", udp4().corrupt_ipv4_checksum().build(),
        DropReason::ipv4_bad_checksum);
    add("IPv4 first fragment (MF)", udp4().ipv4_flags_fragment(0x2000).build(),
        DropReason::ipv4_fragment);
    add("IPv4 later fragment (offset)", udp4().ipv4_flags_fragment(0x0004).build(),
        DropReason::ipv4_fragment);
    add("IPv4 source 0.0.0.0", udp4().ipv4(ip4("0.0.0.0"), kVip4).build(),
        DropReason::ipv4_bad_source);
    add("IPv4 source loopback", udp4().ipv4(ip4("127.0.0.1"), kVip4).build(),
        DropReason::ipv4_bad_source);
    add("IPv4 source multicast", udp4().ipv4(ip4("224.0.0.1"), kVip4).build(),
        DropReason::ipv4_bad_source);
    add("IPv4 source broadcast", udp4().ipv4(ip4("255.255.255.255"), kVip4).build(),
        DropReason::ipv4_bad_source);
    add("IPv4 to another address", udp4().ipv4(kClient4, kOther4).build(),
        DropReason::ipv4_not_vip);
    add("IPv4 to the broadcast address", ping4().ipv4(kClient4, ip4("255.255.255.255")).build(),
        DropReason::ipv4_not_vip);
    add("IPv4 TCP",
        PacketBuilder()
            .eth(kClientMac, kPortMac)
            .ipv4(kClient4, kVip4)
            .ip_protocol(6)
            .payload(Bytes(20, 0))
            .build(),
        DropReason::tcp_unserved);
    add("IPv4 GRE",
        PacketBuilder()
            .eth(kClientMac, kPortMac)
            .ipv4(kClient4, kVip4)
            .ip_protocol(47)
            .payload(Bytes(8, 0))
            .build(),
        DropReason::ipv4_unsupported_protocol);

    // ---- ICMP
    add("ICMP header truncated", ping4().payload({}).ipv4_total_length(kIpv4Len + 7).build(),
        DropReason::icmp4_truncated);
    add("ICMP bad checksum", ping4().corrupt_l4_checksum().build(), DropReason::icmp4_bad_checksum);
    add("ICMP echo reply", ping4().icmp(0, 0, 0x00070001).build(),
        DropReason::icmp4_unsupported_type);
    add("ICMP echo request with code 1", ping4().icmp(8, 1, 0x00070001).build(),
        DropReason::icmp4_unsupported_type);
    add("ICMP destination unreachable", ping4().icmp(3, 3).build(),
        DropReason::icmp4_unsupported_type);

    // ---- UDP over IPv4
    add("UDP/IPv4 header truncated", udp4().payload({}).ipv4_total_length(kIpv4Len + 7).build(),
        DropReason::udp_truncated);
    add("UDP/IPv4 length past the IP payload", udp4().udp_length(8 + 13).build(),
        DropReason::udp_bad_length);
    add("UDP/IPv4 length below the header", udp4().udp_length(7).build(),
        DropReason::udp_bad_length);
    add("UDP/IPv4 bad checksum", udp4().corrupt_l4_checksum().build(),
        DropReason::udp_bad_checksum);
    add("UDP/IPv4 source port 0", udp4().udp(0, 53).build(), DropReason::udp_bad_source_port);
    add("UDP/IPv4 port 123", udp4().udp(40000, 123).build(), DropReason::udp_port_unserved);

    // ---- IPv6
    add("IPv6 header truncated", udp6().truncate_to(kEthLen + 39).build(),
        DropReason::ipv6_truncated);
    add("IPv6 version 4", udp6().ip_version(4).build(), DropReason::ipv6_bad_header);
    add("IPv6 payload length past the frame", udp6().ipv6_payload_length(21).build(),
        DropReason::ipv6_bad_length);
    add("IPv6 frame cut short", udp6().truncate_to(kEthLen + kIpv6Len + 10).build(),
        DropReason::ipv6_bad_length);
    add("IPv6 source multicast", udp6().ipv6(ip6("ff02::1"), kVip6).build(),
        DropReason::ipv6_bad_source);
    add("IPv6 source loopback", udp6().ipv6(ip6("::1"), kVip6).build(),
        DropReason::ipv6_bad_source);
    add("IPv6 UDP from ::", udp6().ipv6(kUnspecified6, kVip6).build(), DropReason::ipv6_bad_source);
    add("IPv6 echo from ::", ping6().ipv6(kUnspecified6, kVip6).build(),
        DropReason::ipv6_bad_source);
    add("IPv6 to another address", udp6().ipv6(kClient6, kOther6).build(),
        DropReason::ipv6_not_vip);
    add("IPv6 UDP to a VIP's solicited-node group",
        udp6().ipv6(kClient6, kVip6SolicitedNode).build(), DropReason::ipv6_not_vip);
    add("IPv6 echo to a VIP's solicited-node group",
        ping6().ipv6(kClient6, kVip6SolicitedNode).build(), DropReason::ipv6_not_vip);
    add("IPv6 solicitation to another solicited-node group",
        solicit(kClient6, ip6("ff02::1:ff00:99"), kOther6).build(), DropReason::ipv6_not_vip);
    add("IPv6 TCP",
        PacketBuilder()
            .eth(kClientMac, kPortMac)
            .ipv6(kClient6, kVip6)
            .ip_protocol(6)
            .payload(Bytes(20, 0))
            .build(),
        DropReason::tcp_unserved);
    for (const uint8_t next_header : {0, 43, 44, 60}) {
        add("IPv6 extension header " + std::to_string(next_header),
            PacketBuilder()
                .eth(kClientMac, kPortMac)
                .ipv6(kClient6, kVip6)
                .ip_protocol(next_header)
                .payload(Bytes(16, 0))
                .build(),
            DropReason::ipv6_extension_header);
    }
    add("IPv6 no next header",
        PacketBuilder().eth(kClientMac, kPortMac).ipv6(kClient6, kVip6).ip_protocol(59).build(),
        DropReason::ipv6_unsupported_protocol);

    // ---- ICMPv6
    add("ICMPv6 header truncated", ping6().payload({}).ipv6_payload_length(3).build(),
        DropReason::icmp6_truncated);
    add("ICMPv6 echo truncated", ping6().icmp_message({128, 0, 0, 0, 0, 7}).build(),
        DropReason::icmp6_truncated);
    add("ICMPv6 bad checksum", ping6().corrupt_l4_checksum().build(),
        DropReason::icmp6_bad_checksum);
    add("ICMPv6 echo with code 1", ping6().icmp(128, 1, 0x00070001).build(),
        DropReason::icmp6_unsupported_type);
    add("ICMPv6 router advertisement", ping6().icmp(134, 0).build(),
        DropReason::icmp6_unsupported_type);
    add("ICMPv6 neighbour advertisement", ping6().icmp(136, 0).payload(Bytes(16, 0)).build(),
        DropReason::icmp6_unsupported_type);

    // ---- Neighbour solicitations (RFC 4861 §7.1.1)
    add("NS hop limit 64", solicit().ttl(64).build(), DropReason::nd_malformed);
    add("NS code 1", solicit().icmp(135, 1).build(), DropReason::nd_malformed);
    {
        Bytes short_ns{135, 0, 0, 0, 0, 0, 0, 0};
        append(short_ns, Bytes(kVip6.begin(), kVip6.end() - 1)); // 23 bytes
        add("NS shorter than 24 bytes", solicit().icmp_message(short_ns).build(),
            DropReason::nd_malformed);
    }
    add("NS for a multicast target", solicit(kClient6, kVip6, ip6("ff02::1")).build(),
        DropReason::nd_malformed);
    add("NS option of length 0", solicit().nd_option({1, 0, 0, 0, 0, 0, 0, 0}).build(),
        DropReason::nd_malformed);
    add("NS option past the message", solicit().nd_option({1, 2, 0, 0, 0, 0, 0, 0}).build(),
        DropReason::nd_malformed);
    add("NS option header cut", solicit().nd_option({1}).build(), DropReason::nd_malformed);
    add("DAD NS with a source link-layer option",
        solicit(kUnspecified6).nd_source_link_layer(kClientMac).build(), DropReason::nd_malformed);
    add("DAD NS to a unicast address", solicit(kUnspecified6, kVip6).build(),
        DropReason::nd_malformed);
    add("NS for another address", solicit(kClient6, kVip6, kOther6).build(),
        DropReason::nd_not_vip);

    // ---- UDP over IPv6
    add("UDP/IPv6 header truncated", udp6().payload({}).ipv6_payload_length(7).build(),
        DropReason::udp_truncated);
    add("UDP/IPv6 length past the IP payload", udp6().udp_length(8 + 13).build(),
        DropReason::udp_bad_length);
    add("UDP/IPv6 bad checksum", udp6().corrupt_l4_checksum().build(),
        DropReason::udp_bad_checksum);
    add("UDP/IPv6 zero checksum", udp6().udp_checksum(0).build(), DropReason::udp_bad_checksum);
    add("UDP/IPv6 source port 0", udp6().udp(0, 53).build(), DropReason::udp_bad_source_port);
    add("UDP/IPv6 port 443", udp6().udp(40000, 443).build(), DropReason::udp_port_unserved);
    return cases;
}

} // namespace

TEST_CASE("every unanswerable frame is dropped with exactly its one reason", "[net][drop]") {
    for (const DropCase& c : drop_cases()) {
        INFO(c.name);
        NetHarness h;
        const Bytes original = c.frame;
        const auto out = h.run(c.frame);
        CHECK(out.verdict == net::Verdict::kDrop);
        CHECK(h.counters.get(c.reason) == 1);
        CHECK(h.drops() == 1);
        CHECK(std::all_of(h.counters.counter.begin(), h.counters.counter.end(),
                          [](uint64_t n) { return n == 0; }));
        // Nothing is rewritten before the pipeline knows it will answer.
        CHECK(out.frame == original);
    }
}

TEST_CASE("every drop reason the L2-L4 pipeline owns has a case", "[net][drop]") {
    // nd_no_room needs a small buffer and has its own test; the others are all in the table.
    static constexpr DropReason kNetReasons[] = {
        DropReason::eth_truncated,
        DropReason::eth_not_for_us,
        DropReason::eth_bad_source,
        DropReason::eth_unsupported_type,
        DropReason::arp_malformed,
        DropReason::arp_not_request,
        DropReason::arp_not_vip,
        DropReason::ipv4_truncated,
        DropReason::ipv4_bad_header,
        DropReason::ipv4_bad_length,
        DropReason::ipv4_bad_checksum,
        DropReason::ipv4_bad_source,
        DropReason::ipv4_fragment,
        DropReason::ipv4_not_vip,
        DropReason::ipv4_unsupported_protocol,
        DropReason::ipv6_truncated,
        DropReason::ipv6_bad_header,
        DropReason::ipv6_bad_length,
        DropReason::ipv6_bad_source,
        DropReason::ipv6_not_vip,
        DropReason::ipv6_extension_header,
        DropReason::ipv6_unsupported_protocol,
        DropReason::icmp4_truncated,
        DropReason::icmp4_bad_checksum,
        DropReason::icmp4_unsupported_type,
        DropReason::icmp6_truncated,
        DropReason::icmp6_bad_checksum,
        DropReason::icmp6_unsupported_type,
        DropReason::nd_malformed,
        DropReason::nd_not_vip,
        DropReason::udp_truncated,
        DropReason::udp_bad_length,
        DropReason::udp_bad_checksum,
        DropReason::udp_bad_source_port,
        DropReason::udp_port_unserved,
        DropReason::tcp_unserved,
    };
    const std::vector<DropCase> cases = drop_cases();
    for (const DropReason reason : kNetReasons) {
        INFO(stats::kDropReasonInfo[static_cast<size_t>(reason)].name);
        CHECK(std::any_of(cases.begin(), cases.end(),
                          [&](const DropCase& c) { return c.reason == reason; }));
    }
}

} // namespace ringcast::test
