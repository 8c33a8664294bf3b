// Writes the generated part of the seed corpora (tests/fuzz/corpus/<target>/gen-*) from the unit
// tests' own builders: frames from tests/unit/support/packet_builder.h carrying queries from
// tests/unit/dns/dns_test_support.h, TCP conversations in tcp_segment_fuzz's encoding, the demo
// zone's snapshot and a small site's content snapshot. Hand-written seeds sit beside them.
//
//   build/tests/fuzz/fuzz_make_seeds tests/fuzz/corpus
#include "controlplane/content/content_compiler.h"
#include "controlplane/zone/zone_compiler.h"
#include "tests/unit/content/content_test_util.h"
#include "tests/unit/dns/dns_test_support.h"
#include "tests/unit/net/net_harness.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace rc = ringcast;
namespace fs = std::filesystem;
using rc::dns::test::QueryBuilder;
using rc::test::Bytes;
using rc::test::PacketBuilder;

namespace {

constexpr uint16_t kTypeA = 1, kTypeNs = 2, kTypeSoa = 6, kTypeTxt = 16, kTypeAaaa = 28,
                   kTypeAny = 255, kClassChaos = 3;
constexpr uint16_t kClientPort = 40000;

void write(const fs::path& dir, const std::string& name, const Bytes& bytes) {
    fs::create_directories(dir);
    std::ofstream(dir / ("gen-" + name), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

struct NamedQuery {
    const char* name;
    Bytes bytes;
};

std::vector<NamedQuery> queries() {
    return {
        {"www-a", QueryBuilder().question("www.example.net.", kTypeA).build()},
        {"www-aaaa-edns", QueryBuilder().question("www.example.net.", kTypeAaaa).edns().build()},
        {"apex-ns-do",
         QueryBuilder().question("example.net.", kTypeNs).edns(4096, 0, true).build()},
        {"apex-soa-nsid", QueryBuilder().question("Example.NET.", kTypeSoa).nsid().build()},
        {"nxdomain", QueryBuilder().question("no-such-name.example.net.", kTypeA).edns().build()},
        {"any", QueryBuilder().question("example.net.", kTypeAny).build()},
        {"chaos-id-server", QueryBuilder().question("id.server.", kTypeTxt, kClassChaos).build()},
        {"out-of-zone", QueryBuilder().question("example.org.", kTypeA).build()},
        {"no-question", QueryBuilder().no_question().build()},
    };
}

Bytes udp4(const Bytes& query) {
    return PacketBuilder()
        .eth(rc::test::kClientMac, rc::test::kPortMac)
        .ipv4(rc::test::kClient4, rc::test::kVip4)
        .udp(kClientPort, 53)
        .payload(query)
        .build();
}

Bytes udp6(const Bytes& query) {
    return PacketBuilder()
        .eth(rc::test::kClientMac, rc::test::kPortMac)
        .ipv6(rc::test::kClient6, rc::test::kVip6)
        .udp(kClientPort, 53)
        .payload(query)
        .build();
}

// frame_fuzz's input: a control byte (0: nothing claimed by the port, no read-ahead), the frame.
Bytes control(uint8_t bits, Bytes frame) {
    frame.insert(frame.begin(), bits);
    return frame;
}

// One segment in tcp_segment_fuzz's encoding (see its header comment).
Bytes segment(uint8_t control_bits, uint8_t options, const Bytes& payload = {}) {
    Bytes out = {control_bits, 0, 0, 0xff, options, static_cast<uint8_t>(payload.size())};
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Bytes tcp_message(const Bytes& query) { // RFC 1035 §4.2.2 length prefix
    Bytes out = {static_cast<uint8_t>(query.size() >> 8), static_cast<uint8_t>(query.size())};
    out.insert(out.end(), query.begin(), query.end());
    return out;
}

Bytes conversation(uint8_t family_bits, bool timestamps, const std::vector<Bytes>& messages) {
    constexpr uint8_t kSyn = 0x02, kAck = 0x10, kPsh = 0x08, kFin = 0x01;
    const uint8_t ts = timestamps ? 0x04 : 0;
    Bytes out = segment(family_bits | kSyn, 0x01 | 0x02 | 0x08 | ts);
    auto add = [&](const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); };
    add(segment(family_bits | kAck, ts));
    for (const auto& m : messages) {
        add(segment(family_bits | kAck | kPsh, ts, m));
        add(segment(family_bits | kAck, ts | 0x40)); // ACK what came back, 10 ms later
    }
    add(segment(family_bits | kAck | kFin, ts));
    add(segment(family_bits | kAck, ts | 0x40));
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    const fs::path root(argv[1]);
    const auto qs = queries();

    for (const auto& q : qs) {
        write(root / "dns_query", q.name, q.bytes);
        write(root / "frame", std::string("udp4-") + q.name, control(0, udp4(q.bytes)));
        write(root / "frame", std::string("udp6-") + q.name, control(0, udp6(q.bytes)));
    }
    // Read ahead as the runtime does, a partial checksum on a veth, a port that saw a bad sum.
    write(root / "frame", "udp4-www-a-readahead", control(0x08, udp4(qs[0].bytes)));
    write(root / "frame", "udp6-www-a-partial",
          control(0x04, PacketBuilder()
                            .eth(rc::test::kClientMac, rc::test::kPortMac)
                            .ipv6(rc::test::kClient6, rc::test::kVip6)
                            .udp(kClientPort, 53)
                            .udp_checksum(0x1234)
                            .payload(qs[0].bytes)
                            .build()));
    write(root / "frame", "udp4-l4-bad", control(0x02, udp4(qs[0].bytes)));
    write(root / "frame", "udp4-options",
          control(0, PacketBuilder()
                         .eth(rc::test::kClientMac, rc::test::kPortMac)
                         .ipv4(rc::test::kClient4, rc::test::kVip4)
                         .ipv4_options({0x01, 0x01, 0x01, 0x00})
                         .udp(kClientPort, 53)
                         .payload(qs[1].bytes)
                         .build()));
    write(root / "frame", "arp-request",
          control(0, PacketBuilder()
                         .eth(rc::test::kClientMac, rc::test::kBroadcastMac)
                         .arp_request(rc::test::kClientMac, rc::test::kClient4, rc::test::kVip4)
                         .build()));
    write(root / "frame", "icmp4-echo",
          control(0, PacketBuilder()
                         .eth(rc::test::kClientMac, rc::test::kPortMac)
                         .ipv4(rc::test::kClient4, rc::test::kVip4)
                         .icmp4_echo(7, 1)
                         .payload({1, 2, 3, 4, 5, 6, 7, 8})
                         .build()));
    write(root / "frame", "icmp6-echo",
          control(0, PacketBuilder()
                         .eth(rc::test::kClientMac, rc::test::kPortMac)
                         .ipv6(rc::test::kClient6, rc::test::kVip6)
                         .icmp6_echo(7, 1)
                         .payload({1, 2, 3, 4, 5, 6, 7, 8})
                         .build()));
    write(root / "frame", "ndp-solicitation",
          control(0, PacketBuilder()
                         .eth(rc::test::kClientMac, rc::test::kPortMac)
                         .ipv6(rc::test::kClient6, rc::test::kVip6SolicitedNode)
                         .ttl(255)
                         .neighbour_solicitation(rc::test::kVip6)
                         .nd_source_link_layer(rc::test::kClientMac)
                         .build()));

    // A port with an exception TAP: frames for the host, not a VIP, go to the kernel untouched.
    write(
        root / "frame", "exception-arp-host",
        control(0x10, PacketBuilder()
                          .eth(rc::test::kClientMac, rc::test::kBroadcastMac)
                          .arp_request(rc::test::kClientMac, rc::test::kClient4, rc::test::kOther4)
                          .build()));
    write(root / "frame", "exception-udp6-host",
          control(0x10, PacketBuilder()
                            .eth(rc::test::kClientMac, rc::test::kPortMac)
                            .ipv6(rc::test::kClient6, rc::test::kOther6)
                            .udp(kClientPort, 53)
                            .payload(qs[0].bytes)
                            .build()));

    // TCP: whole conversations, one query or two pipelined, over each family.
    const Bytes q1 = tcp_message(qs[0].bytes), q2 = tcp_message(qs[2].bytes);
    Bytes both = q1;
    both.insert(both.end(), q2.begin(), q2.end());
    write(root / "tcp_segment", "v4-one-query", conversation(0, false, {q1}));
    write(root / "tcp_segment", "v4-timestamps-pipelined", conversation(0, true, {both}));
    write(root / "tcp_segment", "v6-two-queries", conversation(0x20, true, {q1, q2}));
    write(root / "tcp_segment", "v4-unserved-port", segment(0x02, 0x20 | 0x01));
    write(root / "tcp_segment", "v4-two-peers", [&] {
        Bytes a = conversation(0, false, {q1}), b = conversation(0x40, true, {q2});
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }());

    // The demo zone's snapshot, as ringcastd writes it.
    rc::zone::BuildOptions build;
    build.generation = 1;
    build.created_unix = 1;
    build.hash_seed = 0x5eed;
    const auto zone =
        rc::zone::compile_zones({rc::zone::ZoneSource{"example.net.", RINGCAST_FUZZ_ZONE}}, build);
    if (!zone.ok) {
        std::fprintf(stderr, "demo zone does not compile\n");
        return 1;
    }
    write(root / "snapshot_verify", "example.net", zone.snapshot);

    // A small site: two hosts, a page with a gzip sibling, a stylesheet, a nested path.
    rc::content::test::TempTree site;
    site.write("index.html", "<!doctype html><title>ringcast</title><p>hello</p>\n");
    site.write("index.html.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10));
    site.write("css/site.css", "body { font: 14px sans-serif }\n");
    site.write("a b/%41.txt", "percent\n");
    rc::content::ContentOptions options;
    options.generation = 1;
    options.created_unix = 1;
    options.hash_seed = 0x5eed;
    const auto content = rc::content::compile_content(
        {rc::content::SiteSource{
            {"www.example.net", "example.net"}, site.dir.string(), "max-age=60"}},
        options);
    if (!content.ok) {
        for (const auto& e : content.errors)
            std::fprintf(stderr, "%s\n", e.c_str());
        return 1;
    }
    write(root / "content_verify", "site", content.image);
    std::printf("seeds written under %s\n", root.c_str());
    return 0;
}
