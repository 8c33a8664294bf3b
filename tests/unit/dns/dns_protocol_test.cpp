// The protocol ladder of answer_udp: drops, FORMERR for each malformation, NOTIMP, EDNS (echo,
// sizes, BADVERS, NSID) and CHAOS.
#include "dataplane/stats/counters.h"
#include "tests/unit/dns/dns_test_support.h"

#include <catch2/catch.hpp>

using namespace ringcast;
using namespace ringcast::dns::test;
using ringcast::stats::Counter;
using ringcast::stats::DropReason;

namespace {

constexpr uint16_t kA = 1, kTxt = 16, kSoa = 6;
constexpr uint16_t kCh = 3;

TestServer& server() {
    static TestServer s(test_zones());
    return s;
}

// The common shape of an error response: header copied, QR set, AA clear, no records.
void check_error_shape(const Response& r, uint8_t rcode, bool with_question) {
    REQUIRE(r.sent);
    CHECK(r.id == 0x1234);
    CHECK(r.qr);
    CHECK_FALSE(r.aa);
    CHECK_FALSE(r.tc);
    CHECK_FALSE(r.ra);
    CHECK(r.rd); // echoed from the builder's default RD=1
    CHECK(r.rcode == rcode);
    CHECK(r.qdcount == (with_question ? 1 : 0));
    CHECK(r.ancount == 0);
    CHECK(r.nscount == 0);
}

} // namespace

TEST_CASE("messages shorter than a header are dropped") {
    TestServer& s = server();
    const uint64_t before = s.counters.get(DropReason::dns_too_short);
    std::vector<uint8_t> buffer(512, 0);
    CHECK_FALSE(s.answer(buffer, 11).send);
    CHECK_FALSE(s.answer(buffer, 0).send);
    CHECK(s.counters.get(DropReason::dns_too_short) == before + 2);
}

TEST_CASE("responses (QR=1) are dropped") {
    TestServer& s = server();
    const uint64_t before = s.counters.get(DropReason::dns_response_received);
    const auto q = QueryBuilder().flags(0x81, 0).question("www.example.net.", kA).build();
    CHECK_FALSE(s.ask(q).sent);
    CHECK(s.counters.get(DropReason::dns_response_received) == before + 1);
}

TEST_CASE("queries are counted per transport") {
    TestServer& s = server();
    const uint64_t v4 = s.counters.get(Counter::dns_udp4_queries);
    const uint64_t v6 = s.counters.get(Counter::dns_udp6_queries);
    const auto q = QueryBuilder().question("www.example.net.", kA).build();
    s.ask(q, 4096, dns::Transport::kUdp4);
    s.ask(q, 4096, dns::Transport::kUdp6);
    s.ask(q, 4096, dns::Transport::kUdp6);
    CHECK(s.counters.get(Counter::dns_udp4_queries) == v4 + 1);
    CHECK(s.counters.get(Counter::dns_udp6_queries) == v6 + 2);
}

