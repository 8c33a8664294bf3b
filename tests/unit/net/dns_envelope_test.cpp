// UDP port 53 through the whole pipeline: the IP/UDP envelope of DNS replies (lengths, ports,
// checksums, offloads). What the DNS answer says is the responder's business and tested there;
// these tests only look at its header.
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/net/burst_prefetch.h"
#include "dataplane/net/checksum.h"
#include "dataplane/snapshot/reader.h"
#include "tests/unit/net/net_harness.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>

namespace ringcast::test {

namespace {

constexpr uint16_t kClientPort = 40000;

const char* const kZone = R"(
$ORIGIN example.net.
$TTL 3600
@    IN SOA ns1 hostmaster 2026010101 7200 3600 1209600 300
     IN NS  ns1
ns1  IN A   192.0.2.53
www  IN A   192.0.2.80
     IN AAAA 2001:db8::80
)";

// A snapshot compiled from kZone, kept for the whole test run.
const snapshot::Snapshot& test_snapshot() {
    static const std::vector<uint8_t> image = [] {
        zone::ParsedZone parsed;
        std::vector<zone::Diagnostic> errors;
        zone::parse_zone_text({"example.net.", "net-test-zone"}, kZone, parsed, errors);
        zone::check_zone(parsed, errors);
        if (!errors.empty()) throw std::runtime_error(errors.front().to_string());
        zone::BuildOptions options;
        options.generation = 1;
        options.hash_seed = 0x5eed;
        return zone::build_snapshot({parsed}, options);
    }();
    static const std::unique_ptr<snapshot::Snapshot> snapshot = [] {
        std::string error;
        auto s = snapshot::Snapshot::open_memory(image, error);
        if (!s) throw std::runtime_error("snapshot refused: " + error);
        return s;
    }();
    return *snapshot;
}

// A DNS query: ID 0xbeef, RD, then `question` (by default www.example.net. A IN).
Bytes query(const Bytes& question = {3,   'w', 'w', 'w', 7,   'e', 'x', 'a', 'm', 'p', 'l',
                                     'e', 3,   'n', 'e', 't', 0,   0,   1,   0,   1}) {
    // Sized once and filled in place: appending to a vector built from an initializer list
    // trips a GCC 12 -O3 false positive (-Warray-bounds on the inlined memcpy of the growth
    // path), which -Werror turns into a failed release build.
    static constexpr uint8_t kHeader[] = {0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    Bytes q(sizeof kHeader + question.size());
    std::copy(std::begin(kHeader), std::end(kHeader), q.begin());
    std::copy(question.begin(), question.end(), q.begin() + sizeof kHeader);
    return q;
}

struct DnsHarness : NetHarness {
    DnsHarness() { snapshot = test_snapshot().view(); }
};

PacketBuilder dns4(const Bytes& message = query()) {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, kVip4)
        .udp(kClientPort, 53)
        .payload(message);
}

PacketBuilder dns6(const Bytes& message = query()) {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv6(kClient6, kVip6)
        .udp(kClientPort, 53)
        .payload(message);
}

// The UDP/IPv4 envelope of a reply; returns the DNS message.
Bytes check_udp4_reply(const Bytes& f) {
    REQUIRE(f.size() >= kEthLen + kIpv4Len + 8 + 12);
    CHECK(slice(f, 0, 6) == Bytes(kClientMac.begin(), kClientMac.end()));
    CHECK(slice(f, 6, 6) == Bytes(kPortMac.begin(), kPortMac.end()));
    CHECK(f[kEthLen] == 0x45);
    CHECK(get16(f, kEthLen + 2) == f.size() - kEthLen);
    CHECK(get16(f, kEthLen + 6) == 0x4000);
    CHECK(f[kEthLen + 8] == 64);
    CHECK(f[kEthLen + 9] == 17);
    CHECK(slice(f, kEthLen + 12, 4) == Bytes(kVip4.begin(), kVip4.end()));
    CHECK(slice(f, kEthLen + 16, 4) == Bytes(kClient4.begin(), kClient4.end()));
    CHECK(ipv4_header_checksum_ok(f));
    const size_t udp = kEthLen + kIpv4Len;
    CHECK(get16(f, udp) == 53);
    CHECK(get16(f, udp + 2) == kClientPort);
    CHECK(get16(f, udp + 4) == f.size() - udp);
    CHECK(get16(f, udp + 6) != 0);
    CHECK(l4_checksum_ok(f));
    return slice(f, udp + 8, f.size() - udp - 8);
}

Bytes check_udp6_reply(const Bytes& f) {
    REQUIRE(f.size() >= kEthLen + kIpv6Len + 8 + 12);
    CHECK(slice(f, 0, 6) == Bytes(kClientMac.begin(), kClientMac.end()));
    CHECK(get16(f, kEthLen + 4) == f.size() - kEthLen - kIpv6Len);
    CHECK(f[kEthLen + 6] == 17);
    CHECK(f[kEthLen + 7] == 64);
    CHECK(slice(f, kEthLen + 8, 16) == Bytes(kVip6.begin(), kVip6.end()));
    CHECK(slice(f, kEthLen + 24, 16) == Bytes(kClient6.begin(), kClient6.end()));
    const size_t udp = kEthLen + kIpv6Len;
    CHECK(get16(f, udp) == 53);
    CHECK(get16(f, udp + 2) == kClientPort);
    CHECK(get16(f, udp + 4) == f.size() - udp);
    CHECK(get16(f, udp + 6) != 0);
    CHECK(l4_checksum_ok(f));
    return slice(f, udp + 8, f.size() - udp - 8);
}

constexpr uint8_t kRcodeNoError = 0;
constexpr uint8_t kRcodeFormErr = 1;

void check_dns_reply_header(const Bytes& dns, uint8_t rcode) {
    REQUIRE(dns.size() >= 12);
    CHECK(get16(dns, 0) == 0xbeef);
    CHECK((dns[2] & 0x80) != 0); // QR
    CHECK((dns[3] & 0x0f) == rcode);
}

} // namespace

