// The question read ahead by a burst (dns/prefetch.h, QueryLookahead): taken by the answer only
// for the message it was read from, and then giving the same reply. (Every query of the other
// DNS tests is also answered both ways by TestServer.)
#include "dataplane/dns/prefetch.h"
#include "dataplane/dns/query.h"
#include "tests/unit/dns/dns_test_support.h"

#include <catch2/catch.hpp>

using namespace ringcast;
using namespace ringcast::dns;
using namespace ringcast::dns::test;

namespace {

constexpr uint16_t kA = 1, kMx = 15, kDs = 43;

TestServer& server() {
    static TestServer s(test_zones());
    return s;
}

constexpr uint32_t kCapacity = 4096;

// One query in a buffer with room for its reply, its question read ahead in place as a burst
// reads it (stage 1; the cases that need stages 2 to 4 run them).
struct ReadAhead {
    std::vector<uint8_t> buffer;
    uint32_t len;
    QueryLookahead lookahead;

    explicit ReadAhead(const std::vector<uint8_t>& msg)
        : buffer(msg), len(static_cast<uint32_t>(msg.size())) {
        buffer.resize(kCapacity, 0xee);
        start_lookup_prefetch(server().snapshot->view(), buffer.data(), len, lookahead);
    }

    // The reply to this buffer's query, answered with `with` as its lookahead.
    Response answer(const QueryLookahead& with) {
        stats::LcoreCounters counters;
        const Reply reply = answer_udp(server().config, server().snapshot->view(), counters,
                                       Transport::kUdp4, buffer.data(), len, kCapacity, &with);
        REQUIRE(reply.send);
        return decode(buffer.data(), reply.length);
    }
};

} // namespace

TEST_CASE("a lookahead holds the question, its zone and its hash") {
    const auto msg = QueryBuilder().question("WWW.Example.NET.", kA).edns().build();
    ReadAhead query(msg);
    const QueryLookahead& lookahead = query.lookahead;
    const snapshot::View& view = server().snapshot->view();
    REQUIRE(lookahead.describes(view, query.buffer.data(), query.len));
    CHECK_FALSE(lookahead.describes(view, query.buffer.data(), query.len - 1));
    CHECK_FALSE(lookahead.describes(view, msg.data(), query.len));
    const snapshot::View other_snapshot = view; // another View (a swapped-in snapshot)
    CHECK_FALSE(lookahead.describes(other_snapshot, query.buffer.data(), query.len));
    CHECK(lookahead.qtype == kA);
    CHECK(lookahead.name.length == 17);
    CHECK(lookahead.name.labels == 3);
    CHECK(std::vector<uint8_t>(lookahead.lower, lookahead.lower + lookahead.name.length) ==
          wire_name("www.example.net."));
    CHECK(lookahead.name_end == 12 + 17);
    CHECK(lookahead.zone != snapshot::kNone);
    CHECK(lookahead.bucket != nullptr);

    // parse_query takes the name as read, and reads the rest as it would have.
    Query plain;
    Query ahead;
    REQUIRE(parse_query(query.buffer.data(), query.len, plain) == ParseStatus::kOk);
    REQUIRE(parse_query(query.buffer.data(), query.len, ahead, &lookahead) == ParseStatus::kOk);
    CHECK(ahead.lookahead == &lookahead);
    CHECK(ahead.qname_lower == lookahead.lower);
    CHECK(plain.lookahead == nullptr);
    CHECK(ahead.question_end == plain.question_end);
    CHECK(ahead.qtype == plain.qtype);
    CHECK(ahead.qclass == plain.qclass);
    CHECK(ahead.edns.present);
    CHECK(ahead.edns.udp_payload == plain.edns.udp_payload);
}

TEST_CASE("a DS question at a served child's apex is read ahead in the parent zone") {
    // RFC 4035 §3.1.4.1: DS at a cut is the parent's data; deep.example.net. is served too.
    const auto ds = QueryBuilder().question("deep.example.net.", kDs).build();
    const auto a = QueryBuilder().question("deep.example.net.", kA).build();
    ReadAhead ds_query(ds);
    ReadAhead a_query(a);
    REQUIRE(ds_query.lookahead.zone != snapshot::kNone);
    REQUIRE(a_query.lookahead.zone != snapshot::kNone);
    CHECK(ds_query.lookahead.zone != a_query.lookahead.zone);
    const Response plain = server().ask(ds);
    const Response ahead = ds_query.answer(ds_query.lookahead);
    CHECK(ahead.wire == plain.wire);
    CHECK(ahead.aa);
    REQUIRE(ahead.authority.size() == 1);
    CHECK(ahead.authority[0].owner == "example.net."); // NODATA from the parent: its SOA
}