TEST_CASE("FORMERR for each kind of malformed query") {
    TestServer& s = server();
    const uint64_t formerr_before = s.counters.dns_rcode[1];

    SECTION("header only: QDCOUNT 0 in the response") {
        const Response r = s.ask(QueryBuilder().no_question().build());
        check_error_shape(r, 1, false);
        CHECK(r.wire.size() == 12);
        CHECK(s.counters.dns_rcode[1] == formerr_before + 1);
    }
    SECTION("QDCOUNT 2: the first question is echoed") {
        auto q = QueryBuilder().question("www.example.net.", kA);
        const auto second = wire_name("mail.example.net.");
        std::vector<uint8_t> extra = second;
        extra.insert(extra.end(), {0, 1, 0, 1});
        const Response r = s.ask(q.counts(2, 0, 0, 0).append(extra).build());
        check_error_shape(r, 1, true);
        CHECK(r.qname == "www.example.net.");
    }
    SECTION("question runs past the message") {
        auto bytes = QueryBuilder().question("www.example.net.", kA).build();
        bytes.resize(bytes.size() - 3);
        check_error_shape(s.ask(bytes), 1, false);
    }
    SECTION("name runs past the message") {
        const Response r = s.ask(QueryBuilder().raw_question({3, 'w', 'w'}).build());
        check_error_shape(r, 1, false);
    }
    SECTION("compression pointer in the question name") {
        const Response r =
            s.ask(QueryBuilder().raw_question({3, 'w', 'w', 'w', 0xc0, 12, 0, 1, 0, 1}).build());
        check_error_shape(r, 1, false);
    }
    SECTION("label longer than 63 bytes") {
        std::vector<uint8_t> q{64};
        q.insert(q.end(), 64, 'a');
        q.insert(q.end(), {0, 0, 1, 0, 1});
        check_error_shape(s.ask(QueryBuilder().raw_question(q).build()), 1, false);
    }
    SECTION("name longer than 255 bytes") {
        std::vector<uint8_t> q;
        for (int i = 0; i < 5; ++i) {
            q.push_back(63);
            q.insert(q.end(), 63, 'a');
        }
        q.insert(q.end(), {0, 0, 1, 0, 1});
        check_error_shape(s.ask(QueryBuilder().raw_question(q).build()), 1, false);
    }
    SECTION("a name of exactly 255 bytes is fine") {
        std::vector<uint8_t> q;
        for (int i = 0; i < 3; ++i) {
            q.push_back(63);
            q.insert(q.end(), 63, 'a');
        }
        q.push_back(61);
        q.insert(q.end(), 61, 'b');
        q.insert(q.end(), {0, 0, 1, 0, 1}); // 3*64 + 62 + 1 = 255
        const Response r = s.ask(QueryBuilder().raw_question(q).build());
        CHECK(r.rcode == 5); // REFUSED: not in a served zone
    }
    SECTION("trailing garbage") {
        const Response r =
            s.ask(QueryBuilder().question("www.example.net.", kA).append({1, 2, 3}).build());
        check_error_shape(r, 1, true);
        CHECK(r.qname == "www.example.net.");
    }
    SECTION("a record in the answer section that runs past the message") {
        std::vector<uint8_t> rr{0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192};
        const Response r = s.ask(
            QueryBuilder().question("www.example.net.", kA).counts(1, 1, 0, 0).append(rr).build());
        check_error_shape(r, 1, true);
    }
    SECTION("two OPT records") {
        std::vector<uint8_t> opt{0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0};
        const Response r = s.ask(QueryBuilder()
                                     .question("www.example.net.", kA)
                                     .edns()
                                     .counts(1, 0, 0, 2)
                                     .append(opt)
                                     .build());
        check_error_shape(r, 1, true);
        CHECK_FALSE(r.opt.present);
    }
    SECTION("OPT not owned by the root") {
        std::vector<uint8_t> opt{1, 'x', 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0};
        const Response r = s.ask(
            QueryBuilder().question("www.example.net.", kA).counts(1, 0, 0, 1).append(opt).build());
        check_error_shape(r, 1, true);
    }
    SECTION("OPT in the authority section") {
        std::vector<uint8_t> opt{0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0};
        const Response r = s.ask(
            QueryBuilder().question("www.example.net.", kA).counts(1, 0, 1, 0).append(opt).build());
        check_error_shape(r, 1, true);
    }
    SECTION("EDNS option running past the OPT RDATA") {
        std::vector<uint8_t> opt{0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 4, 0, 3, 0, 9};
        const Response r = s.ask(
            QueryBuilder().question("www.example.net.", kA).counts(1, 0, 0, 1).append(opt).build());
        check_error_shape(r, 1, true);
    }
    SECTION("ARCOUNT larger than the records present") {
        const Response r =
            s.ask(QueryBuilder().question("www.example.net.", kA).counts(1, 0, 0, 3).build());
        check_error_shape(r, 1, true);
    }
}

