// DO=1 answers from a presigned zone (RFC 4035 §3.1): RRSIGs beside each RRset, NSEC proofs of
// absence in authority, DS or NSEC at a delegation; the canonical order the NSEC search runs
// on (RFC 4034 §6.1); and the snapshot checks of the NSEC chain.
#include "dataplane/dns/nsec3_hash.h"
#include "dataplane/snapshot/canonical_order.h"
#include "dataplane/snapshot/format.h"
#include "tests/unit/dns/dns_test_support.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <string>

using namespace ringcast;
using namespace ringcast::dns::test;

namespace {

constexpr uint16_t kA = 1, kNs = 2, kSoa = 6, kTxt = 16, kDs = 43, kRrsig = 46, kNsec = 47;

// An RRSIG record over `type` at `owner` (`labels` as RFC 4034 §3.1.3 counts them) signed by
// example.com.; the signature bytes are not checked by anyone, only carried.
std::string rrsig(const std::string& owner, const char* type, int labels, int ttl) {
    return owner + " " + std::to_string(ttl) + " IN RRSIG " + type + " 13 " +
           std::to_string(labels) + " " + std::to_string(ttl) +
           " 20400101000000 20240101000000 4711 example.com. c2lnbmF0dXJlIG9mIA==\n";
}

// example.com., signed with an NSEC chain in canonical order:
//   example.com. -> a -> x.b (b is an empty non-terminal) -> deleg -> insec -> *.w -> example.com.
// (ns.deleg is glue: no NSEC, no signatures.)
const std::vector<ZoneText>& signed_zones() {
    static const std::vector<ZoneText> zones = [] {
        std::string z = R"(
$ORIGIN example.com.
$TTL 3600
@           IN  SOA   ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
            IN  NS    ns.deleg.example.com.
            IN  A     192.0.2.1
            IN  NSEC  a.example.com. A NS SOA RRSIG NSEC
a       600 IN  A     192.0.2.10
a       300 IN  NSEC  x.b.example.com. A RRSIG NSEC
x.b         IN  A     192.0.2.11
x.b     300 IN  NSEC  deleg.example.com. A RRSIG NSEC
deleg       IN  NS    ns.deleg.example.com.
            IN  DS    4711 13 2 4B3A0E0DC3B1A58F4E25A1C0F3C6D7E8F9A0B1C2D3E4F5061728394A5B6C7D8E
deleg   300 IN  NSEC  insec.example.com. NS DS RRSIG NSEC
ns.deleg    IN  A     192.0.2.53
insec       IN  NS    ns.example.org.
insec   300 IN  NSEC  *.w.example.com. NS RRSIG NSEC
*.w         IN  TXT   "wild"
*.w     300 IN  NSEC  example.com. TXT RRSIG NSEC
)";
        z += rrsig("@", "SOA", 2, 3600) + rrsig("@", "NS", 2, 3600) + rrsig("@", "A", 2, 3600) +
             rrsig("@", "NSEC", 2, 300) + rrsig("a", "A", 3, 600) + rrsig("a", "NSEC", 3, 300) +
             rrsig("x.b", "A", 4, 3600) + rrsig("x.b", "NSEC", 4, 300) +
             rrsig("deleg", "DS", 3, 3600) + rrsig("deleg", "NSEC", 3, 300) +
             rrsig("insec", "NSEC", 3, 300) + rrsig("*.w", "TXT", 3, 3600) +
             rrsig("*.w", "NSEC", 3, 300);
        return std::vector<ZoneText>{{"example.com.", z}};
    }();
    return zones;
}

TestServer& server() {
    static TestServer s(signed_zones());
    return s;
}

Response ask(std::string_view name, uint16_t type, bool dnssec_ok = true, uint16_t size = 1232) {
    return server().ask(QueryBuilder().question(name, type).edns(size, 0, dnssec_ok).build());
}

// The type an RRSIG covers (RFC 4034 §3.1).
uint16_t covered(const DecodedRr& rr) {
    REQUIRE(rr.type == kRrsig);
    REQUIRE(rr.rdata.size() >= 2);
    return static_cast<uint16_t>(rr.rdata[0] << 8 | rr.rdata[1]);
}