TEST_CASE("nothing is read ahead of a message without a readable question") {
    for (const auto& msg : {
             QueryBuilder().no_question().build(),
             QueryBuilder().raw_question({3, 'w', 'w', 'w', 0xc0, 12, 0, 1, 0, 1}).build(),
             QueryBuilder().raw_question({70, 'a', 'b'}).build(),
             std::vector<uint8_t>(11, 0),
         }) {
        ReadAhead query(msg);
        CHECK(query.lookahead.msg == nullptr);
        CHECK(query.lookahead.bucket == nullptr);
        CHECK_FALSE(
            query.lookahead.describes(server().snapshot->view(), query.buffer.data(), query.len));
    }
    QueryLookahead none;
    start_lookup_prefetch(server().snapshot->view(), nullptr, 0, none);
    CHECK(none.msg == nullptr);
}

TEST_CASE("a lookahead of another message is not used") {
    // Read ahead of the question for www, then handed with the apex's MX query: the answer
    // must be the MX, from the query's own question.
    ReadAhead www(QueryBuilder().question("www.example.net.", kA).build());
    const auto mx = QueryBuilder().question("example.net.", kMx).build();
    ReadAhead mx_query(mx);
    const Response r = mx_query.answer(www.lookahead);
    CHECK(r.qname == "example.net.");
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].type == kMx);
    CHECK(r.wire == server().ask(mx).wire);
}

TEST_CASE("stage 2 turns to the parent of a name the index does not have") {
    const snapshot::View& view = server().snapshot->view();
    // Below a zone cut: the referral's lookup continues at the parent, the cut.
    ReadAhead below_cut(QueryBuilder().question("www.sub.example.net.", kA).build());
    REQUIRE(below_cut.lookahead.bucket != nullptr);
    follow_index_slot(view, below_cut.lookahead);
    CHECK(below_cut.lookahead.question.node == snapshot::kNone);
    CHECK(below_cut.lookahead.bucket != nullptr); // now the parent's
    CHECK(below_cut.lookahead.has_parent);
    follow_node(view, below_cut.lookahead); // finds sub's slot, for the answer to check
    const auto sub = wire_name("sub.example.net.");
    CHECK(below_cut.lookahead.parent.node ==
          view.find_node(below_cut.lookahead.zone, sub.data(), sub.size()));
    const auto referral = QueryBuilder().question("www.sub.example.net.", kA).build();
    CHECK(below_cut.answer(below_cut.lookahead).wire == server().ask(referral).wire);
    // A parent slot whose tag collided names another node: the answer looks the parent up.
    ReadAhead collided(referral);
    follow_index_slot(view, collided.lookahead);
    follow_node(view, collided.lookahead);
    collided.lookahead.parent.node = view.zones[collided.lookahead.zone].apex_node;
    const Response r = collided.answer(collided.lookahead);
    CHECK_FALSE(r.aa);
    REQUIRE(r.authority.size() == 1);
    CHECK(r.authority[0].owner == "sub.example.net.");
    CHECK(r.wire == server().ask(referral).wire);

    // Whose parent is the apex: nothing more to start.
    ReadAhead under_apex(QueryBuilder().question("nothing-here.example.net.", kA).build());
    follow_index_slot(view, under_apex.lookahead);
    CHECK_FALSE(under_apex.lookahead.has_parent);

    // That exists: its node is followed, not its parent.
    ReadAhead exists(QueryBuilder().question("www.example.net.", kA).build());
    follow_index_slot(view, exists.lookahead);
    CHECK(exists.lookahead.question.node != snapshot::kNone);
    CHECK_FALSE(exists.lookahead.has_parent);
}

