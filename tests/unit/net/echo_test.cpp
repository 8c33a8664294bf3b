// ICMP and ICMPv6 echo: replies from the VIP with the request's identifier, sequence number and
// data, checksums valid, addresses swapped.
#include "tests/unit/net/net_harness.h"

#include <catch2/catch.hpp>

namespace ringcast::test {

namespace {

Bytes ping_data() {
    Bytes data(56);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<uint8_t>(i * 7 + 1);
    return data;
}

void check_macs_swapped(const Bytes& out) {
    CHECK(slice(out, 0, 6) == Bytes(kClientMac.begin(), kClientMac.end()));
    CHECK(slice(out, 6, 6) == Bytes(kPortMac.begin(), kPortMac.end()));
}

// The IPv4 reply header: 20 bytes, swapped, TTL 64, DF with ID 0, valid checksum.
void check_ipv4_reply_header(const Bytes& out, uint8_t protocol, size_t l4_length) {
    REQUIRE(out.size() == kEthLen + kIpv4Len + l4_length);
    CHECK(get16(out, 12) == 0x0800);
    CHECK(out[kEthLen] == 0x45);
    CHECK(get16(out, kEthLen + 2) == kIpv4Len + l4_length);
    CHECK(get16(out, kEthLen + 4) == 0);      // ID
    CHECK(get16(out, kEthLen + 6) == 0x4000); // DF, no fragment
    CHECK(out[kEthLen + 8] == 64);
    CHECK(out[kEthLen + 9] == protocol);
    CHECK(slice(out, kEthLen + 12, 4) == Bytes(kVip4.begin(), kVip4.end()));
    CHECK(slice(out, kEthLen + 16, 4) == Bytes(kClient4.begin(), kClient4.end()));
    CHECK(ipv4_header_checksum_ok(out));
}

PacketBuilder ping4() {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, kVip4)
        .ttl(57)
        .icmp4_echo(0x1d2e, 9)
        .payload(ping_data());
}

PacketBuilder ping6() {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv6(kClient6, kVip6)
        .ttl(57)
        .icmp6_echo(0x1d2e, 9)
        .payload(ping_data());
}

} // namespace