// "owner TYPE" for each record, RRSIGs as "owner RRSIG(TYPE)": what a section holds, in order.
std::vector<std::string> shape(const std::vector<DecodedRr>& section) {
    std::vector<std::string> out;
    for (const DecodedRr& rr : section) {
        const auto name = [](uint16_t t) {
            switch (t) {
            case kA:
                return std::string("A");
            case kNs:
                return std::string("NS");
            case kSoa:
                return std::string("SOA");
            case kTxt:
                return std::string("TXT");
            case kDs:
                return std::string("DS");
            case kNsec:
                return std::string("NSEC");
            default:
                return "TYPE" + std::to_string(t);
            }
        };
        out.push_back(rr.owner + " " +
                      (rr.type == kRrsig ? "RRSIG(" + name(covered(rr)) + ")" : name(rr.type)));
    }
    return out;
}

using Shape = std::vector<std::string>;

// A lowercase wire name (no escapes needed in these zones) in presentation form.
std::string presentation(const uint8_t* name) {
    std::string out;
    for (const uint8_t* p = name; *p != 0; p += 1 + *p)
        out.append(reinterpret_cast<const char*>(p + 1), *p).push_back('.');
    return out.empty() ? "." : out;
}

} // namespace

TEST_CASE("canonical order sorts names as RFC 4034 §6.1 lists them") {
    // The RFC's example, lowercased ("\001" and "\200" are one-octet labels).
    const std::vector<std::vector<uint8_t>> sorted = {
        wire_name("example."),
        wire_name("a.example."),
        wire_name("yljkjljk.a.example."),
        wire_name("z.a.example."),
        wire_name("zabc.a.example."),
        wire_name("z.example."),
        {1, 0x01, 1, 'z', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0},
        wire_name("*.z.example."),
        {1, 0x80, 1, 'z', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0},
    };
    for (size_t i = 0; i < sorted.size(); ++i)
        for (size_t j = 0; j < sorted.size(); ++j) {
            const int c = snapshot::canonical_compare(sorted[i].data(), sorted[i].size(),
                                                      sorted[j].data(), sorted[j].size());
            INFO(i << " vs " << j);
            CHECK((c < 0) == (i < j));
            CHECK((c == 0) == (i == j));
        }
    const auto root = wire_name(".");
    CHECK(snapshot::canonical_compare(root.data(), root.size(), sorted[0].data(),
                                      sorted[0].size()) < 0);
}

TEST_CASE("NSEC3 owner names are the hashes of RFC 5155 Appendix A") {
    // Salt aabbccdd, 12 iterations (the NSEC3PARAM RDATA: SHA-1, flags 0).
    const uint8_t param[] = {1, 0, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd};
    dns::Nsec3Params params;
    REQUIRE(dns::read_nsec3_params(param, sizeof param, params));
    const auto origin = wire_name("example.");
    const std::pair<const char*, const char*> vectors[] = {
        {"example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"},
        {"a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"},
        {"ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"},
        {"ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"},
        {"*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"},
        {"x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s"},
        {"xx.example.", "t644ebqk9bibcna874givr6joj62mlhv"},
    };
    for (const auto& [name, hash] : vectors) {
        const auto wire = wire_name(name);
        uint8_t out[255];
        const size_t len = dns::nsec3_owner_name(wire.data(), wire.size(), params, origin.data(),
                                                 origin.size(), out);
        INFO(name);
        CHECK(std::vector<uint8_t>(out, out + len) == wire_name(std::string(hash) + ".example."));
    }
    // Another hash algorithm, a salt running past the RDATA, too many iterations: refused.
    const uint8_t sha256[] = {2, 0, 0, 0, 0};
    const uint8_t short_salt[] = {1, 0, 0, 0, 4, 0xaa};
    const uint8_t costly[] = {1, 0, 0x08, 0x00, 0};
    CHECK_FALSE(dns::read_nsec3_params(sha256, sizeof sha256, params));
    CHECK_FALSE(dns::read_nsec3_params(short_salt, sizeof short_salt, params));
    CHECK_FALSE(dns::read_nsec3_params(costly, sizeof costly, params));
}

