// ARP requests for a VIP get a reply in place (RFC 826).
#include "tests/unit/net/net_harness.h"

#include <catch2/catch.hpp>

namespace ringcast::test {

namespace {

constexpr size_t kArpReplyLength = kEthLen + 28;

void check_arp_reply(const Bytes& out) {
    REQUIRE(out.size() == kArpReplyLength);
    CHECK(slice(out, 0, 6) == Bytes(kClientMac.begin(), kClientMac.end())); // back to the sender
    CHECK(slice(out, 6, 6) == Bytes(kPortMac.begin(), kPortMac.end()));
    CHECK(get16(out, 12) == 0x0806);
    CHECK(get16(out, 14) == 1);      // Ethernet
    CHECK(get16(out, 16) == 0x0800); // IPv4
    CHECK(out[18] == 6);
    CHECK(out[19] == 4);
    CHECK(get16(out, 20) == 2); // reply
    CHECK(slice(out, 22, 6) == Bytes(kPortMac.begin(), kPortMac.end()));
    CHECK(slice(out, 28, 4) == Bytes(kVip4.begin(), kVip4.end()));
    CHECK(slice(out, 32, 6) == Bytes(kClientMac.begin(), kClientMac.end()));
    CHECK(slice(out, 38, 4) == Bytes(kClient4.begin(), kClient4.end()));
}

} // namespace

TEST_CASE("ARP request for a VIP gets a reply", "[net][arp]") {
    NetHarness h;
    const auto out = h.run(PacketBuilder()
                               .eth(kClientMac, kBroadcastMac)
                               .arp_request(kClientMac, kClient4, kVip4)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_arp_reply(out.frame);
    CHECK(h.counters.get(stats::Counter::arp_replies) == 1);
    CHECK(h.drops() == 0);
    CHECK_FALSE(h.tx.ipv4_header);
    CHECK_FALSE(h.tx.udp);
    CHECK(h.tx.l3_len == 0);
}

TEST_CASE("ARP request in a padded 60-byte frame gets a 42-byte reply", "[net][arp]") {
    NetHarness h;
    const auto out = h.run(PacketBuilder()
                               .eth(kClientMac, kBroadcastMac)
                               .arp_request(kClientMac, kClient4, kVip4)
                               .pad_to(60)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_arp_reply(out.frame);
}

TEST_CASE("unicast ARP request (cache refresh) gets a reply", "[net][arp]") {
    NetHarness h;
    const auto out = h.run(
        PacketBuilder().eth(kClientMac, kPortMac).arp_request(kClientMac, kClient4, kVip4).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_arp_reply(out.frame);
}

TEST_CASE("ARP probe from 0.0.0.0 (RFC 5227) is answered to defend the VIP", "[net][arp]") {
    NetHarness h;
    const auto out = h.run(PacketBuilder()
                               .eth(kClientMac, kBroadcastMac)
                               .arp_request(kClientMac, ip4("0.0.0.0"), kVip4)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(slice(out.frame, 38, 4) == Bytes{0, 0, 0, 0});
    CHECK(slice(out.frame, 28, 4) == Bytes(kVip4.begin(), kVip4.end()));
}

TEST_CASE("ARP for the second of several VIPs", "[net][arp]") {
    NetHarness h;
    const Ip4 second = ip4("203.0.113.53");
    uint32_t be;
    std::memcpy(&be, second.data(), 4);
    h.config.vips.add_v4(be);
    const auto out = h.run(PacketBuilder()
                               .eth(kClientMac, kBroadcastMac)
                               .arp_request(kClientMac, kClient4, second)
                               .build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(slice(out.frame, 28, 4) == Bytes(second.begin(), second.end()));
}

} // namespace ringcast::test
