#include "controlplane/zone/rr_types.h"
#include "dataplane/snapshot/reader.h"
#include "tests/unit/zone/zone_test_util.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <ctime>
#include <openssl/evp.h>

using namespace ringcast::zone;
using namespace ringcast::zone::test;
namespace snap = ringcast::snapshot;

namespace {

constexpr uint64_t kSeed = 0x1234'5678'9abc'def0ull;
const BuildOptions kOptions{7, 1'700'000'000, kSeed};

const std::string kSmallZone = "$ORIGIN example.net.\n"
                               "$TTL 3600\n"
                               "@ IN SOA ns1 hostmaster 42 7200 3600 1209600 300\n"
                               "@ NS ns1\n"
                               "@ NS ns.sub\n"
                               "@ MX 10 mail\n"
                               "@ MX 20 Mail\n"
                               "@ MX 30 mx.example.org.\n"
                               "ns1 A 192.0.2.1\n"
                               "ns1 AAAA 2001:db8::1\n"
                               "mail A 192.0.2.2\n"
                               "www CNAME Mail\n"
                               "*.wild TXT \"w\"\n"
                               "a.b.ent TXT \"x\"\n"
                               "sub NS ns.sub\n"
                               "ns.sub A 192.0.2.3\n"
                               "_sip._udp SRV 0 0 5060 mail\n"
                               "Mixed TXT \"m\"\n"
                               "@ A 192.0.2.80\n";

ParsedZone parse_ok(const std::string& text, const std::string& origin = "example.net.",
                    const std::string& file = "small.zone") {
    auto t = parse_text(text, origin, file);
    for (const auto& e : t.errors)
        UNSCOPED_INFO(e.to_string());
    REQUIRE(t.ok);
    std::vector<Diagnostic> errors;
    REQUIRE(check_zone(t.zone, errors));
    return t.zone;
}

std::vector<uint8_t> sha256(const uint8_t* data, size_t size) {
    std::vector<uint8_t> out(32);
    unsigned len = 0;
    EVP_Digest(data, size, out.data(), &len, EVP_sha256(), nullptr);
    return out;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
    std::vector<uint8_t> out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

struct Built {
    std::vector<uint8_t> bytes;
    SnapshotView view;
    explicit Built(std::vector<uint8_t> b) : bytes(std::move(b)), view{bytes} {}
    uint32_t node(const std::string& name, uint32_t zone = 0) const {
        return view.find_node(zone, wire(name));
    }
};

} // namespace

TEST_CASE("builder: header fields") {
    const Built b(build_snapshot({parse_ok(kSmallZone)}, kOptions));
    const auto& h = b.view.header();
    CHECK(std::memcmp(h.magic, snap::kMagic, 8) == 0);
    CHECK(h.format_version == snap::kFormatVersion);
    CHECK(h.byte_order == snap::kByteOrderMark);
    CHECK(h.header_size == sizeof(snap::Header));
    CHECK(h.file_size == b.bytes.size());
    CHECK(h.generation == 7);
    CHECK(h.created_unix == 1'700'000'000);
    CHECK(h.hash_seed == kSeed);
    CHECK(h.zone_count == 1);
    CHECK(h.node_count == 14); // 10 owners + 4 empty non-terminals
    CHECK(h.rrset_count == 14);
    CHECK(h.zone_index_slots == 2);
    CHECK(h.node_index_buckets == 3); // 14 nodes at load <= 5/8, plus a free slot: 24 slots

    const uint64_t sizes[snap::kSectionCount] = {sizeof(snap::Zone) * 1,
                                                 sizeof(snap::IndexSlot) * 2,
                                                 sizeof(uint32_t) * 14,
                                                 sizeof(snap::NodeBucket) * 3,
                                                 0,
                                                 0};
    uint64_t end = sizeof(snap::Header);
    for (uint32_t s = 0; s < snap::kSectionCount; ++s) {
        INFO("section " << s);
        CHECK(h.sections[s].offset % snap::kAlignment == 0);
        CHECK(h.sections[s].offset >= end); // in order, no overlap
        if (sizes[s] != 0) CHECK(h.sections[s].size == sizes[s]);
        end = h.sections[s].offset + h.sections[s].size;
    }
    CHECK(end == h.file_size);
    CHECK(std::string(b.view.strings() + b.view.zone(0).source_file) == "small.zone");
}

TEST_CASE("builder: the checksum covers everything after the header") {
    Built b(build_snapshot({parse_ok(kSmallZone)}, kOptions));
    const auto& h = b.view.header();
    const auto digest = sha256(b.bytes.data() + h.header_size, b.bytes.size() - h.header_size);
    CHECK(std::equal(digest.begin(), digest.end(), h.checksum));
    b.bytes.back() ^= 1; // any byte of the last section
    const auto corrupted = sha256(b.bytes.data() + h.header_size, b.bytes.size() - h.header_size);
    CHECK_FALSE(std::equal(corrupted.begin(), corrupted.end(), h.checksum));
}

TEST_CASE("builder: same input and options, same bytes; 0 means now and random") {
    const auto zone = parse_ok(kSmallZone);
    CHECK(build_snapshot({zone}, kOptions) == build_snapshot({zone}, kOptions));
    const Built a(build_snapshot({zone}, {}));
    const Built b(build_snapshot({zone}, {}));
    CHECK(a.view.header().hash_seed != b.view.header().hash_seed);
    const auto now = static_cast<uint64_t>(std::time(nullptr));
    CHECK(a.view.header().created_unix + 5 >= now);
    CHECK(a.view.header().created_unix <= now);
    // Every node is still found whatever the seed.
    CHECK(a.node("a.b.ent.example.net.") != snap::kNone);
}

TEST_CASE("builder: zone record") {
    const Built b(build_snapshot({parse_ok(kSmallZone)}, kOptions));
    const auto& z = b.view.zone(0);
    const auto origin = wire("example.net.");
    CHECK(z.origin_len == origin.size());
    CHECK(z.origin_labels == 2);
    CHECK(std::memcmp(b.view.data() + z.origin_name, origin.data(), origin.size()) == 0);
    CHECK(z.apex_node == b.node("example.net."));
    const auto apex_rrsets = b.view.rrsets_of(z.apex_node);
    REQUIRE(std::find(apex_rrsets.begin(), apex_rrsets.end(), z.soa_rrset) != apex_rrsets.end());
    CHECK(b.view.rrset(z.soa_rrset).type == kTypeSoa);
    CHECK(z.serial == 42);
    CHECK(z.negative_ttl == 300); // min(SOA TTL 3600, MINIMUM 300)
    CHECK(z.record_count == 17);
    CHECK(b.view.find_zone(origin) == 0);
    CHECK(b.view.find_zone(wire("example.org.")) == snap::kNone);
    CHECK(b.view.find_zone(wire("net.")) == snap::kNone);

    // RFC 2308 §5: the SOA's own TTL when it is the smaller.
    const Built low(build_snapshot(
        {parse_ok("@ 100 SOA ns1 hostmaster 1 2 3 4 300\n@ NS ns1.example.org.\n")}, kOptions));
    CHECK(low.view.zone(0).negative_ttl == 100);
}

TEST_CASE("builder: nodes, empty non-terminals, parents and flags") {
    const Built b(build_snapshot({parse_ok(kSmallZone)}, kOptions));
    struct Expect {
        const char* name;
        uint8_t flags;
    };
    const Expect expected[] = {
        {"example.net.", snap::kNodeApex},
        {"ns1.example.net.", 0},
        {"mail.example.net.", 0},
        {"www.example.net.", snap::kNodeCname},
        {"*.wild.example.net.", 0},
        {"wild.example.net.", snap::kNodeEmptyNonTerminal | snap::kNodeWildcardChild},
        {"a.b.ent.example.net.", 0},
        {"b.ent.example.net.", snap::kNodeEmptyNonTerminal},
        {"ent.example.net.", snap::kNodeEmptyNonTerminal},
        {"sub.example.net.", snap::kNodeDelegation},
        {"ns.sub.example.net.", snap::kNodeBelowCut},
        {"_sip._udp.example.net.", 0},
        {"_udp.example.net.", snap::kNodeEmptyNonTerminal},
        {"mixed.example.net.", 0}, // stored lowercase
    };
    std::vector<uint32_t> seen;
    for (const Expect& e : expected) {
        INFO(e.name);
        const auto name = wire(e.name);
        const uint32_t n = b.view.find_node(0, name);
        REQUIRE(n != snap::kNone);
        seen.push_back(n);
        const auto& node = b.view.node(n);
        CHECK(int(node.flags) == int(e.flags));
        CHECK(n - b.view.zone(0).apex_node < b.view.zone(0).nodes_end - b.view.zone(0).apex_node);
        CHECK(node.labels == ringcast::dns::name_info(name.data()).labels);
        CHECK(b.view.node_name(n) == name);
        if (name == wire("example.net.")) {
            CHECK(node.parent == snap::kNone);
        } else {
            const auto up = dname::parent(name);
            CHECK(node.parent == b.view.find_node(0, {up.begin(), up.end()}));
        }
        CHECK((node.rrset_count == 0) == bool(node.flags & snap::kNodeEmptyNonTerminal));
    }
    std::sort(seen.begin(), seen.end());
    CHECK(std::unique(seen.begin(), seen.end()) == seen.end());            // 14 distinct nodes
    CHECK(b.view.find_node(0, wire("Mixed.example.net.")) == snap::kNone); // keys are lowercase
    CHECK(b.view.find_node(0, wire("nothing.example.net.")) == snap::kNone);
    CHECK(b.view.find_node(0, wire("x.wild.example.net.")) == snap::kNone);
    // The wildcard parent names its "*" child (format.h, Node).
    CHECK(b.view.wildcard_child(b.node("wild.example.net.")) == b.node("*.wild.example.net."));
}

TEST_CASE("builder: RRsets sorted by type, RDATA as written") {
    const Built b(build_snapshot({parse_ok(kSmallZone)}, kOptions));
    const auto& apex = b.view.node(b.node("example.net."));
    REQUIRE(apex.rrset_count == 4);
    std::vector<uint16_t> types;
    for (const uint32_t r : b.view.rrsets_of(b.node("example.net.")))
        types.push_back(b.view.rrset(r).type);
    CHECK(types == std::vector<uint16_t>{kTypeA, kTypeNs, kTypeSoa, kTypeMx});

    const auto* ns = b.view.find_rrset(b.node("example.net."), kTypeNs);
    REQUIRE(ns != nullptr);
    CHECK(ns->rr_count == 2);
    CHECK(ns->ttl == 3600);
    const auto rrs = b.view.rrs(*ns);
    CHECK(rrs[0] == wire("ns1.example.net."));
    CHECK(rrs[1] == wire("ns.sub.example.net."));

    // The second MX keeps its case: RDATA is copied as written, never lowercased.
    const auto* mx = b.view.find_rrset(b.node("example.net."), kTypeMx);
    REQUIRE(mx != nullptr);
    REQUIRE(mx->rr_count == 3);
    CHECK(b.view.rrs(*mx)[1] == concat({{0, 20}, wire("Mail.example.net.")}));
    // RDLENGTH is big-endian.
    const uint8_t* raw = b.view.data() + mx->rdata;
    CHECK(raw[0] == 0);
    CHECK(raw[1] == 2 + wire("mail.example.net.").size());

    const auto* a = b.view.find_rrset(b.node("ns.sub.example.net."), kTypeA);
    REQUIRE(a != nullptr);
    CHECK(b.view.rrs(*a)[0] == std::vector<uint8_t>{192, 0, 2, 3});
}

TEST_CASE("builder: additional-section targets for NS, MX and SRV") {
    const Built b(build_snapshot({parse_ok(kSmallZone)}, kOptions));
    const uint32_t apex = b.node("example.net."), ns1 = b.node("ns1.example.net."),
                   mail = b.node("mail.example.net."), glue = b.node("ns.sub.example.net.");
    auto additional = [&](uint32_t node, uint16_t type) {
        const auto* r = b.view.find_rrset(node, type);
        REQUIRE(r != nullptr);
        if (r->additional != snap::kNone) CHECK(r->additional % 4 == 0);
        return b.view.additional(*r);
    };
    CHECK(additional(apex, kTypeNs) == std::vector<uint32_t>{ns1, glue});
    // "mail" and "Mail" are one node, listed once; the out-of-zone MX target is left out.
    CHECK(additional(apex, kTypeMx) == std::vector<uint32_t>{mail});
    CHECK(additional(b.node("sub.example.net."), kTypeNs) == std::vector<uint32_t>{glue});
    CHECK(additional(b.node("_sip._udp.example.net."), kTypeSrv) == std::vector<uint32_t>{mail});
    CHECK(additional(b.node("www.example.net."), kTypeCname).empty());
    CHECK(additional(apex, kTypeSoa).empty());
}

TEST_CASE("builder: a target without addresses is not an additional node") {
    const Built b(build_snapshot(
        {parse_ok(kZoneHead + "@ MX 10 txtonly\ntxtonly TXT \"no address\"\n")}, kOptions));
    const auto* mx = b.view.find_rrset(b.node("example.net."), kTypeMx);
    REQUIRE(mx != nullptr);
    CHECK(mx->additional == snap::kNone);
}

TEST_CASE("builder: parent and child zones each have their own nodes") {
    const auto parent =
        parse_ok(kZoneHead + "sub NS ns.sub\nns.sub A 192.0.2.3\n", "example.net.", "parent.zone");
    const auto child = parse_ok("$ORIGIN sub.example.net.\n"
                                "@ SOA ns hostmaster 7 1 1 1 60\n"
                                "@ NS ns\n"
                                "ns A 192.0.2.3\n",
                                "sub.example.net", "child.zone");
    const Built b(build_snapshot({parent, child}, kOptions));
    const auto& h = b.view.header();
    CHECK(h.zone_count == 2);
    CHECK(h.zone_index_slots == 4);
    CHECK(b.view.find_zone(wire("example.net.")) == 0);
    CHECK(b.view.find_zone(wire("sub.example.net.")) == 1);

    const uint32_t cut = b.node("sub.example.net.", 0), child_apex = b.node("sub.example.net.", 1);
    REQUIRE(cut != snap::kNone);
    REQUIRE(child_apex != snap::kNone);
    CHECK(cut != child_apex);
    CHECK(b.view.node(cut).flags == snap::kNodeDelegation);
    CHECK(b.view.node(child_apex).flags == snap::kNodeApex);
    CHECK(b.view.zone(1).apex_node == child_apex);
    CHECK(b.view.zone(0).node_count + b.view.zone(1).node_count == b.view.header().node_count);
    CHECK(b.view.zone(1).serial == 7);
    CHECK(b.view.zone(1).negative_ttl == 60);
    CHECK(b.view.node(b.node("ns.sub.example.net.", 0)).flags == snap::kNodeBelowCut);
    CHECK(b.view.node(b.node("ns.sub.example.net.", 1)).flags == 0);
    CHECK(b.view.node(b.node("ns.sub.example.net.", 1)).parent == child_apex);
    // A name of one zone is not found under the other's seed.
    CHECK(b.node("ns1.example.net.", 1) == snap::kNone);
    CHECK(std::string(b.view.strings() + b.view.zone(1).source_file) == "child.zone");
}

TEST_CASE("builder: the same origin twice is refused") {
    const auto zone = parse_ok(kZoneHead);
    CHECK_THROWS_AS(build_snapshot({zone, zone}, kOptions), std::invalid_argument);
}

TEST_CASE("builder: an unchecked zone without SOA is refused, not half-built") {
    auto t = parse_text("www A 192.0.2.1\n");
    REQUIRE(t.ok);
    CHECK_THROWS_AS(build_snapshot({t.zone}, kOptions), std::invalid_argument);
}

// The dataplane's own verifier and lookups accept what the builder writes.
TEST_CASE("builder: round trip through the dataplane snapshot reader") {
    const CompileResult result = compile_zones(
        {ZoneSource{"example.net.", std::string(RINGCAST_SOURCE_ROOT) + "/zones/example.net.zone"},
         ZoneSource{"example.com.", data_path("zones/good/roundtrip-example.com.zone")}},
        kOptions);
    REQUIRE(result.ok);
    std::string error;
    auto s = snap::Snapshot::open_memory(result.snapshot, error);
    INFO(error);
    REQUIRE(s != nullptr);
    const auto& v = s->view();
    const auto origin = wire("example.net.");
    const uint32_t z = v.find_zone(origin.data(), origin.size());
    REQUIRE(z == 0);
    const auto www = wire("www.example.net.");
    const uint32_t n = v.find_node(z, www.data(), www.size());
    REQUIRE(n != snap::kNone);
    const auto* a = v.find_rrset(v.node(n), kTypeA);
    REQUIRE(a != nullptr);
    CHECK(a->rr_count == 1);
    const auto mixed = wire("mixed-case.example.net.");
    CHECK(v.find_node(z, mixed.data(), mixed.size()) != snap::kNone);
    const auto com = wire("example.com.");
    CHECK(v.find_zone(com.data(), com.size()) == 1);
}
