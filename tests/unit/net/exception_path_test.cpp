// The exception path's classification (PipelineConfig::exception_path): each case names its
// input frame and whether the pipeline answers it, hands it to the kernel untouched, or drops it.
#include "tests/unit/net/net_harness.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace ringcast::test {
namespace {

using net::Verdict;

const Ip4 kHost4 = ip4("192.0.2.2"); // the host's own address, on the TAP
const Ip6 kHost6 = ip6("2001:db8::2");
const Mac kLldpGroup = mac("01:80:c2:00:00:0e"); // IEEE 802.1AB nearest bridge
constexpr uint16_t kEtherTypeLldp = 0x88cc;
constexpr uint8_t kIpProtoTcp = 6;

struct ExceptionCase {
    std::string name;
    Bytes frame;
    Verdict verdict;
};

PacketBuilder tcp_to(const Ip4& dst) {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, dst)
        .ip_protocol(kIpProtoTcp)
        .payload(Bytes(20, 0));
}

Bytes arp_frame(uint16_t opcode, const Ip4& target) {
    ArpFields f;
    f.opcode = opcode;
    f.sender_mac = kClientMac;
    f.sender_ip = kClient4;
    f.target_ip = target;
    return PacketBuilder().eth(kClientMac, kBroadcastMac).arp(f).build();
}

Bytes solicitation(const Ip6& dst, const Ip6& target) {
    return PacketBuilder()
        .eth(kClientMac, mac("33:33:ff:00:00:53"))
        .ipv6(kClient6, dst)
        .neighbour_solicitation(target)
        .build();
}

std::vector<ExceptionCase> cases() {
    std::vector<ExceptionCase> c;
    auto add = [&](std::string name, Bytes frame, Verdict verdict) {
        c.push_back({std::move(name), std::move(frame), verdict});
    };
    // ---- Not for a VIP: the kernel's.
    add("ARP request for the host address", arp_frame(1, kHost4), Verdict::kToKernel);
    add("ARP reply (to the kernel's own request)", arp_frame(2, kHost4), Verdict::kToKernel);
    add("BGP TCP/179 to the host address", tcp_to(kHost4).build(), Verdict::kToKernel);
    add("IPv4 fragment to the host address", tcp_to(kHost4).ipv4_flags_fragment(0x2000).build(),
        Verdict::kToKernel);
    add("DHCP-like broadcast from 0.0.0.0",
        PacketBuilder()
            .eth(kClientMac, kBroadcastMac)
            .ipv4(ip4("0.0.0.0"), ip4("255.255.255.255"))
            .udp(68, 67)
            .payload(Bytes(8, 0))
            .build(),
        Verdict::kToKernel);
    add("ping6 to the host address",
        PacketBuilder()
            .eth(kClientMac, kPortMac)
            .ipv6(kClient6, kHost6)
            .icmp6_echo(7, 1)
            .payload(Bytes(16, 0))
            .build(),
        Verdict::kToKernel);
    add("NS for the host address to its own group", solicitation(ip6("ff02::1:ff00:2"), kHost6),
        Verdict::kToKernel);
    add("NS for another target to a VIP's group", solicitation(kVip6SolicitedNode, kOther6),
        Verdict::kToKernel);
    add("echo to a VIP's solicited-node group",
        PacketBuilder()
            .eth(kClientMac, mac("33:33:ff:00:00:53"))
            .ipv6(kClient6, kVip6SolicitedNode)
            .icmp6_echo(7, 1)
            .payload(Bytes(8, 0))
            .build(),
        Verdict::kToKernel);
    add("LLDP", PacketBuilder().eth(kClientMac, kLldpGroup).ether_type(kEtherTypeLldp).build(),
        Verdict::kToKernel);
    add("802.1Q tagged", tcp_to(kHost4).vlan(100).build(), Verdict::kToKernel);

    // ---- For a VIP: answered exactly as without the exception path.
    add("ARP request for a VIP", arp_frame(1, kVip4), Verdict::kTransmit);
    add("NS for a VIP", solicitation(kVip6SolicitedNode, kVip6), Verdict::kTransmit);
    add("ping to a VIP",
        PacketBuilder()
            .eth(kClientMac, kPortMac)
            .ipv4(kClient4, kVip4)
            .icmp4_echo(7, 1)
            .payload(Bytes(16, 0))
            .build(),
        Verdict::kTransmit);

    // ---- Dropped either way: the kernel must not see them.
    add("unicast to another MAC", tcp_to(kHost4).eth(kClientMac, kOtherMac).build(),
        Verdict::kDrop);
    add("IPv4 bad header checksum to the host", tcp_to(kHost4).corrupt_ipv4_checksum().build(),
        Verdict::kDrop);
    add("UDP to a VIP's port 443",
        PacketBuilder()
            .eth(kClientMac, kPortMac)
            .ipv4(kClient4, kVip4)
            .udp(40000, 443)
            .payload(Bytes(8, 0))
            .build(),
        Verdict::kDrop);
    add("IPv4 fragment to a VIP", tcp_to(kVip4).ipv4_flags_fragment(0x2000).build(),
        Verdict::kDrop);
    return c;
}

} // namespace

TEST_CASE("with an exception port, what is not for a VIP goes to the kernel untouched",
          "[net][exception]") {
    for (const ExceptionCase& c : cases()) {
        INFO(c.name);
        NetHarness h;
        h.config.exception_path = true;
        const Bytes original = c.frame;
        const auto out = h.run(c.frame);
        CHECK(out.verdict == c.verdict);
        if (c.verdict == Verdict::kToKernel) {
            CHECK(out.frame == original);
            CHECK(h.drops() == 0); // the runtime counts exception_to_kernel once the TAP takes it
        }
        if (c.verdict == Verdict::kDrop) CHECK(h.drops() == 1);
    }
}

TEST_CASE("without an exception port the same frames are dropped", "[net][exception]") {
    for (const ExceptionCase& c : cases()) {
        INFO(c.name);
        NetHarness h;
        const auto out = h.run(c.frame);
        CHECK(out.verdict == (c.verdict == Verdict::kToKernel ? Verdict::kDrop : c.verdict));
        if (c.verdict == Verdict::kToKernel) CHECK(h.drops() == 1);
    }
}

} // namespace ringcast::test
