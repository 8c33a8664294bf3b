// Authoritative answers from a snapshot, one kind per test: positive, CNAME chains, negative
// answers, referrals, DS at a cut, wildcards, ANY, zone selection.
#include "dataplane/dns/answer.h"
#include "dataplane/dns/protocol.h"
#include "dataplane/dns/query.h"
#include "tests/unit/dns/dns_test_support.h"

#include <catch2/catch.hpp>

using namespace ringcast;
using namespace ringcast::dns::test;

namespace {

constexpr uint16_t kA = 1, kNs = 2, kCname = 5, kSoa = 6, kMx = 15, kTxt = 16, kAaaa = 28,
                   kSrv = 33, kDname = 39, kDs = 43, kRrsig = 46, kNsec = 47, kAny = 255;

TestServer& server() {
    static TestServer s(test_zones());
    return s;
}

Response ask(std::string_view name, uint16_t type) {
    return server().ask(QueryBuilder().question(name, type).build());
}

std::vector<uint8_t> ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    return {a, b, c, d};
}

// RFC 2308 §3: the negative answer's authority is the zone SOA with TTL min(TTL, MINIMUM).
void check_negative_soa(const Response& r, const char* origin, uint32_t ttl) {
    REQUIRE(r.authority.size() == 1);
    CHECK(r.authority[0].type == kSoa);
    CHECK(r.authority[0].owner == origin);
    CHECK(r.authority[0].ttl == ttl);
    CHECK(r.answer.empty());
}

} // namespace

TEST_CASE("positive A and AAAA answers are authoritative") {
    const Response a = ask("www.example.net.", kA);
    CHECK(a.rcode == 0);
    CHECK(a.aa);
    CHECK_FALSE(a.tc);
    REQUIRE(a.answer.size() == 1);
    CHECK(a.answer[0].owner == "www.example.net.");
    CHECK(a.answer[0].type == kA);
    CHECK(a.answer[0].rclass == 1);
    CHECK(a.answer[0].ttl == 3600);
    CHECK(a.answer[0].rdata == ipv4(203, 0, 113, 80));
    CHECK(a.authority.empty());
    CHECK(a.additional.empty());

    const Response aaaa = ask("www.example.net.", kAaaa);
    REQUIRE(aaaa.answer.size() == 1);
    CHECK(aaaa.answer[0].type == kAaaa);
    CHECK(aaaa.answer[0].rdata.size() == 16);
}

TEST_CASE("MX answer carries the exchange's address in additional") {
    const Response r = ask("example.net.", kMx);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].rdata_names == std::vector<std::string>{"mail.example.net."});
    REQUIRE(r.additional.size() == 1);
    CHECK(r.additional[0].owner == "mail.example.net.");
    CHECK(r.additional[0].type == kA);
    CHECK(r.additional[0].rdata == ipv4(203, 0, 113, 25));
}

TEST_CASE("NS answer at the apex carries A and AAAA of both servers") {
    const Response r = ask("example.net.", kNs);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 2);
    REQUIRE(r.additional.size() == 4);
    CHECK(r.additional[0].owner == "ns1.example.net.");
    CHECK(r.additional[0].type == kA);
    CHECK(r.additional[1].owner == "ns1.example.net.");
    CHECK(r.additional[1].type == kAaaa);
    CHECK(r.additional[2].owner == "ns2.example.net.");
    CHECK(r.additional[3].owner == "ns2.example.net.");
}

TEST_CASE("SRV answer: target not compressed, address in additional") {
    const Response r = ask("_sip._udp.example.net.", kSrv);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].rdata_names == std::vector<std::string>{"sip.example.net."});
    // RFC 3597 §4: SRV RDATA is copied as is (6 fixed bytes + the full name).
    CHECK(r.answer[0].rdata.size() == 6 + wire_name("sip.example.net.").size());
    REQUIRE(r.additional.size() == 1);
    CHECK(r.additional[0].owner == "sip.example.net.");
}

TEST_CASE("TXT answer") {
    const Response r = ask("example.net.", kTxt);
    REQUIRE(r.answer.size() == 1);
    // One <character-string>: length byte, then the text.
    const std::string spf = "\x0bv=spf1 -all";
    CHECK(r.answer[0].rdata == std::vector<uint8_t>(spf.begin(), spf.end()));
}