TEST_CASE("DNS over UDP/IPv4: the reply's envelope", "[net][udp][dns]") {
    DnsHarness h;
    const auto out = h.run(dns4().build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    const Bytes dns = check_udp4_reply(out.frame);
    check_dns_reply_header(dns, kRcodeNoError);
    CHECK(get16(dns, 6) == 1); // one answer: www A
    CHECK(h.counters.get(stats::Counter::dns_udp4_queries) == 1);
    CHECK(h.counters.get(stats::Counter::dns_udp6_queries) == 0);
    CHECK(h.drops() == 0);
    CHECK(h.tx.l2_len == kEthLen);
    CHECK(h.tx.l3_len == kIpv4Len);
    CHECK_FALSE(h.tx.ipv6);
    CHECK_FALSE(h.tx.udp);
    CHECK_FALSE(h.tx.ipv4_header);
}

TEST_CASE("DNS over UDP/IPv6: the reply's envelope", "[net][udp][dns]") {
    DnsHarness h;
    const auto out = h.run(dns6().build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    const Bytes dns = check_udp6_reply(out.frame);
    check_dns_reply_header(dns, kRcodeNoError);
    CHECK(h.counters.get(stats::Counter::dns_udp6_queries) == 1);
    CHECK(h.counters.get(stats::Counter::dns_udp4_queries) == 0);
    CHECK(h.drops() == 0);
    CHECK(h.tx.ipv6);
    CHECK(h.tx.l3_len == kIpv6Len);
}

TEST_CASE("a DNS header alone, in a padded 60-byte frame, gets a reply", "[net][udp][dns]") {
    DnsHarness h;
    const Bytes header_only{0xbe, 0xef, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
    const auto out = h.run(dns4(header_only).pad_to(60).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    const Bytes dns = check_udp4_reply(out.frame);
    REQUIRE(dns.size() >= 12);
    CHECK(get16(dns, 0) == 0xbeef);
    CHECK((dns[2] & 0x80) != 0);
}

TEST_CASE("a question running past the datagram gets FORMERR", "[net][udp][dns]") {
    SECTION("IPv4") {
        DnsHarness h;
        const auto out = h.run(dns4(query({3, 'w', 'w', 'w', 7, 'e', 'x'})).build());
        REQUIRE(out.verdict == net::Verdict::kTransmit);
        check_dns_reply_header(check_udp4_reply(out.frame), kRcodeFormErr);
    }
    SECTION("IPv6") {
        DnsHarness h;
        const auto out = h.run(dns6(query({3, 'w', 'w', 'w', 7, 'e', 'x'})).build());
        REQUIRE(out.verdict == net::Verdict::kTransmit);
        check_dns_reply_header(check_udp6_reply(out.frame), kRcodeFormErr);
    }
}

TEST_CASE("the UDP length, not the IP payload, bounds the DNS message", "[net][udp][dns]") {
    DnsHarness h;
    // Four stray bytes after the datagram inside the IP payload: not part of the question.
    Bytes message = query();
    const uint16_t udp_length = static_cast<uint16_t>(8 + message.size());
    append(message, Bytes{0xde, 0xad, 0xbe, 0xef});
    const auto out = h.run(dns4(message).udp_length(udp_length).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_dns_reply_header(check_udp4_reply(out.frame), kRcodeNoError);
}

TEST_CASE("UDP/IPv4 without a checksum (0) is answered, with one", "[net][udp][dns]") {
    DnsHarness h;
    const auto out = h.run(dns4().udp_checksum(0).build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_udp4_reply(out.frame);
}

// What a Linux sender with checksum offload puts in the field over a veth: the folded
// pseudo-header sum (source, destination, protocol 17, UDP length), uncomplemented.
uint16_t partial_checksum(const uint8_t* src, const uint8_t* dst, size_t address_length,
                          uint16_t udp_length) {
    const uint32_t addresses =
        net::checksum_add(net::checksum_add(0, src, address_length), dst, address_length);
    return net::checksum_fold(net::pseudo_header_sum(addresses, 17, udp_length));
}

TEST_CASE("UDP with only the pseudo-header sum: accepted from a veth peer, counted apart",
          "[net][udp][dns][checksum]") {
    const uint16_t udp_length = static_cast<uint16_t>(8 + query().size());
    const uint16_t partial4 = partial_checksum(kClient4.data(), kVip4.data(), 4, udp_length);
    const uint16_t partial6 = partial_checksum(kClient6.data(), kVip6.data(), 16, udp_length);
    SECTION("accepted over IPv4 and IPv6 where the port allows it") {
        DnsHarness h;
        h.config.accept_partial_checksums = true;
        auto out = h.run(dns4().udp_checksum(partial4).build());
        REQUIRE(out.verdict == net::Verdict::kTransmit);
        check_udp4_reply(out.frame);
        out = h.run(dns6().udp_checksum(partial6).build());
        REQUIRE(out.verdict == net::Verdict::kTransmit);
        check_udp6_reply(out.frame);
        CHECK(h.counters.get(stats::Counter::udp_partial_checksums) == 2);
        CHECK(h.drops() == 0);
    }
    SECTION("a complete, valid checksum is not counted as partial") {
        DnsHarness h;
        h.config.accept_partial_checksums = true;
        REQUIRE(h.run(dns4().build()).verdict == net::Verdict::kTransmit);
        CHECK(h.counters.get(stats::Counter::udp_partial_checksums) == 0);
    }
    SECTION("dropped as a bad checksum on a port that does not allow it") {
        DnsHarness h;
        CHECK(h.run(dns4().udp_checksum(partial4).build()).verdict == net::Verdict::kDrop);
        CHECK(h.counters.get(stats::DropReason::udp_bad_checksum) == 1);
    }
    SECTION("real corruption is still dropped where partial sums are allowed") {
        DnsHarness h;
        h.config.accept_partial_checksums = true;
        CHECK(h.run(dns4().corrupt_l4_checksum().build()).verdict == net::Verdict::kDrop);
        CHECK(
            h.run(dns4().udp_checksum(static_cast<uint16_t>(partial4 ^ 0x0100)).build()).verdict ==
            net::Verdict::kDrop);
        CHECK(h.counters.get(stats::DropReason::udp_bad_checksum) == 2);
        CHECK(h.counters.get(stats::Counter::udp_partial_checksums) == 0);
    }
}

TEST_CASE("DNS to a VIP with IPv4 options: the reply has a 20-byte header", "[net][udp][dns]") {
    DnsHarness h;
    const auto out = h.run(dns4().ipv4_options({1, 1, 1, 0}).build()); // NOPs and end of list
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    check_dns_reply_header(check_udp4_reply(out.frame), kRcodeNoError);
}

TEST_CASE("NIC receive checksum status is trusted for UDP", "[net][udp][dns]") {
    SECTION("l4_good skips verification") {
        DnsHarness h;
        h.rx_checksum.l4_good = true;
        const auto out = h.run(dns4().corrupt_l4_checksum().build());
        REQUIRE(out.verdict == net::Verdict::kTransmit);
        check_udp4_reply(out.frame);
    }
    SECTION("l4_bad drops a datagram that would verify") {
        DnsHarness h;
        h.rx_checksum.l4_bad = true;
        CHECK(h.run(dns6().build()).verdict == net::Verdict::kDrop);
        CHECK(h.counters.get(stats::DropReason::udp_bad_checksum) == 1);
        CHECK(h.drops() == 1);
    }
    SECTION("l4_good does not make a zero checksum valid over IPv6") {
        DnsHarness h;
        h.rx_checksum.l4_good = true;
        CHECK(h.run(dns6().udp_checksum(0).build()).verdict == net::Verdict::kDrop);
        CHECK(h.counters.get(stats::DropReason::udp_bad_checksum) == 1);
    }
}

TEST_CASE("UDP and IPv4 header checksum offload", "[net][udp][dns][offload]") {
    DnsHarness h;
    h.config.tx_caps.ipv4_header = true;
    h.config.tx_caps.udp = true;
    const auto out = h.run(dns4().build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(h.tx.ipv4_header);
    CHECK(h.tx.udp);
    CHECK_FALSE(h.tx.ipv6);
    CHECK(h.tx.l2_len == kEthLen);
    CHECK(h.tx.l3_len == kIpv4Len);
    Bytes f = out.frame;
    const size_t udp = kEthLen + kIpv4Len;
    const uint16_t udp_length = get16(f, udp + 4);
    // What the NIC expects: IPv4 checksum 0, UDP checksum the folded pseudo-header sum (as
    // rte_ipv4_phdr_cksum() computes it).
    CHECK(get16(f, kEthLen + 10) == 0);
    CHECK(get16(f, udp + 6) == reference_pseudo_sum(slice(f, kEthLen + 12, 4),
                                                    slice(f, kEthLen + 16, 4), 17, udp_length));
    // The NIC's part: it sums the datagram (the pseudo-header sum included) and complements.
    set16(f, kEthLen + 10, reference_checksum(slice(f, kEthLen, kIpv4Len)));
    set16(f, udp + 6, reference_checksum(slice(f, udp, udp_length)));
    CHECK(ipv4_header_checksum_ok(f));
    CHECK(l4_checksum_ok(f));
}

TEST_CASE("UDP checksum offload over IPv6", "[net][udp][dns][offload]") {
    DnsHarness h;
    h.config.tx_caps.ipv4_header = true; // irrelevant to IPv6
    h.config.tx_caps.udp = true;
    const auto out = h.run(dns6().build());
    REQUIRE(out.verdict == net::Verdict::kTransmit);
    CHECK(h.tx.udp);
    CHECK(h.tx.ipv6);
    CHECK_FALSE(h.tx.ipv4_header);
    CHECK(h.tx.l3_len == kIpv6Len);
    Bytes f = out.frame;
    const size_t udp = kEthLen + kIpv6Len;
    const uint16_t udp_length = get16(f, udp + 4);
    CHECK(get16(f, udp + 6) == reference_pseudo_sum(slice(f, kEthLen + 8, 16),
                                                    slice(f, kEthLen + 24, 16), 17, udp_length));
    set16(f, udp + 6, reference_checksum(slice(f, udp, udp_length)));
    CHECK(l4_checksum_ok(f));
}

TEST_CASE("a DNS drop is counted once, by the responder", "[net][udp][dns]") {
    DnsHarness h;
    const auto out = h.run(dns4(Bytes(11, 0)).build());
    CHECK(out.verdict == net::Verdict::kDrop);
    CHECK(h.counters.get(stats::DropReason::dns_too_short) == 1);
    CHECK(h.drops() == 1);
    CHECK(h.counters.get(stats::Counter::dns_udp4_queries) == 1);
}

TEST_CASE("Burst prefetch reads only inside each frame and changes no reply", "[net][dns]") {
    const snapshot::View& view = test_snapshot().view();
    const Bytes frames[] = {dns4().build(), dns6().build()};
    for (const Bytes& whole : frames) {
        // Every truncation, and every byte of the frame set to 0x00, 0x3f (a long label) and
        // 0xff in turn: each copied to a buffer of exactly its length, so that a read past the
        // end is a read outside the allocation (caught under ASan/valgrind).
        std::vector<Bytes> variants;
        for (size_t len = 0; len <= whole.size(); ++len)
            variants.emplace_back(whole.begin(), whole.begin() + static_cast<ptrdiff_t>(len));
        for (size_t i = 0; i < whole.size(); ++i)
            for (const uint8_t value : {0x00, 0x3f, 0xff}) {
                Bytes mangled = whole;
                mangled[i] = value;
                variants.push_back(std::move(mangled));
            }
        for (const Bytes& frame : variants) {
            auto copy = std::make_unique<uint8_t[]>(std::max<size_t>(frame.size(), 1));
            std::copy(frame.begin(), frame.end(), copy.get());
            net::BurstPrefetcher prefetcher(view, 0);
            prefetcher.add(copy.get(), static_cast<uint32_t>(frame.size()));
            prefetcher.follow();
        }
    }
}

TEST_CASE("A frame read ahead by the burst prefetch gets the same reply", "[net][dns]") {
    // What stage 1 read is handed to the answer (Frame::lookahead): whole, truncated or
    // mangled, in its frame or in its DNS message (sent with a valid checksum, so that it
    // reaches the responder), every frame must get the reply, and the counts, it gets without.
    std::vector<Bytes> variants;
    auto mangle = [](const Bytes& whole, auto&& add) {
        for (size_t len = 0; len <= whole.size(); ++len)
            add(Bytes(whole.begin(), whole.begin() + static_cast<ptrdiff_t>(len)));
        for (size_t i = 0; i < whole.size(); ++i)
            for (const uint8_t value : {0x00, 0x3f, 0xff}) {
                Bytes mangled = whole;
                mangled[i] = value;
                add(std::move(mangled));
            }
    };
    const Bytes mixed_case_aaaa = query(
        {3, 'W', 'w', 'W', 7, 'e', 'x', 'A', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0, 0, 28, 0, 1});
    for (const Bytes& message : {query(), mixed_case_aaaa}) {
        mangle(dns4(message).build(), [&](Bytes frame) { variants.push_back(std::move(frame)); });
        mangle(message, [&](const Bytes& m) {
            variants.push_back(dns4(m).build());
            variants.push_back(dns6(m).build());
        });
    }
    DnsHarness plain;
    DnsHarness ahead;
    for (const Bytes& frame : variants) {
        const auto a = ahead.run(frame, true);
        const auto b = plain.run(frame);
        CHECK(a.verdict == b.verdict);
        CHECK(a.frame == b.frame);
    }
    CHECK(ahead.counters.counter == plain.counters.counter);
    CHECK(ahead.counters.drop == plain.counters.drop);
    CHECK(ahead.counters.dns_rcode == plain.counters.dns_rcode);
    CHECK(ahead.counters.dns_qtype == plain.counters.dns_qtype);
    // Most of them reached the responder.
    CHECK(plain.counters.get(stats::Counter::dns_udp4_queries) +
              plain.counters.get(stats::Counter::dns_udp6_queries) >
          variants.size() / 2);
}

} // namespace ringcast::test