TEST_CASE("stages 2 and 3 resolve the question's node, and the answer takes it") {
    const snapshot::View& view = server().snapshot->view();
    auto follow = [&](ReadAhead& query) {
        follow_index_slot(view, query.lookahead);
        follow_node(view, query.lookahead);
    };

    ReadAhead exists(QueryBuilder().question("WWW.example.net.", kA).build());
    follow(exists);
    CHECK(exists.lookahead.question.checked);
    CHECK(exists.lookahead.question.node == view.find_node(exists.lookahead.zone,
                                                           exists.lookahead.lower,
                                                           exists.lookahead.name.length));
    CHECK(exists.answer(exists.lookahead).wire ==
          server().ask(QueryBuilder().question("WWW.example.net.", kA).build()).wire);

    // Not in the index: proven when the home bucket has a free slot (a lookup stops there).
    int proven = 0;
    for (int i = 0; i < 64; ++i) {
        const std::string name = "nothing-" + std::to_string(i) + ".example.net.";
        INFO(name);
        ReadAhead missing(QueryBuilder().question(name, kA).build());
        const snapshot::NodeBucket& home = *missing.lookahead.bucket;
        follow(missing);
        const bool has_free_slot =
            home.slots[snapshot::kNodeBucketSlots - 1].node == snapshot::kNone;
        CHECK(missing.lookahead.question.checked == has_free_slot);
        CHECK(missing.lookahead.question.node == snapshot::kNone);
        CHECK(missing.answer(missing.lookahead).rcode == 3); // NXDOMAIN
        proven += missing.lookahead.question.checked;
    }
    CHECK(proven > 0);

    // A tag that matched another node (a collision): stage 3 does not take it, and the answer
    // looks the name up itself.
    ReadAhead collided(QueryBuilder().question("www.example.net.", kA).build());
    follow_index_slot(view, collided.lookahead);
    REQUIRE(collided.lookahead.question.node != snapshot::kNone);
    collided.lookahead.question.node = view.zones[collided.lookahead.zone].apex_node;
    follow_node(view, collided.lookahead);
    CHECK_FALSE(collided.lookahead.question.checked);
    CHECK(collided.lookahead.question.node == snapshot::kNone);
    const Response r = collided.answer(collided.lookahead);
    REQUIRE(r.answer.size() == 1);
    CHECK(r.answer[0].owner == "www.example.net.");
    CHECK(r.wire == server().ask(QueryBuilder().question("www.example.net.", kA).build()).wire);
}

TEST_CASE("a resolved lookahead that is wrong would show in the reply") {
    // The answer trusts a resolved node: this pins that it is used at all (a lookahead saying
    // www is absent makes www a name error), so the cases above test something.
    ReadAhead www(QueryBuilder().question("www.example.net.", kA).build());
    www.lookahead.question.checked = true;
    www.lookahead.question.node = snapshot::kNone;
    CHECK(www.answer(www.lookahead).rcode == 3);
}

TEST_CASE("stage 3 starts the lookup of an in-zone CNAME target, and the answer takes it") {
    const snapshot::View& view = server().snapshot->view();
    auto read_ahead = [&](ReadAhead& query) {
        follow_index_slot(view, query.lookahead);
        follow_node(view, query.lookahead);
        follow_target(view, query.lookahead);
    };
    const auto cdn = QueryBuilder().question("CDN.example.net.", kA).build();
    ReadAhead query(cdn);
    read_ahead(query);
    REQUIRE(query.lookahead.has_target);
    const auto www = wire_name("www.example.net.");
    CHECK(query.lookahead.target_length == www.size());
    CHECK(query.lookahead.target.hash ==
          view.node_hash(query.lookahead.zone, www.data(), www.size()));
    CHECK(query.lookahead.target.node ==
          view.find_node(query.lookahead.zone, www.data(), www.size()));
    const Response r = query.answer(query.lookahead);
    REQUIRE(r.answer.size() == 2); // the CNAME, then www's A
    CHECK(r.wire == server().ask(cdn).wire);

    // A slot whose tag collided names another node: the answer looks the target up itself.
    ReadAhead collided(cdn);
    read_ahead(collided);
    collided.lookahead.target.node = view.zones[collided.lookahead.zone].apex_node;
    CHECK(collided.answer(collided.lookahead).wire == server().ask(cdn).wire);

    // Only the first CNAME's target is looked up ahead; a chain goes on without hints.
    const auto chain = QueryBuilder().question("chain1.example.net.", kA).build();
    ReadAhead chained(chain);
    read_ahead(chained);
    CHECK(chained.lookahead.has_target);
    CHECK(chained.answer(chained.lookahead).wire == server().ask(chain).wire);

    // Not for a target outside the zone (the resolver follows it), nor for the CNAME's own type.
    for (const auto& [name, type] :
         {std::pair{"outside.example.net.", kA}, std::pair{"cdn.example.net.", uint16_t{5}}}) {
        INFO(name << " type " << type);
        ReadAhead other(QueryBuilder().question(name, type).build());
        read_ahead(other);
        CHECK(other.lookahead.question.checked);
        CHECK_FALSE(other.lookahead.has_target);
    }
}