TEST_CASE("DO=1 answers carry the RRSIGs of their RRsets, DO=0 answers do not") {
    const Response r = ask("a.example.com.", kA);
    CHECK(r.aa);
    CHECK_FALSE(r.tc);
    CHECK(r.opt.dnssec_ok);
    CHECK(shape(r.answer) == Shape{"a.example.com. A", "a.example.com. RRSIG(A)"});
    // RFC 4034 §3: the RRSIG's TTL is the RRset's.
    CHECK(r.answer[1].ttl == 600);
    CHECK(r.authority.empty());

    CHECK(shape(ask("a.example.com.", kA, false).answer) == Shape{"a.example.com. A"});
    // Without EDNS there is no DO bit at all.
    CHECK(shape(server().ask(QueryBuilder().question("a.example.com.", kA).build()).answer) ==
          Shape{"a.example.com. A"});
}

TEST_CASE("an RRSIG query returns the name's signatures, each with its RRset's TTL") {
    const Response r = ask("a.example.com.", kRrsig);
    REQUIRE(shape(r.answer) == Shape{"a.example.com. RRSIG(A)", "a.example.com. RRSIG(NSEC)"});
    CHECK(r.answer[0].ttl == 600);
    CHECK(r.answer[1].ttl == 300);
}

TEST_CASE("NXDOMAIN proves the name and the wildcard absent with signed NSECs") {
    // c.example.com. sorts between x.b and deleg: x.b's NSEC covers it; "*.example.com." sorts
    // right after the apex, inside the apex NSEC.
    const Response r = ask("c.example.com.", kA);
    CHECK(r.rcode == 3);
    CHECK(r.aa);
    CHECK(shape(r.authority) == Shape{"example.com. SOA", "example.com. RRSIG(SOA)",
                                      "x.b.example.com. NSEC", "x.b.example.com. RRSIG(NSEC)",
                                      "example.com. NSEC", "example.com. RRSIG(NSEC)"});
    // RFC 2308 §5 and RFC 4034 §3: the SOA and its RRSIG both at min(SOA TTL, MINIMUM).
    CHECK(r.authority[0].ttl == 300);
    CHECK(r.authority[1].ttl == 300);

    // A name past the last owner is covered by the last NSEC, which points back to the apex;
    // when one NSEC proves both, it is sent once.
    const Response past = ask("zz.example.com.", kA);
    CHECK(past.rcode == 3);
    CHECK(shape(past.authority) == Shape{"example.com. SOA", "example.com. RRSIG(SOA)",
                                         "*.w.example.com. NSEC", "*.w.example.com. RRSIG(NSEC)",
                                         "example.com. NSEC", "example.com. RRSIG(NSEC)"});
    const Response first = ask("0.example.com.", kA);
    CHECK(shape(first.authority) == Shape{"example.com. SOA", "example.com. RRSIG(SOA)",
                                          "example.com. NSEC", "example.com. RRSIG(NSEC)"});
}

TEST_CASE("NODATA proves the types absent: the name's own NSEC, or the covering one") {
    const Response r = ask("a.example.com.", kTxt);
    CHECK(r.rcode == 0);
    CHECK(shape(r.authority) == Shape{"example.com. SOA", "example.com. RRSIG(SOA)",
                                      "a.example.com. NSEC", "a.example.com. RRSIG(NSEC)"});
    // b.example.com. is an empty non-terminal: no NSEC of its own; a's NSEC (a -> x.b) covers it.
    const Response ent = ask("b.example.com.", kA);
    CHECK(ent.rcode == 0);
    CHECK(shape(ent.authority) == Shape{"example.com. SOA", "example.com. RRSIG(SOA)",
                                        "a.example.com. NSEC", "a.example.com. RRSIG(NSEC)"});
}

TEST_CASE("wildcard answers are signed as synthesised and prove no closer name") {
    const Response r = ask("foo.w.example.com.", kTxt);
    CHECK(r.rcode == 0);
    CHECK(shape(r.answer) == Shape{"foo.w.example.com. TXT", "foo.w.example.com. RRSIG(TXT)"});
    // RFC 4035 §3.1.3.3: the RRSIG keeps the wildcard's label count (3, not 4).
    CHECK(r.answer[1].rdata[3] == 3);
    // The NSEC covering foo.w.example.com. is the wildcard's own (*.w sorts before foo.w).
    CHECK(shape(r.authority) == Shape{"*.w.example.com. NSEC", "*.w.example.com. RRSIG(NSEC)"});

    // Wildcard NODATA: the wildcard's NSEC proves both the type and the name.
    const Response nodata = ask("foo.w.example.com.", kA);
    CHECK(shape(nodata.authority) == Shape{"example.com. SOA", "example.com. RRSIG(SOA)",
                                           "*.w.example.com. NSEC",
                                           "*.w.example.com. RRSIG(NSEC)"});
}