// Regression (differential test against Knot): a query carrying records in answer or authority
// used to get FORMERR; Knot answers it, and IXFR must carry the client's SOA (RFC 1995 §3).
TEST_CASE("records in a query's answer and authority sections are ignored") {
    TestServer& s = server();
    auto an = wire_name("www.example.net.");
    an.insert(an.end(), {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1});
    const Response answered = s.ask(
        QueryBuilder().question("www.example.net.", kA).counts(1, 1, 0, 0).append(an).build());
    CHECK(answered.rcode == 0);
    CHECK(answered.aa);
    REQUIRE(answered.answer.size() == 1);
    CHECK(answered.answer[0].rdata == std::vector<uint8_t>{203, 0, 113, 80});

    std::vector<uint8_t> ns{0xc0, 12, 0, 2, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12};
    const Response with_ns = s.ask(
        QueryBuilder().question("www.example.net.", kA).counts(1, 0, 1, 0).append(ns).build());
    CHECK(with_ns.rcode == 0);
    CHECK(with_ns.answer.size() == 1);

    // IXFR over UDP with the client's SOA in authority: NOTIMP, not FORMERR.
    std::vector<uint8_t> soa{0xc0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 22, 0, 0};
    soa.insert(soa.end(), 20, 0); // root mname and rname, then five zero counters
    const Response ixfr =
        s.ask(QueryBuilder().question("example.net.", 251).counts(1, 0, 1, 0).append(soa).build());
    CHECK(ixfr.rcode == 4);
}

TEST_CASE("opcodes other than QUERY get NOTIMP with the question echoed") {
    TestServer& s = server();
    for (uint8_t opcode : {1, 2, 4, 5, 6}) {
        const Response r =
            s.ask(QueryBuilder().opcode(opcode).question("www.example.net.", kSoa).build());
        check_error_shape(r, 4, true);
        CHECK(r.opcode == opcode);
        CHECK(r.qname == "www.example.net.");
    }
    const Response header_only = s.ask(QueryBuilder().opcode(2).no_question().build());
    check_error_shape(header_only, 4, false);
}

TEST_CASE("AXFR and IXFR over UDP get NOTIMP") {
    TestServer& s = server();
    CHECK(s.ask(QueryBuilder().question("example.net.", 252).build()).rcode == 4);
    CHECK(s.ask(QueryBuilder().question("example.net.", 251).build()).rcode == 4);
}

TEST_CASE("EDNS: OPT echoed with our size, version 0 and DO") {
    TestServer& s = server();
    const uint64_t edns_before = s.counters.get(Counter::dns_edns_queries);
    const Response plain = s.ask(QueryBuilder().question("www.example.net.", kA).build());
    CHECK_FALSE(plain.opt.present);

    const Response r =
        s.ask(QueryBuilder().question("www.example.net.", kA).edns(4096, 0, true).build());
    REQUIRE(r.opt.present);
    CHECK(r.opt.udp_size == s.config.max_udp_payload);
    CHECK(r.opt.version == 0);
    CHECK(r.opt.dnssec_ok);
    CHECK(r.opt.options.empty());
    CHECK(r.arcount == r.additional.size() + 1);

    const Response no_do =
        s.ask(QueryBuilder().question("www.example.net.", kA).edns(1232, 0, false).build());
    REQUIRE(no_do.opt.present);
    CHECK_FALSE(no_do.opt.dnssec_ok);
    // Unknown options are ignored.
    const Response unknown = s.ask(
        QueryBuilder().question("www.example.net.", kA).edns_option(65001, {1, 2, 3}).build());
    CHECK(unknown.rcode == 0);
    CHECK(unknown.opt.options.empty());
    CHECK(s.counters.get(Counter::dns_edns_queries) == edns_before + 3);
}

TEST_CASE("EDNS version above 0 gets BADVERS and nothing else") {
    TestServer& s = server();
    const uint64_t before = s.counters.dns_rcode[16];
    const Response r = s.ask(QueryBuilder().question("www.example.net.", kA).edns(1232, 1).build());
    REQUIRE(r.opt.present);
    CHECK(r.rcode == 0);
    CHECK(r.opt.ext_rcode == 1);
    CHECK(r.extended_rcode() == 16);
    CHECK(r.opt.version == 0);
    CHECK(r.ancount == 0);
    CHECK(r.nscount == 0);
    CHECK_FALSE(r.aa);
    CHECK(r.qname == "www.example.net.");
    CHECK(s.counters.dns_rcode[16] == before + 1);
}