TEST_CASE("CNAME is answered and followed inside the zone") {
    const Response r = ask("chain1.example.net.", kA);
    CHECK(r.rcode == 0);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 4);
    CHECK(r.answer[0].owner == "chain1.example.net.");
    CHECK(r.answer[0].rdata_names[0] == "chain2.example.net.");
    CHECK(r.answer[1].owner == "chain2.example.net.");
    CHECK(r.answer[1].rdata_names[0] == "cdn.example.net.");
    CHECK(r.answer[2].owner == "cdn.example.net.");
    CHECK(r.answer[2].ttl == 300);
    CHECK(r.answer[3].owner == "www.example.net.");
    CHECK(r.answer[3].type == kA);
}

TEST_CASE("CNAME query type answers the CNAME itself") {
    const Response r = ask("cdn.example.net.", kCname);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].type == kCname);
}

TEST_CASE("CNAME loop ends cleanly with each CNAME once") {
    const Response r = ask("loop1.example.net.", kA);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 2);
    CHECK(r.answer[0].owner == "loop1.example.net.");
    CHECK(r.answer[1].owner == "loop2.example.net.");
    CHECK(r.authority.empty());
}

TEST_CASE("CNAME to a missing name: NXDOMAIN with the CNAME (RFC 6604)") {
    const Response r = ask("dangling.example.net.", kA);
    CHECK(r.rcode == 3);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].type == kCname);
    REQUIRE(r.authority.size() == 1);
    CHECK(r.authority[0].type == kSoa);
    CHECK(r.authority[0].ttl == 300);
}

TEST_CASE("CNAME chain ending in NODATA keeps NOERROR with the SOA") {
    const Response r = ask("cdn.example.net.", kMx);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 1);
    REQUIRE(r.authority.size() == 1);
    CHECK(r.authority[0].type == kSoa);
}

TEST_CASE("CNAME out of the zone is not followed") {
    const Response r = ask("outside.example.net.", kA);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].rdata_names[0] == "www.example.org.");
    CHECK(r.authority.empty());
}

TEST_CASE("NODATA: the SOA with the negative TTL") {
    const Response r = ask("www.example.net.", kMx);
    CHECK(r.rcode == 0);
    CHECK(r.aa);
    check_negative_soa(r, "example.net.", 300); // min(3600, 300)
    CHECK(r.authority[0].rdata_names ==
          std::vector<std::string>{"ns1.example.net.", "hostmaster.example.net."});
}

TEST_CASE("NXDOMAIN: the SOA with the negative TTL") {
    const Response r = ask("nothere.example.net.", kA);
    CHECK(r.rcode == 3);
    CHECK(r.aa);
    check_negative_soa(r, "example.net.", 300);
    const Response deeper = ask("x.y.z.example.net.", kA);
    CHECK(deeper.rcode == 3);
}

TEST_CASE("empty non-terminal: NODATA, and NXDOMAIN below it") {
    const Response ent = ask("b.ent.example.net.", kA);
    CHECK(ent.rcode == 0);
    check_negative_soa(ent, "example.net.", 300);
    const Response ent2 = ask("ent.example.net.", kTxt);
    CHECK(ent2.rcode == 0);
    CHECK(ent2.answer.empty());
    const Response below = ask("c.b.ent.example.net.", kA);
    CHECK(below.rcode == 3);
    const Response leaf = ask("a.b.ent.example.net.", kTxt);
    CHECK(leaf.answer.size() == 1);
}

TEST_CASE("referral: AA clear, NS of the cut in authority, glue in additional") {
    for (const char* name : {"sub.example.net.", "www.sub.example.net.", "ns.sub.example.net.",
                             "a.b.c.sub.example.net."}) {
        const Response r = ask(name, kA);
        CHECK(r.rcode == 0);
        CHECK_FALSE(r.aa);
        CHECK(r.answer.empty());
        REQUIRE(r.authority.size() == 1);
        CHECK(r.authority[0].owner == "sub.example.net.");
        CHECK(r.authority[0].type == kNs);
        CHECK(r.authority[0].rdata_names[0] == "ns.sub.example.net.");
        REQUIRE(r.additional.size() == 1);
        CHECK(r.additional[0].owner == "ns.sub.example.net.");
        CHECK(r.additional[0].rdata == ipv4(203, 0, 113, 54));
    }
    // NS at the cut is a referral too.
    const Response ns = ask("sub.example.net.", kNs);
    CHECK_FALSE(ns.aa);
    CHECK(ns.answer.empty());
    CHECK(ns.authority.size() == 1);
}