TEST_CASE("referrals carry the signed DS, or the NSEC proving there is none") {
    const Response secure = ask("host.deleg.example.com.", kA);
    CHECK_FALSE(secure.aa);
    CHECK(shape(secure.authority) ==
          Shape{"deleg.example.com. NS", "deleg.example.com. DS", "deleg.example.com. RRSIG(DS)"});
    CHECK(shape(secure.additional) == Shape{"ns.deleg.example.com. A"}); // glue is unsigned

    const Response insecure = ask("insec.example.com.", kA);
    CHECK_FALSE(insecure.aa);
    CHECK(shape(insecure.authority) == Shape{"insec.example.com. NS", "insec.example.com. NSEC",
                                             "insec.example.com. RRSIG(NSEC)"});

    // Without DO, the plain referral.
    CHECK(shape(ask("deleg.example.com.", kA, false).authority) == Shape{"deleg.example.com. NS"});
    // DS at the cut is the parent's signed data (RFC 4035 §3.1.4.1).
    const Response ds = ask("deleg.example.com.", kDs);
    CHECK(ds.aa);
    CHECK(shape(ds.answer) == Shape{"deleg.example.com. DS", "deleg.example.com. RRSIG(DS)"});
}

TEST_CASE("an RRset whose RRSIG does not fit sets TC") {
    // The apex NSEC proofs of an NXDOMAIN need ~400 bytes; 512 holds them, a smaller
    // capacity does not (the responder never goes below 512 itself, so cut the buffer).
    const auto query = QueryBuilder().question("c.example.com.", kA).edns(1232, 0, true).build();
    const Response full = server().ask(query, 1232);
    REQUIRE_FALSE(full.tc);
    const size_t needed = full.wire.size();
    const Response cut = server().ask(query, static_cast<uint32_t>(needed - 1));
    CHECK(cut.tc);
    CHECK(cut.authority.size() < full.authority.size());
}

TEST_CASE("a zone without an RRSIG over its SOA gets no DNSSEC additions") {
    // The same zone with every RRSIG and NSEC but the SOA's signature: not signed (Knot's test
    // too), so its RRSIGs and NSECs are plain data.
    std::string text = signed_zones()[0].text;
    const std::string soa_sig = rrsig("@", "SOA", 2, 3600);
    text.erase(text.find(soa_sig), soa_sig.size());
    TestServer unsigned_server({{"example.com.", text}});
    auto ask_unsigned = [&](std::string_view name, uint16_t type) {
        return unsigned_server.ask(QueryBuilder().question(name, type).edns(1232, 0, true).build());
    };
    CHECK(shape(ask_unsigned("a.example.com.", kA).answer) == Shape{"a.example.com. A"});
    const Response nx = ask_unsigned("c.example.com.", kA);
    CHECK(nx.rcode == 3);
    CHECK(shape(nx.authority) == Shape{"example.com. SOA"});
    CHECK(shape(ask_unsigned("deleg.example.com.", kA).authority) ==
          Shape{"deleg.example.com. NS"});
}

TEST_CASE("the snapshot keeps each zone's NSEC owners in canonical order, and checks it") {
    std::vector<uint8_t> image = build_test_snapshot(signed_zones());
    std::string error;
    auto snap = snapshot::Snapshot::open_memory(image, error);
    REQUIRE(snap != nullptr);
    const snapshot::View& view = snap->view();
    const snapshot::Zone& zone = view.zones[0];
    CHECK(zone.flags & snapshot::kZoneSigned);
    REQUIRE(zone.nsec_count == 6);
    std::vector<std::string> owners;
    for (uint32_t i = 0; i < zone.nsec_count; ++i) {
        const snapshot::Node& node = view.node(view.nsec_chain[zone.first_nsec + i]);
        const uint8_t* name = snapshot::View::name_of(node);
        owners.push_back(presentation(name));
    }
    CHECK(owners == std::vector<std::string>{"example.com.", "a.example.com.", "x.b.example.com.",
                                             "deleg.example.com.", "insec.example.com.",
                                             "*.w.example.com."});
    snap.reset();

    // Two entries swapped: refused even with a valid checksum.
    auto& header = *reinterpret_cast<snapshot::Header*>(image.data());
    auto* chain = reinterpret_cast<uint32_t*>(image.data() +
                                              header.sections[snapshot::kSectionNsecChain].offset);
    std::swap(chain[1], chain[2]);
    unsigned int len = 0;
    REQUIRE(EVP_Digest(image.data() + header.header_size, image.size() - header.header_size,
                       header.checksum, &len, EVP_sha256(), nullptr) == 1);
    CHECK(snapshot::Snapshot::open_memory(image, error) == nullptr);
    CHECK(error == "NSEC chain entry 2: not in canonical order");
}