TEST_CASE("ICMP echo request to a VIP gets an echo reply", "[net][icmp4]") {
    NetHarness h;
    const auto out = h.run(ping4().build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    const Bytes& f = out.frame;
    check_macs_swapped(f);
    check_ipv4_reply_header(f, 1, 8 + ping_data().size());
    const size_t icmp = kEthLen + kIpv4Len;
    CHECK(f[icmp] == 0); // echo reply
    CHECK(f[icmp + 1] == 0);
    CHECK(get16(f, icmp + 4) == 0x1d2e);
    CHECK(get16(f, icmp + 6) == 9);
    CHECK(slice(f, icmp + 8, ping_data().size()) == ping_data());
    CHECK(l4_checksum_ok(f));
    CHECK(h.counters.get(stats::Counter::icmp4_echo_replies) == 1);
    CHECK(h.drops() == 0);
    CHECK(h.tx.l2_len == kEthLen);
    CHECK(h.tx.l3_len == kIpv4Len);
    CHECK_FALSE(h.tx.ipv6);
    CHECK_FALSE(h.tx.ipv4_header);
}

TEST_CASE("ICMP echo with odd-length data", "[net][icmp4]") {
    NetHarness h;
    const auto out = h.run(ping4().payload(Bytes{1, 2, 3, 4, 5}).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_ipv4_reply_header(out.frame, 1, 13);
    CHECK(slice(out.frame, kEthLen + kIpv4Len + 8, 5) == Bytes{1, 2, 3, 4, 5});
    CHECK(l4_checksum_ok(out.frame));
}

TEST_CASE("ICMP echo in a padded 60-byte frame: the padding is not echoed", "[net][icmp4]") {
    NetHarness h;
    const auto out = h.run(ping4().payload(Bytes{0xaa, 0xbb}).pad_to(60).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_ipv4_reply_header(out.frame, 1, 10);
    CHECK(l4_checksum_ok(out.frame));
}

TEST_CASE("ICMP echo with IPv4 options: the reply has a 20-byte header", "[net][icmp4]") {
    NetHarness h;
    // Record route (RFC 791 §3.1), room for one address, plus end-of-list padding.
    const Bytes options{7, 7, 4, 0, 0, 0, 0, 0};
    const auto out = h.run(ping4().ipv4_options(options).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_ipv4_reply_header(out.frame, 1, 8 + ping_data().size());
    CHECK(get16(out.frame, kEthLen + kIpv4Len + 4) == 0x1d2e);
    CHECK(slice(out.frame, kEthLen + kIpv4Len + 8, ping_data().size()) == ping_data());
    CHECK(l4_checksum_ok(out.frame));
}

TEST_CASE("ICMP echo: DSCP reflected, ECN cleared", "[net][icmp4]") {
    NetHarness h;
    const auto out = h.run(ping4().tos(0xb8 | 0x03).build()); // EF, CE
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(out.frame[kEthLen + 1] == 0xb8);
    CHECK(ipv4_header_checksum_ok(out.frame));
}

TEST_CASE("ICMP echo to the broadcast MAC is still answered to the sender", "[net][icmp4]") {
    NetHarness h;
    const auto out = h.run(ping4().eth(kClientMac, kBroadcastMac).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_macs_swapped(out.frame);
}

TEST_CASE("NIC receive checksum status is trusted for the IPv4 header", "[net][ipv4]") {
    SECTION("ip_good skips verification") {
        NetHarness h;
        h.rx_checksum.ip_good = true;
        const auto out = h.run(ping4().corrupt_ipv4_checksum().build());
        REQUIRE(out.verdict == net::Verdict::kTransmit);
        CHECK(ipv4_header_checksum_ok(out.frame)); // recomputed for the reply
    }
    SECTION("ip_bad drops a header that would verify") {
        NetHarness h;
        h.rx_checksum.ip_bad = true;
        CHECK(h.run(ping4().build()).verdict == net::Verdict::kDrop);
        CHECK(h.counters.get(stats::DropReason::ipv4_bad_checksum) == 1);
    }
    SECTION("l4_good does not skip ICMP verification (NICs only check TCP/UDP)") {
        NetHarness h;
        h.rx_checksum.l4_good = true;
        CHECK(h.run(ping4().corrupt_l4_checksum().build()).verdict == net::Verdict::kDrop);
        CHECK(h.counters.get(stats::DropReason::icmp4_bad_checksum) == 1);
    }
}

TEST_CASE("IPv4 header checksum offload", "[net][icmp4][offload]") {
    NetHarness h;
    h.config.tx_caps.ipv4_header = true;
    const auto out = h.run(ping4().build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(h.tx.ipv4_header);
    CHECK_FALSE(h.tx.udp);
    CHECK_FALSE(h.tx.ipv6);
    CHECK(h.tx.l2_len == kEthLen);
    CHECK(h.tx.l3_len == kIpv4Len);
    CHECK(get16(out.frame, kEthLen + 10) == 0); // what the NIC expects to fill in
    CHECK(l4_checksum_ok(out.frame));           // ICMP has no offload: done in software
    // Once the NIC fills the field in, the header verifies.
    Bytes on_wire = out.frame;
    set16(on_wire, kEthLen + 10, reference_checksum(slice(on_wire, kEthLen, kIpv4Len)));
    CHECK(ipv4_header_checksum_ok(on_wire));
}

TEST_CASE("ICMPv6 echo request to a VIP gets an echo reply", "[net][icmp6]") {
    NetHarness h;
    const auto out = h.run(ping6().flow_label(0x12345).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    const Bytes& f = out.frame;
    const size_t l4_length = 8 + ping_data().size();
    REQUIRE(f.size() == kEthLen + kIpv6Len + l4_length);
    check_macs_swapped(f);
    CHECK(get16(f, 12) == 0x86dd);
    CHECK(get32(f, kEthLen) == (6u << 28 | 0x12345)); // flow label reflected
    CHECK(get16(f, kEthLen + 4) == l4_length);
    CHECK(f[kEthLen + 6] == 58);
    CHECK(f[kEthLen + 7] == 64);
    CHECK(slice(f, kEthLen + 8, 16) == Bytes(kVip6.begin(), kVip6.end()));
    CHECK(slice(f, kEthLen + 24, 16) == Bytes(kClient6.begin(), kClient6.end()));
    const size_t icmp = kEthLen + kIpv6Len;
    CHECK(f[icmp] == 129);
    CHECK(f[icmp + 1] == 0);
    CHECK(get16(f, icmp + 4) == 0x1d2e);
    CHECK(get16(f, icmp + 6) == 9);
    CHECK(slice(f, icmp + 8, ping_data().size()) == ping_data());
    CHECK(l4_checksum_ok(f));
    CHECK(h.counters.get(stats::Counter::icmp6_echo_replies) == 1);
    CHECK(h.drops() == 0);
    CHECK(h.tx.ipv6);
    CHECK(h.tx.l2_len == kEthLen);
    CHECK(h.tx.l3_len == kIpv6Len);
    CHECK_FALSE(h.tx.ipv4_header);
    CHECK_FALSE(h.tx.udp);
}

TEST_CASE("ICMPv6 echo in a padded frame and with odd-length data", "[net][icmp6]") {
    NetHarness h;
    const auto out = h.run(ping6().payload(Bytes{9, 8, 7}).pad_to(80).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    REQUIRE(out.frame.size() == kEthLen + kIpv6Len + 11);
    CHECK(slice(out.frame, kEthLen + kIpv6Len + 8, 3) == Bytes{9, 8, 7});
    CHECK(l4_checksum_ok(out.frame));
}

TEST_CASE("ICMPv6 echo: traffic class ECN bits cleared", "[net][icmp6]") {
    NetHarness h;
    const auto out = h.run(ping6().tos(0xb8 | 0x01).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(get32(out.frame, kEthLen) >> 20 == (6u << 8 | 0xb8));
}

} // namespace ringcast::test
