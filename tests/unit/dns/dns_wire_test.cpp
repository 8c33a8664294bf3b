// Wire-level behaviour: response size limits and truncation, name compression, and the small
// building blocks (name reading, compressor) on their own.
#include "dataplane/dns/compressor.h"
#include "dataplane/dns/name.h"
#include "dataplane/stats/counters.h"
#include "tests/unit/dns/dns_test_support.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>

using namespace ringcast;
using namespace ringcast::dns;
using namespace ringcast::dns::test;

namespace {

constexpr uint16_t kA = 1, kNs = 2, kMx = 15, kTxt = 16;

TestServer& server() {
    static TestServer s(test_zones());
    return s;
}

} // namespace

TEST_CASE("a big RRset truncates without EDNS: TC=1, question kept, no partial RRset") {
    TestServer& s = server();
    const uint64_t before = s.counters.get(stats::Counter::dns_truncated);
    const Response r = s.ask(QueryBuilder().question("big.example.net.", kTxt).build());
    CHECK(r.tc);
    CHECK(r.aa);
    CHECK(r.rcode == 0);
    CHECK(r.qname == "big.example.net.");
    CHECK(r.ancount == 0); // RFC 2181 §9: no partial RRsets
    CHECK(r.nscount == 0);
    CHECK(r.arcount == 0);
    CHECK(r.wire.size() <= 512);
    CHECK(s.counters.get(stats::Counter::dns_truncated) == before + 1);
}

TEST_CASE("truncation with EDNS keeps OPT; a big enough size gets the whole RRset") {
    TestServer& s = server();
    const Response small =
        s.ask(QueryBuilder().question("big.example.net.", kTxt).edns(1232).build());
    CHECK(small.tc);
    CHECK(small.ancount == 0);
    CHECK(small.opt.present);
    CHECK(small.wire.size() <= 1232);

    // The client may ask for 4096 but our configured maximum (1232) wins.
    const Response capped =
        s.ask(QueryBuilder().question("big.example.net.", kTxt).edns(4096).build());
    CHECK(capped.tc);

    TestServer large(test_zones());
    large.config.max_udp_payload = 4096;
    const Response full =
        large.ask(QueryBuilder().question("big.example.net.", kTxt).edns(4096).build());
    CHECK_FALSE(full.tc);
    CHECK(full.answer.size() == 12);
    CHECK(full.opt.present);
    CHECK(full.opt.udp_size == 4096);
    CHECK(full.wire.size() > 1232);

    // A client size below 512 counts as 512 (RFC 6891 §6.2.5).
    const Response tiny =
        large.ask(QueryBuilder().question("www.example.net.", kA).edns(100).build());
    CHECK_FALSE(tiny.tc);
    CHECK(tiny.answer.size() == 1);
}

TEST_CASE("the buffer capacity bounds the response too") {
    TestServer& s = server();
    const auto query = QueryBuilder().question("www.example.net.", kMx).build();
    // Room for the header and question only: the negative answer's SOA does not fit -> TC.
    const Response r = s.ask(query, static_cast<uint32_t>(query.size() + 20));
    CHECK(r.tc);
    CHECK(r.nscount == 0);
    CHECK(r.wire.size() <= query.size() + 20);
}

TEST_CASE("additional data that does not fit is left out without TC") {
    TestServer& s = server();
    const auto query = QueryBuilder().question("example.net.", kNs).build();
    const Response full = s.ask(query);
    REQUIRE(full.additional.size() == 4);
    // Exactly room for the answer and one more additional record or so.
    const auto capacity = static_cast<uint32_t>(
        full.answer.back().offset + (full.additional[0].offset - full.answer.back().offset) + 20);
    const Response r = s.ask(query, capacity);
    CHECK_FALSE(r.tc);
    CHECK(r.answer.size() == 2);
    CHECK(r.additional.size() < 4);
}