namespace {

// NSEC3 hashes of the names below (SHA-1, no salt, no extra iteration; knsec3hash - 1 0 NAME),
// and the chain they form in hash order:
//   *.w 27u6.. -> w 8f17.. -> deleg eqjt.. -> a h64k.. -> apex onib.. -> *.w
// insec (5osa..), an unsigned delegation, has none: the chain opts out of it (RFC 5155 §6).
constexpr const char* kHashApex = "onib9mgub9h0rml3cdf5bgrj59dkjhvk";
constexpr const char* kHashA = "h64kfa4p1acer2ebps9qsdk6dnp8b3jq";
constexpr const char* kHashW = "8f17cvjb1q76bk78d4q0e88g41nies2c"; // an empty non-terminal
constexpr const char* kHashWildW = "27u6v06a32agn5h7un1la6ca237kpprk";
constexpr const char* kHashDeleg = "eqjtpmakeam809q5tq607pc2pc87djdo";

std::string nsec3(const char* hash, const char* next, const char* types) {
    return std::string(hash) + ".example.com. 300 IN NSEC3 1 0 0 - " + next + " " + types + "\n" +
           rrsig(std::string(hash) + ".example.com.", "NSEC3", 3, 300);
}

// The zone of the NSEC3 tests: example.com. with the chain above.
std::string nsec3_zone_text() {
    std::string z = R"(
$ORIGIN example.com.
$TTL 3600
@           IN  SOA   ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
            IN  NS    ns.deleg.example.com.
            IN  A     192.0.2.1
        300 IN  NSEC3PARAM 1 0 0 -
a           IN  A     192.0.2.10
*.w         IN  TXT   "wild"
deleg       IN  NS    ns.deleg.example.com.
ns.deleg    IN  A     192.0.2.53
insec       IN  NS    ns.example.org.
)";
    z += rrsig("@", "SOA", 2, 3600) + rrsig("@", "A", 2, 3600) + rrsig("@", "NSEC3PARAM", 2, 300) +
         rrsig("a", "A", 3, 3600) + rrsig("*.w", "TXT", 3, 3600);
    z += nsec3(kHashWildW, kHashW, "TXT RRSIG") + nsec3(kHashW, kHashDeleg, "") +
         nsec3(kHashDeleg, kHashA, "NS") + nsec3(kHashA, kHashApex, "A RRSIG") +
         nsec3(kHashApex, kHashWildW, "A NS SOA RRSIG NSEC3PARAM");
    return z;
}

TestServer& nsec3_server() {
    static TestServer s({{"example.com.", nsec3_zone_text()}});
    return s;
}

// The NSEC3 owners (hash labels) of a section, in order.
std::vector<std::string> nsec3_owners(const std::vector<DecodedRr>& section) {
    std::vector<std::string> out;
    for (const DecodedRr& rr : section)
        if (rr.type == 50) out.push_back(rr.owner.substr(0, rr.owner.find('.')));
    return out;
}

std::vector<std::string> nsec3_proof(std::string_view name, uint16_t type) {
    const Response r =
        nsec3_server().ask(QueryBuilder().question(name, type).edns(1232, 0, true).build());
    // Every NSEC3 comes with its RRSIG.
    size_t signatures = 0;
    for (const DecodedRr& rr : r.authority)
        signatures += rr.type == kRrsig && covered(rr) == 50;
    CHECK(signatures == nsec3_owners(r.authority).size());
    return nsec3_owners(r.authority);
}

using Owners = std::vector<std::string>;

} // namespace