TEST_CASE("DS at the cut is answered from the parent side") {
    const Response none = ask("sub.example.net.", kDs);
    CHECK(none.rcode == 0);
    CHECK(none.aa);
    check_negative_soa(none, "example.net.", 300);

    const Response signed_cut = ask("secure.example.net.", kDs);
    CHECK(signed_cut.aa);
    REQUIRE(signed_cut.answer.size() == 1);
    CHECK(signed_cut.answer[0].type == kDs);
    CHECK(signed_cut.answer[0].owner == "secure.example.net.");

    // Below the cut, DS is the child's business: a referral.
    const Response below = ask("x.secure.example.net.", kDs);
    CHECK_FALSE(below.aa);
    REQUIRE(below.authority.size() == 1);
    CHECK(below.authority[0].owner == "secure.example.net.");
}

TEST_CASE("wildcard synthesis with the query name as owner (RFC 4592)") {
    const Response r = ask("Anything.Wild.example.net.", kTxt);
    CHECK(r.rcode == 0);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].owner == "Anything.Wild.example.net.");
    CHECK(r.answer[0].type == kTxt);

    const Response nodata = ask("anything.wild.example.net.", kA);
    CHECK(nodata.rcode == 0);
    check_negative_soa(nodata, "example.net.", 300);

    // The wildcard matches one level below the closest encloser only through the encloser.
    const Response deeper = ask("a.b.wild.example.net.", kTxt);
    CHECK(deeper.rcode == 0);
    REQUIRE(deeper.answer.size() == 1);
    CHECK(deeper.answer[0].owner == "a.b.wild.example.net.");

    // The name "wild" itself exists only as an empty non-terminal.
    CHECK(ask("wild.example.net.", kTxt).answer.empty());
}

TEST_CASE("wildcard CNAME is synthesised and followed") {
    const Response r = ask("foo.wildcname.example.net.", kA);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 2);
    CHECK(r.answer[0].owner == "foo.wildcname.example.net.");
    CHECK(r.answer[0].type == kCname);
    CHECK(r.answer[1].owner == "www.example.net.");
    CHECK(r.answer[1].type == kA);
}

TEST_CASE("ANY answers one RRset (RFC 8482)") {
    const Response r = ask("www.example.net.", kAny);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].type == kA); // the node's lowest type
    const Response ent = ask("ent.example.net.", kAny);
    CHECK(ent.answer.empty());
    CHECK(ent.authority.size() == 1);
    CHECK(ask("nothere.example.net.", kAny).rcode == 3);
}

TEST_CASE("zone selection: the longest served origin; none is REFUSED") {
    const Response deep = ask("www.deep.example.net.", kA);
    CHECK(deep.aa);
    REQUIRE(deep.answer.size() == 1);
    CHECK(deep.answer[0].rdata == ipv4(192, 0, 2, 7));
    const Response deep_nx = ask("nothere.deep.example.net.", kA);
    CHECK(deep_nx.rcode == 3);
    check_negative_soa(deep_nx, "deep.example.net.", 60);

    for (const char* name : {"www.example.org.", "net.", "."}) {
        const Response r = ask(name, kA);
        CHECK(r.rcode == 5);
        CHECK_FALSE(r.aa);
        CHECK(r.ancount == 0);
        CHECK(r.nscount == 0);
        CHECK(r.qname == name);
    }
}

TEST_CASE("the question and answer owners keep the query's letter case (RFC 4343)") {
    const Response r = ask("WwW.ExAmPlE.NeT.", kA);
    CHECK(r.qname == "WwW.ExAmPlE.NeT.");
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].owner == "WwW.ExAmPlE.NeT.");
    const Response mixed = ask("mixed-case.example.net.", kTxt);
    REQUIRE(mixed.answer.size() == 1);
    CHECK(mixed.answer[0].owner == "mixed-case.example.net.");
}

TEST_CASE("RCODEs are counted") {
    TestServer& s = server();
    const uint64_t nx = s.counters.dns_rcode[3];
    const uint64_t refused = s.counters.dns_rcode[5];
    ask("nothere.example.net.", kA);
    ask("www.example.org.", kA);
    CHECK(s.counters.dns_rcode[3] == nx + 1);
    CHECK(s.counters.dns_rcode[5] == refused + 1);
}

