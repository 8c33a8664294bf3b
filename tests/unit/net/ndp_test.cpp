// Neighbour solicitations for a VIP get an advertisement (RFC 4861 §7.2.4).
#include "tests/unit/net/net_harness.h"

#include <catch2/catch.hpp>

namespace ringcast::test {

namespace {

constexpr size_t kNaLength = 32; // 24-byte message + 8-byte target link-layer option
constexpr size_t kNaFrameLength = kEthLen + kIpv6Len + kNaLength;
constexpr uint32_t kFlagSolicited = 0x40000000;
constexpr uint32_t kFlagOverride = 0x20000000;
const Mac kSolicitedNodeMac = mac("33:33:ff:00:00:53");

PacketBuilder solicitation(const Ip6& src, const Ip6& dst) {
    return PacketBuilder()
        .eth(kClientMac, kSolicitedNodeMac)
        .ipv6(src, dst)
        .neighbour_solicitation(kVip6);
}

// The advertisement for kVip6 from the port, to `dst` at `dst_mac`.
void check_advertisement(const Bytes& f, const Ip6& dst, const Mac& dst_mac, uint32_t flags) {
    REQUIRE(f.size() == kNaFrameLength);
    CHECK(slice(f, 0, 6) == Bytes(dst_mac.begin(), dst_mac.end()));
    CHECK(slice(f, 6, 6) == Bytes(kPortMac.begin(), kPortMac.end()));
    CHECK(get16(f, 12) == 0x86dd);
    CHECK(get16(f, kEthLen + 4) == kNaLength);
    CHECK(f[kEthLen + 6] == 58);
    CHECK(f[kEthLen + 7] == 255);
    CHECK(slice(f, kEthLen + 8, 16) == Bytes(kVip6.begin(), kVip6.end()));
    CHECK(slice(f, kEthLen + 24, 16) == Bytes(dst.begin(), dst.end()));
    const size_t na = kEthLen + kIpv6Len;
    CHECK(f[na] == 136);
    CHECK(f[na + 1] == 0);
    CHECK(get32(f, na + 4) == flags); // R clear, reserved bits zero
    CHECK(slice(f, na + 8, 16) == Bytes(kVip6.begin(), kVip6.end()));
    CHECK(f[na + 24] == 2); // target link-layer address
    CHECK(f[na + 25] == 1); // one 8-byte unit
    CHECK(slice(f, na + 26, 6) == Bytes(kPortMac.begin(), kPortMac.end()));
    CHECK(l4_checksum_ok(f));
}

} // namespace

TEST_CASE("NS to the solicited-node group gets a solicited advertisement", "[net][nd]") {
    NetHarness h;
    const auto out =
        h.run(solicitation(kClient6, kVip6SolicitedNode).nd_source_link_layer(kClientMac).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_advertisement(out.frame, kClient6, kClientMac, kFlagSolicited | kFlagOverride);
    CHECK(h.counters.get(stats::Counter::nd_advertisements) == 1);
    CHECK(h.drops() == 0);
    CHECK(h.tx.ipv6);
    CHECK(h.tx.l3_len == kIpv6Len);
    CHECK_FALSE(h.tx.udp);
}

TEST_CASE("unicast NS (reachability confirmation) gets a solicited advertisement", "[net][nd]") {
    NetHarness h;
    const auto out = h.run(solicitation(kClient6, kVip6)
                               .eth(kClientMac, kPortMac)
                               .nd_source_link_layer(kClientMac)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_advertisement(out.frame, kClient6, kClientMac, kFlagSolicited | kFlagOverride);
}

TEST_CASE("link-local NS without options grows into the advertisement", "[net][nd]") {
    NetHarness h;
    const Ip6 router = ip6("fe80::1");
    const auto out = h.run(solicitation(router, kVip6SolicitedNode).build()); // 78 bytes in
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_advertisement(out.frame, router, kClientMac, kFlagSolicited | kFlagOverride);
}

TEST_CASE("NS with unknown options before the source link-layer option", "[net][nd]") {
    NetHarness h;
    const auto out = h.run(solicitation(kClient6, kVip6SolicitedNode)
                               .nd_option({14, 1, 1, 2, 3, 4, 5, 6}) // a nonce (RFC 3971)
                               .nd_source_link_layer(kClientMac)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_advertisement(out.frame, kClient6, kClientMac, kFlagSolicited | kFlagOverride);
}

TEST_CASE("DAD NS from :: gets an unsolicited advertisement to all nodes", "[net][nd]") {
    NetHarness h;
    const auto out = h.run(solicitation(kUnspecified6, kVip6SolicitedNode).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_advertisement(out.frame, ip6("ff02::1"), mac("33:33:00:00:00:01"), kFlagOverride);
    CHECK(h.counters.get(stats::Counter::nd_advertisements) == 1);
}

TEST_CASE("NS in a padded frame", "[net][nd]") {
    NetHarness h;
    const auto out = h.run(solicitation(kClient6, kVip6SolicitedNode).pad_to(100).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_advertisement(out.frame, kClient6, kClientMac, kFlagSolicited | kFlagOverride);
}

TEST_CASE("NS is dropped when the buffer cannot hold the advertisement", "[net][nd]") {
    NetHarness h;
    const Bytes in = solicitation(kClient6, kVip6SolicitedNode).build(); // 78 bytes
    h.capacity = static_cast<uint32_t>(kNaFrameLength - 1);
    const auto out = h.run(in);
    CHECK(out.verdict == net::Verdict::kDrop);
    CHECK(h.counters.get(stats::DropReason::nd_no_room) == 1);
    CHECK(h.drops() == 1);
    CHECK(out.frame == in);

    NetHarness exact;
    exact.capacity = static_cast<uint32_t>(kNaFrameLength);
    CHECK(exact.run(in).verdict == net::Verdict::kTransmit);
}

TEST_CASE("NS for a second VIP is answered from that VIP", "[net][nd]") {
    NetHarness h;
    const Ip6 second = ip6("2001:db8:5::1:203");
    h.config.vips.add_v6(second.data());
    const auto out = h.run(PacketBuilder()
                               .eth(kClientMac, mac("33:33:ff:01:02:03"))
                               .ipv6(kClient6, ip6("ff02::1:ff01:203"))
                               .neighbour_solicitation(second)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(slice(out.frame, kEthLen + 8, 16) == Bytes(second.begin(), second.end()));
    CHECK(slice(out.frame, kEthLen + kIpv6Len + 8, 16) == Bytes(second.begin(), second.end()));
    CHECK(l4_checksum_ok(out.frame));
}

} // namespace ringcast::test