TEST_CASE("NSEC3 zones prove with NSEC3 records (RFC 5155 §7.2)") {
    // §7.2.2 name error: the closest encloser (the apex) matches; c.example.com. (2nqb..) and
    // *.example.com. (4f3c..) are both covered by *.w's NSEC3, sent once.
    CHECK(nsec3_proof("c.example.com.", kA) == Owners{kHashApex, kHashWildW});
    // Below a name: a. matches, x.a. (s8mj..) is covered by the apex's, *.a. (jf0s..) by a's.
    CHECK(nsec3_proof("x.a.example.com.", kA) == Owners{kHashA, kHashApex});
    // §7.2.3 no data, at a name and at an empty non-terminal (which has an NSEC3 of its own).
    CHECK(nsec3_proof("a.example.com.", kTxt) == Owners{kHashA});
    CHECK(nsec3_proof("w.example.com.", kA) == Owners{kHashW});
    // §7.2.6 wildcard answer: the next closer name foo.w. (gr6t..) is covered by deleg's.
    CHECK(nsec3_proof("foo.w.example.com.", kTxt) == Owners{kHashDeleg});
    // §7.2.5 wildcard no data: that, the closest encloser w. and the wildcard itself.
    CHECK(nsec3_proof("foo.w.example.com.", kA) == Owners{kHashDeleg, kHashW, kHashWildW});
    // §7.2.7 referral to an unsigned child: the delegation's NSEC3 (no DS bit).
    CHECK(nsec3_proof("host.deleg.example.com.", kA) == Owners{kHashDeleg});
    // Opted out: the closest provable encloser (the apex) matches and the covering record of
    // the delegation's name (*.w's) shows it is not signed.
    CHECK(nsec3_proof("insec.example.com.", kA) == Owners{kHashApex, kHashWildW});
    // §7.2.4: DS asked for there, NODATA with the same proof.
    CHECK(nsec3_proof("insec.example.com.", kDs) == Owners{kHashApex, kHashWildW});
}

TEST_CASE("an NSEC3 owner name is a name error, with the proof of one (RFC 5155 §7.2.8)") {
    // a.'s NSEC3 owner: the closest encloser is the apex; the hashed name hashes to iak2..
    // (covered by a.'s own NSEC3) and *.example.com. to 4f3c.. (covered by *.w's).
    const std::string owner = std::string(kHashA) + ".example.com.";
    for (const uint16_t type : {uint16_t{50}, kA, kRrsig}) {
        INFO("type " << type);
        const Response r =
            nsec3_server().ask(QueryBuilder().question(owner, type).edns(1232, 0, true).build());
        CHECK(r.rcode == 3);
        CHECK(r.answer.empty());
        CHECK(nsec3_proof(owner, type) == Owners{kHashApex, kHashA, kHashWildW});
    }
    // A name below it has the same closest encloser, and next closer name.
    CHECK(nsec3_proof("x." + owner, kA) == Owners{kHashApex, kHashA, kHashWildW});
    // The denial chain still reaches the node: a.'s own NODATA proof is unchanged.
    CHECK(nsec3_proof("a.example.com.", kTxt) == Owners{kHashA});
}

TEST_CASE("the snapshot refuses an NSEC3-only flag on a name with other data") {
    std::vector<uint8_t> image = build_test_snapshot(
        {{"example.com.", "$ORIGIN example.com.\n"
                          "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                          "@ 3600 IN NS ns1\n"
                          "a 3600 IN A 192.0.2.10\n"}});
    std::string error;
    uint32_t a_node;
    {
        auto snap = snapshot::Snapshot::open_memory(image, error);
        REQUIRE(snap != nullptr);
        const auto name = wire_name("a.example.com.");
        a_node = snap->view().find_node(0, name.data(), name.size());
        REQUIRE(a_node != snapshot::kNone);
    }
    auto& header = *reinterpret_cast<snapshot::Header*>(image.data());
    auto& node = *reinterpret_cast<snapshot::Node*>(
        image.data() + header.sections[snapshot::kSectionData].offset + a_node);
    node.flags = snapshot::kNodeNsec3Only;
    unsigned int len = 0;
    REQUIRE(EVP_Digest(image.data() + header.header_size, image.size() - header.header_size,
                       header.checksum, &len, EVP_sha256(), nullptr) == 1);
    CHECK(snapshot::Snapshot::open_memory(image, error) == nullptr);
    CHECK(error == "node 1: NSEC3-only node without NSEC3");
}