// Regression (differential test against Knot): a wildcard CNAME that leads back to its own
// wildcard ended after the first CNAME; the name that closes the loop was missing.
TEST_CASE("wildcard CNAME loop: the chain shows the name that loops, once") {
    const Response r = ask("foo.wloop.example.net.", kA);
    CHECK(r.rcode == 0);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 2);
    CHECK(r.answer[0].owner == "foo.wloop.example.net.");
    CHECK(r.answer[0].rdata_names == std::vector<std::string>{"x.wloop.example.net."});
    CHECK(r.answer[1].owner == "x.wloop.example.net.");
    CHECK(r.answer[1].rdata_names == std::vector<std::string>{"x.wloop.example.net."});

    // Asked at the looping name itself: one CNAME, as for a plain CNAME to itself.
    const Response self = ask("x.wloop.example.net.", kA);
    REQUIRE(self.answer.size() == 1);
    CHECK(self.answer[0].owner == "x.wloop.example.net.");
}

// Regression (differential test against Knot): RRSIG and NSEC may share a name with a CNAME
// (RFC 4035 §2.5); asked for, they are that name's data and the CNAME is not followed.
TEST_CASE("RRSIG and NSEC queries at a CNAME do not follow it") {
    for (const uint16_t type : {kRrsig, kNsec}) {
        const Response r = ask("cdn.example.net.", type);
        CHECK(r.rcode == 0);
        CHECK(r.aa);
        CHECK(r.answer.empty());
        check_negative_soa(r, "example.net.", 300);
    }
}

// Regression (differential test against Knot): RFC 9471 §3 — a referral whose in-domain glue
// does not fit sets TC; before, the glue was silently cut.
TEST_CASE("referral: in-domain glue that does not fit sets TC (RFC 9471)") {
    const Response small = ask("www.wide.example.net.", kA); // no EDNS: 512 bytes
    CHECK(small.rcode == 0);
    CHECK_FALSE(small.aa);
    CHECK(small.tc);
    REQUIRE(small.authority.size() == 12);
    CHECK(small.authority[0].type == kNs);
    CHECK(small.additional.size() < 24);
    CHECK(small.wire.size() <= 512);

    const Response big =
        server().ask(QueryBuilder().question("www.wide.example.net.", kA).edns(1232).build());
    CHECK_FALSE(big.tc);
    CHECK(big.authority.size() == 12);
    CHECK(big.additional.size() == 24);
}

TEST_CASE("referral: sibling glue is optional and never sets TC (RFC 9471 §3.2)") {
    const auto query = QueryBuilder().question("www.side.example.net.", kA).build();
    const Response full = server().ask(query);
    REQUIRE(full.authority.size() == 1);
    REQUIRE(full.additional.size() == 1);
    CHECK(full.additional[0].owner == "ns.sub.example.net.");
    // Room for the referral but not for the sibling's address.
    const Response cut = server().ask(query, static_cast<uint32_t>(full.additional[0].offset + 4));
    CHECK_FALSE(cut.tc);
    CHECK(cut.authority.size() == 1);
    CHECK(cut.additional.empty());
}

TEST_CASE("referral: in-domain glue comes before sibling glue in additional") {
    const Response r = ask("mixed.example.net.", kA);
    CHECK_FALSE(r.tc);
    REQUIRE(r.authority.size() == 2);
    REQUIRE(r.additional.size() == 2);
    CHECK(r.additional[0].owner == "ns.mixed.example.net.");
    CHECK(r.additional[1].owner == "ns.sub.example.net.");
}

TEST_CASE("DNAME: the DNAME, the CNAME it synthesises, then the target in zone (RFC 6672 §3)") {
    const Response r = ask("WWW.Old.example.net.", kA);
    CHECK(r.rcode == 0);
    CHECK(r.aa);
    REQUIRE(r.answer.size() == 3);
    // Compressed against the question, so in its letter case (names compare without case).
    CHECK(r.answer[0].owner == "Old.example.net.");
    CHECK(r.answer[0].type == kDname);
    CHECK(r.answer[0].rdata == wire_name("example.net."));
    // §3.1: owned by the name as asked, with the DNAME's TTL.
    CHECK(r.answer[1].owner == "WWW.Old.example.net.");
    CHECK(r.answer[1].type == kCname);
    CHECK(r.answer[1].ttl == r.answer[0].ttl);
    CHECK(r.answer[1].rdata_names == std::vector<std::string>{"www.example.net."});
    CHECK(r.answer[2].owner == "www.example.net.");
    CHECK(r.answer[2].type == kA);
    CHECK(r.authority.empty());
}