TEST_CASE("names are compressed in owners and in NS, MX and SOA RDATA") {
    TestServer& s = server();
    SECTION("answer owner is a pointer to the question") {
        const Response r = s.ask(QueryBuilder().question("www.example.net.", kA).build());
        REQUIRE(r.answer.size() == 1);
        const size_t at = r.answer[0].offset;
        CHECK(r.wire[at] == 0xc0);
        CHECK(r.wire[at + 1] == 12);
    }
    SECTION("NS RDATA and additional owners point into earlier names") {
        const Response r = s.ask(QueryBuilder().question("example.net.", kNs).build());
        REQUIRE(r.answer.size() == 2);
        // "ns1" + pointer to example.net in the question: 1 + 3 + 2 bytes.
        CHECK(r.answer[0].rdata.size() == 6);
        CHECK(r.answer[0].rdata[4] == 0xc0);
        CHECK(r.answer[0].rdata[5] == 12);
        // The second owner repeats the pointer to the question.
        CHECK(r.wire[r.answer[1].offset] == 0xc0);
        // ns1.example.net in additional is a pointer to the RDATA of the first NS.
        REQUIRE(!r.additional.empty());
        const size_t owner = r.additional[0].offset;
        CHECK((r.wire[owner] & 0xc0) == 0xc0);
        const size_t target = (r.wire[owner] & 0x3f) << 8 | r.wire[owner + 1];
        CHECK(target == r.answer[0].offset + 12); // owner ptr (2) + fixed part (10)
        CHECK(r.pointers > 4);
    }
    SECTION("SOA MNAME and RNAME are compressed") {
        const Response r = s.ask(QueryBuilder().question("nothere.example.net.", kA).build());
        REQUIRE(r.authority.size() == 1);
        // ns1 + ptr, hostmaster + ptr, 20 fixed bytes.
        CHECK(r.authority[0].rdata.size() == (1 + 3 + 2) + (1 + 10 + 2) + 20);
        CHECK(r.authority[0].owner == "example.net.");
        // The owner "example.net." is a suffix of the question.
        CHECK(r.wire[r.authority[0].offset] == 0xc0);
    }
    SECTION("MX exchange is compressed") {
        const Response r = s.ask(QueryBuilder().question("example.net.", kMx).build());
        REQUIRE(r.answer.size() == 1);
        CHECK(r.answer[0].rdata.size() == 2 + 1 + 4 + 2);
    }
}

TEST_CASE("read_question_name lowercases and enforces the limits") {
    uint8_t lower[kMaxNameLength];
    NameInfo info;
    const uint8_t name[] = {3, 'W', 'w', 'W', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 0};
    WireReader reader(name, sizeof name);
    REQUIRE(read_question_name(reader, lower, info) == NameStatus::kOk);
    CHECK(info.length == sizeof name);
    CHECK(info.labels == 2);
    CHECK(std::memcmp(lower, "\3www\7example", 12) == 0);
    CHECK(reader.remaining() == 0);

    const uint8_t pointer[] = {3, 'w', 'w', 'w', 0xc0, 0};
    WireReader r2(pointer, sizeof pointer);
    CHECK(read_question_name(r2, lower, info) == NameStatus::kCompressed);
    const uint8_t extended[] = {0x41, 0};
    WireReader r3(extended, sizeof extended);
    CHECK(read_question_name(r3, lower, info) == NameStatus::kBadLabelType);
    const uint8_t cut[] = {3, 'w', 'w'};
    WireReader r4(cut, sizeof cut);
    CHECK(read_question_name(r4, lower, info) == NameStatus::kTruncated);
    const uint8_t root[] = {0};
    WireReader r5(root, sizeof root);
    REQUIRE(read_question_name(r5, lower, info) == NameStatus::kOk);
    CHECK(info.length == 1);
    CHECK(info.labels == 0);
}

TEST_CASE("read_question_name lowercases every name length and only ASCII letters") {
    // Names of every length up to 255 bytes (the copy takes bytes, words or vectors by
    // length), in labels of up to 63 bytes holding every octet value.
    uint8_t msg[300];
    uint8_t lower[kMaxNameLength];
    uint8_t seed = 0;
    for (size_t total = 1; total <= kMaxNameLength; ++total) {
        if (total == 2) continue; // no name is two bytes long
        size_t pos = 0;
        while (pos + 1 < total) {
            // Room left for labels (the root takes the last byte); a label takes two or more.
            size_t label = std::min<size_t>(kMaxLabelLength, total - pos - 2);
            if (total - pos - 2 - label == 1) --label;
            msg[pos] = static_cast<uint8_t>(label);
            for (size_t i = 1; i <= label; ++i)
                msg[pos + i] = seed++;
            pos += 1 + label;
        }
        msg[pos] = 0;
        msg[total] = 'X'; // after the name: not copied
        lower[total < kMaxNameLength ? total : 0] = 0xaa;
        WireReader reader(msg, total + 1);
        NameInfo info;
        REQUIRE(read_question_name(reader, lower, info) == NameStatus::kOk);
        REQUIRE(info.length == total);
        CHECK(reader.position() == total);
        bool same = true;
        for (size_t i = 0; i < total; ++i)
            same = same && lower[i] == ascii_lower(msg[i]);
        CHECK(same);
        if (total < kMaxNameLength) CHECK(lower[total] == 0xaa);
    }
    CHECK(ascii_lower('A') == 'a');
    CHECK(ascii_lower('Z') == 'z');
    CHECK(ascii_lower('@') == '@');
    CHECK(ascii_lower('[') == '[');
    CHECK(ascii_lower(0xc1) == 0xc1);
}