TEST_CASE("NSID answers with the PoP name") {
    TestServer& s = server();
    const uint64_t before = s.counters.get(Counter::dns_nsid_requests);
    const Response r = s.ask(QueryBuilder().question("www.example.net.", kA).nsid().build());
    REQUIRE(r.opt.present);
    REQUIRE(r.opt.options.size() == 1);
    CHECK(r.opt.options[0].first == 3);
    CHECK(std::string(r.opt.options[0].second.begin(), r.opt.options[0].second.end()) ==
          "pop-test-1");
    CHECK(r.answer.size() == 1);
    CHECK(s.counters.get(Counter::dns_nsid_requests) == before + 1);

    // No PoP name configured: no NSID option.
    TestServer unnamed(test_zones());
    unnamed.config.pop_name_len = 0;
    const Response bare =
        unnamed.ask(QueryBuilder().question("www.example.net.", kA).nsid().build());
    REQUIRE(bare.opt.present);
    CHECK(bare.opt.options.empty());
}

TEST_CASE("CHAOS id.server and hostname.bind answer with the PoP name") {
    TestServer& s = server();
    const uint64_t before = s.counters.get(Counter::dns_chaos_queries);
    for (const char* name : {"id.server.", "hostname.bind.", "ID.Server.", "HOSTNAME.BIND."}) {
        const Response r = s.ask(QueryBuilder().question(name, kTxt, kCh).build());
        CHECK(r.rcode == 0);
        CHECK_FALSE(r.aa); // describes this server, not data of a served zone (as Knot)
        CHECK(r.qname == name);
        REQUIRE(r.answer.size() == 1);
        const DecodedRr& txt = r.answer[0];
        CHECK(txt.owner == name); // compressed to the question: its case
        CHECK(txt.type == kTxt);
        CHECK(txt.rclass == kCh);
        CHECK(txt.ttl == 0);
        CHECK(txt.rdata ==
              std::vector<uint8_t>{10, 'p', 'o', 'p', '-', 't', 'e', 's', 't', '-', '1'});
    }
    CHECK(s.counters.get(Counter::dns_chaos_queries) == before + 4);
}

TEST_CASE("other CHAOS questions are REFUSED") {
    TestServer& s = server();
    for (const char* name :
         {"version.bind.", "version.server.", "authors.bind.", "www.example.net."}) {
        const Response r = s.ask(QueryBuilder().question(name, kTxt, kCh).build());
        CHECK(r.rcode == 5);
        CHECK_FALSE(r.aa);
        CHECK(r.ancount == 0);
    }
    CHECK(s.ask(QueryBuilder().question("id.server.", kA, kCh).build()).rcode == 5);
}

TEST_CASE("unknown classes are REFUSED; class ANY is answered from IN") {
    TestServer& s = server();
    CHECK(s.ask(QueryBuilder().question("www.example.net.", kA, 4).build()).rcode == 5);
    const Response any = s.ask(QueryBuilder().question("www.example.net.", kA, 255).build());
    CHECK(any.rcode == 0);
    CHECK(any.answer.size() == 1);
}

TEST_CASE("header flags: ID, opcode, RD and CD copied; RA and AD clear") {
    TestServer& s = server();
    const Response r =
        s.ask(QueryBuilder().id(0xbeef).flags(0x00, 0x30).question("www.example.net.", kA).build());
    CHECK(r.id == 0xbeef);
    CHECK(r.qr);
    CHECK_FALSE(r.rd);
    CHECK(r.cd); // RFC 4035 §3.1.6
    CHECK_FALSE(r.ad);
    CHECK_FALSE(r.ra);
    CHECK(r.aa);
}