TEST_CASE("DNAME met twice in a chain is in the answer once (RFC 2181 §5)") {
    const Response r = ask("www.old.old.example.net.", kA);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 4);
    CHECK(r.answer[0].type == kDname);
    CHECK(r.answer[1].rdata_names == std::vector<std::string>{"www.old.example.net."});
    CHECK(r.answer[2].owner == "www.old.example.net.");
    CHECK(r.answer[2].rdata_names == std::vector<std::string>{"www.example.net."});
    CHECK(r.answer[3].type == kA);
}

TEST_CASE("DNAME: its owner is not redirected (RFC 6672 §2.2)") {
    const Response a = ask("old.example.net.", kA);
    CHECK(a.rcode == 0);
    check_negative_soa(a, "example.net.", 300);
    const Response dname = ask("old.example.net.", kDname);
    REQUIRE(dname.answer.size() == 1);
    CHECK(dname.answer[0].type == kDname);
}

TEST_CASE("DNAME: a synthesised name that does not exist ends in NXDOMAIN (RFC 6604)") {
    const Response r = ask("nowhere.old.example.net.", kA);
    CHECK(r.rcode == 3);
    REQUIRE(r.answer.size() == 2);
    CHECK(r.answer[1].rdata_names == std::vector<std::string>{"nowhere.example.net."});
    REQUIRE(r.authority.size() == 1);
    CHECK(r.authority[0].type == kSoa);
}

TEST_CASE("DNAME out of the zone: the synthesised CNAME is not followed") {
    const Response r = ask("www.far.example.net.", kAaaa);
    CHECK(r.rcode == 0);
    REQUIRE(r.answer.size() == 2);
    CHECK(r.answer[1].rdata_names == std::vector<std::string>{"www.example.org."});
    CHECK(r.authority.empty());
}

TEST_CASE("DNAME: a substitution past 255 bytes is YXDOMAIN with the DNAME (RFC 6672 §2.2)") {
    // 2 + 253 bytes; the CNAME's target alone is 255 bytes, so past 512 without EDNS.
    const Response fits =
        server().ask(QueryBuilder().question("x.long.example.net.", kA).edns(4096).build());
    CHECK(fits.rcode == 0);
    CHECK_FALSE(fits.tc);
    REQUIRE(fits.answer.size() == 2);
    CHECK(fits.answer[1].rdata_names[0].size() == 254); // presentation: no length bytes
    const Response over = ask("xy.long.example.net.", kA);
    CHECK(over.rcode == 6);
    CHECK(over.aa);
    REQUIRE(over.answer.size() == 1);
    CHECK(over.answer[0].type == kDname);
    CHECK(over.authority.empty());
}

// Regression: the answer owner was written from the lowercase copy of the question and got the
// query's case back only by being compressed to a pointer at the question. Here nothing makes
// the question a compression target (no remember_question), so each owner is written out in
// full: it must still be the query's own spelling, for the question and for a CNAME chain's
// first record alike.
TEST_CASE("answer owners keep the query's letter case without compression to the question") {
    for (const char* name : {"WwW.ExAmPlE.NeT.", "CDN.example.NET."}) {
        INFO(name);
        std::vector<uint8_t> msg = QueryBuilder().question(name, kA).build();
        const auto len = static_cast<uint32_t>(msg.size());
        msg.resize(4096);
        dns::Query query;
        REQUIRE(dns::parse_query(msg.data(), len, query) == dns::ParseStatus::kOk);
        dns::ResponseWriter writer(msg.data(), query.question_end, msg.size());
        const dns::AnswerResult result =
            dns::answer_from_snapshot(server().snapshot->view(), query, writer);
        REQUIRE(result.rcode == 0);
        msg[dns::kOffsetFlags1] |= 0x80; // QR
        dns::store_be16(msg.data() + dns::kOffsetAncount, writer.count(dns::Section::kAnswer));
        dns::store_be16(msg.data() + dns::kOffsetNscount, writer.count(dns::Section::kAuthority));
        dns::store_be16(msg.data() + dns::kOffsetArcount, writer.count(dns::Section::kAdditional));
        const Response r = decode(msg.data(), writer.size());
        REQUIRE_FALSE(r.answer.empty());
        CHECK(r.answer[0].owner == name);
    }
}