TEST_CASE("the compressor reuses the longest known suffix, case-insensitively") {
    uint8_t msg[512] = {};
    const auto question = wire_name("WWW.Example.NET.");
    std::memcpy(msg + 12, question.data(), question.size());
    Compressor compressor;
    compressor.remember(msg, 12);
    WireWriter out(msg, sizeof msg, 12 + question.size());

    const auto same = wire_name("www.example.net.");
    REQUIRE(compressor.write(out, same.data()));
    CHECK(out.position() == 12 + question.size() + 2); // just a pointer

    const size_t mail_at = out.position();
    const auto mail = wire_name("mail.example.net.");
    REQUIRE(compressor.write(out, mail.data()));
    CHECK(out.position() == mail_at + 5 + 2); // "mail" + pointer to "Example.NET"
    CHECK(msg[mail_at + 5] == 0xc0);
    CHECK(msg[mail_at + 6] == 12 + 4);

    const auto mail_again = wire_name("MAIL.example.net.");
    const size_t again_at = out.position();
    REQUIRE(compressor.write(out, mail_again.data()));
    CHECK(out.position() == again_at + 2);
    CHECK(msg[again_at + 1] == mail_at);

    const auto other = wire_name("example.org.");
    const size_t other_at = out.position();
    REQUIRE(compressor.write(out, other.data()));
    CHECK(out.position() == other_at + other.size()); // nothing in common but the root

    const auto root = wire_name(".");
    const size_t root_at = out.position();
    REQUIRE(compressor.write(out, root.data()));
    CHECK(out.position() == root_at + 1);

    // No room: fails, and the writer stays in error.
    WireWriter tight(msg, 100, 99);
    CHECK_FALSE(compressor.write(tight, other.data()));
}

TEST_CASE("the compressor tells pointer octets in label text from pointers") {
    // A question label holding the bytes of a pointer: compared flat against a name of the
    // same shape, the mismatch falls on that text, which must not be followed as a pointer.
    uint8_t msg[512] = {};
    const uint8_t question[] = {2,   0xc0, 0x0c, 7, 'e', 'x', 'a', 'm',
                                'p', 'l',  'e',  3, 'n', 'e', 't', 0};
    std::memcpy(msg + 12, question, sizeof question);
    Compressor compressor;
    compressor.remember(msg, 12);
    WireWriter out(msg, sizeof msg, 12 + sizeof question);

    const auto ab = wire_name("ab.example.net.");
    const size_t ab_at = out.position();
    REQUIRE(compressor.write(out, ab.data()));
    CHECK(out.position() == ab_at + 3 + 2); // "ab" + pointer to "example.net"
    CHECK(msg[ab_at + 4] == 12 + 3);

    // Short names (under eight bytes) and a match reached through two pointers.
    const auto net = wire_name("NET.");
    const size_t net_at = out.position();
    REQUIRE(compressor.write(out, net.data()));
    CHECK(out.position() == net_at + 2);
    CHECK(msg[net_at + 1] == 12 + 11);
    const auto x_ab = wire_name("x.AB.Example.net.");
    const size_t x_at = out.position();
    REQUIRE(compressor.write(out, x_ab.data()));
    CHECK(out.position() == x_at + 2 + 2); // "x" + pointer to "ab..."
    CHECK(msg[x_at + 3] == ab_at);
    const auto x_ab_again = wire_name("X.ab.example.NET.");
    const size_t again_at = out.position();
    REQUIRE(compressor.write(out, x_ab_again.data()));
    CHECK(out.position() == again_at + 2);
    CHECK(msg[again_at + 1] == x_at);
}

TEST_CASE("mutated queries never produce a malformed or oversized response") {
    // Deterministic pseudo-random mutations of valid queries: every response must decode
    // (pointers backwards, counts right, no trailing bytes) and stay within its limits.
    TestServer& s = server();
    const std::vector<std::vector<uint8_t>> seeds = {
        QueryBuilder().question("www.example.net.", kA).build(),
        QueryBuilder().question("chain1.example.net.", kA).edns(4096, 0, true).nsid().build(),
        QueryBuilder().question("example.net.", kNs).edns(600).build(),
        QueryBuilder().question("big.example.net.", kTxt).build(),
        QueryBuilder().question("x.wild.example.net.", kTxt).edns().build(),
    };
    uint64_t state = 0x9e3779b97f4a7c15ull;
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int round = 0; round < 20000; ++round) {
        std::vector<uint8_t> q = seeds[next() % seeds.size()];
        const int edits = 1 + static_cast<int>(next() % 4);
        for (int e = 0; e < edits; ++e) {
            switch (next() % 4) {
            case 0:
                q[next() % q.size()] ^= static_cast<uint8_t>(1u << (next() % 8));
                break;
            case 1:
                q[next() % q.size()] = static_cast<uint8_t>(next());
                break;
            case 2:
                q.resize(1 + next() % q.size());
                break;
            default:
                q.push_back(static_cast<uint8_t>(next()));
                break;
            }
        }
        q[2] &= 0x7f; // keep QR clear so most of them get an answer
        const uint32_t capacity = 64 + static_cast<uint32_t>(next() % 1500);
        Response r;
        REQUIRE_NOTHROW(
            r = s.ask(q, std::max<uint32_t>(capacity, static_cast<uint32_t>(q.size()))));
        if (!r.sent) continue;
        CHECK(r.qr);
        CHECK(r.wire.size() <= std::max<size_t>(capacity, q.size()));
        if (!r.opt.present) CHECK(r.wire.size() <= std::max<size_t>(512, q.size()));
    }
}