TEST_CASE("an NSEC3 record whose owner is no hash label over the origin is not in the chain") {
    // RFC 5155 §3: the chain's owners are hashes one label below the origin; the responder
    // compares only that label (View::covering_nsec3).
    const std::string stray = "x.a.example.com. 300 IN NSEC3 1 0 0 - " + std::string(kHashApex) +
                              " A\n" + std::string(kHashA).substr(0, 31) +
                              ".example.com. 300 IN NSEC3 1 0 0 - " + kHashApex + " A\n";
    std::vector<uint8_t> image = build_test_snapshot({{"example.com.", nsec3_zone_text() + stray}});
    std::string error;
    auto snap = snapshot::Snapshot::open_memory(image, error);
    REQUIRE(snap != nullptr);
    CHECK(snap->view().zones[0].flags & snapshot::kZoneNsec3);
    CHECK(snap->view().zones[0].nsec_count == 5);
}

TEST_CASE("the NSEC3 search keys order as the hash labels, and equal keys go by the label") {
    // RFC 5155 Appendix A: the key of a hash is its label's first 64 bits.
    const uint8_t param[] = {1, 0, 0, 12, 4, 0xaa, 0xbb, 0xcc, 0xdd};
    dns::Nsec3Params params;
    REQUIRE(dns::read_nsec3_params(param, sizeof param, params));
    const auto name = wire_name("a.example.");
    uint8_t digest[dns::kNsec3DigestSize];
    dns::nsec3_digest(name.data(), name.size(), params, digest);
    const std::string label = "35mthgpgcu1qg68fab165klnsnk3dpvl";
    uint64_t key = 0;
    REQUIRE(dns::nsec3_key_of_label(reinterpret_cast<const uint8_t*>(label.data()), key));
    CHECK(key == dns::nsec3_key(digest));
    const std::string not_base32hex = "35mthgpgcu1qg68fab165klnsnk3dpvw";
    CHECK_FALSE(
        dns::nsec3_key_of_label(reinterpret_cast<const uint8_t*>(not_base32hex.data()), key));

    // Three owners, the first two alike in their first 13 characters (65 bits): one key.
    const std::string prefix = "1234567890abc";
    const std::string low = prefix + std::string(19, '0'), high = prefix + std::string(19, 'g'),
                      last = std::string(32, 'v');
    std::string z = "$ORIGIN example.com.\n"
                    "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                    "@ 3600 IN NS ns1\n"
                    "@ 300 IN NSEC3PARAM 1 0 0 -\n";
    z += low + " 300 IN NSEC3 1 0 0 - " + high + " A\n";
    z += high + " 300 IN NSEC3 1 0 0 - " + last + " A\n";
    z += last + " 300 IN NSEC3 1 0 0 - " + low + " A\n";
    std::vector<uint8_t> image = build_test_snapshot({{"example.com.", z}});
    std::string error;
    auto snap = snapshot::Snapshot::open_memory(image, error);
    REQUIRE(snap != nullptr);
    const snapshot::View& view = snap->view();
    REQUIRE(view.zones[0].nsec_count == 3);
    auto covering = [&](const std::string& hash_label) {
        uint64_t k = 0;
        REQUIRE(dns::nsec3_key_of_label(reinterpret_cast<const uint8_t*>(hash_label.data()), k));
        const uint32_t entry =
            view.covering_nsec3(0, k, reinterpret_cast<const uint8_t*>(hash_label.data()));
        return presentation(snapshot::View::name_of(view.node(entry))).substr(0, 32);
    };
    CHECK(covering(low) == low);
    CHECK(covering(prefix + std::string(19, '8')) == low); // same key, between the two
    CHECK(covering(high) == high);
    CHECK(covering(prefix + std::string(19, 'h')) == high); // same key, after both
    // 'd' shares the key's last 4 bits with 'c' (01101, 01100: the key ends inside the 13th
    // character); 'e' (01110) makes a larger key. Both come after the two.
    CHECK(covering("1234567890abd" + std::string(19, '0')) == high);
    CHECK(covering("1234567890abe" + std::string(19, '0')) == high);
    CHECK(covering(std::string(32, '0')) == last); // before the first: wraps
    CHECK(covering(last) == last);
}
