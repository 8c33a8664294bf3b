// SACK through the engine (RFC 2018, RFC 6675) on segments built in memory: negotiated through
// the SYN cookie, the scoreboard fed by the peer's blocks, only the holes retransmitted.
#include "tests/unit/tcp/sack_peer.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp::test {

constexpr uint64_t kRtt = 10'000; // microseconds

TEST_CASE("SACK-permitted survives the SYN cookie, with timestamps only", "[tcp][sack]") {
    EngineHarness h;
    Peer peer;
    SECTION("offered with timestamps") {
        const auto hs = sack_handshake(h, peer, true);
        CHECK(hs.syn_ack.sack_permitted);
        CHECK(hs.syn_ack.has_window_scale);
        const Connection* c = h.engine.connection(peer.flow);
        REQUIRE(c);
        CHECK(c->sack);
        CHECK(h.count(stats::Counter::tcp_sack_permitted) == 1);
    }
    SECTION("not offered") {
        const auto hs = sack_handshake(h, peer, false);
        CHECK_FALSE(hs.syn_ack.sack_permitted);
        REQUIRE(h.engine.connection(peer.flow));
        CHECK_FALSE(h.engine.connection(peer.flow)->sack);
        CHECK(h.count(stats::Counter::tcp_sack_permitted) == 0);
    }
    SECTION("offered without timestamps: refused, as the cookie cannot keep it") {
        Segment syn = peer.segment(kSyn);
        syn.seq = peer.isn;
        syn.options.sack_permitted = true;
        h.deliver(syn);
        Options o;
        const Captured synack = h.sink.take_last();
        REQUIRE(parse_options(synack.segment.options, synack.segment.options_length, o));
        CHECK_FALSE(o.sack_permitted);
    }
}

TEST_CASE("the cookie's TSval carries SACK-OK beside the window scale, never after the clock",
          "[tcp][sack][cookie]") {
    for (uint32_t low = 0; low < (1u << kTimestampOptionBits); ++low) {
        const uint32_t clock = 0x12345600u + low;
        for (bool sack : {false, true}) {
            const uint32_t ts = cookie_ts_value(clock, true, 7, sack);
            CHECK(static_cast<int32_t>(clock - ts) >= 0);
            CHECK(cookie_sack_permitted(ts) == sack);
            CHECK(cookie_window_scale(ts) == uint8_t{7});
            CHECK_FALSE(cookie_window_scale(cookie_ts_value(clock, false, 0, sack)));
            CHECK(cookie_sack_permitted(cookie_ts_value(clock, false, 0, sack)) == sack);
        }
    }
}

TEST_CASE("a SACKed flight with one hole retransmits only the hole", "[tcp][sack]") {
    EngineHarness h;
    Peer peer;
    const Seq first = sack_handshake(h, peer, true).first;
    const uint32_t mss = h.engine.connection(peer.flow)->mss;
    h.send(peer, "GET " + std::to_string(5 * mss) + "\n");
    REQUIRE(h.sink.sent.size() == 5);
    const Seq end = first + 5 * mss;
    h.sink.sent.clear();

    // Segment 2 lost: the peer ACKs segment 1, then SACKs 3, 3-4 and 3-5 as they arrive, an
    // RTT later (RACK's reordering window is a quarter of it while fewer than three are SACKed).
    h.now += kRtt;
    const Seq hole = first + mss;
    h.deliver(sack_ack(peer, hole, hole, hole)); // an ACK of segment 1 (empty block: ignored)
    h.deliver(sack_ack(peer, hole, hole + mss, hole + 2 * mss));
    h.deliver(sack_ack(peer, hole, hole + mss, hole + 3 * mss));
    CHECK(sent_below(h.sink, end).empty()); // two segments above the hole: not yet lost
    h.deliver(sack_ack(peer, hole, hole + mss, end));
    const auto again = sent_below(h.sink, end);
    REQUIRE(again.size() == 1);
    CHECK(again[0].segment.seq == hole);
    CHECK(again[0].payload.size() == mss);
    CHECK(h.count(stats::Counter::tcp_sack_recoveries) == 1);
    CHECK(h.count(stats::Counter::tcp_sack_retransmits) == 1);
    CHECK(h.count(stats::Counter::tcp_sack_blocks_received) == 3);
    CHECK(h.count(stats::Counter::tcp_sack_blocks_invalid) == 1);

    // More duplicate ACKs send nothing more: the rest is SACKed.
    h.sink.sent.clear();
    h.deliver(sack_ack(peer, hole, hole + mss, end));
    CHECK(sent_below(h.sink, end).empty());
    // The retransmission fills the hole: everything is acknowledged, recovery ends.
    peer.acked = end;
    h.deliver(peer.segment(kAck));
    const Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c);
    CHECK_FALSE(c->in_recovery);
    CHECK(c->sacked.empty());
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 0);
}

TEST_CASE("SACK blocks outside the window are ignored", "[tcp][sack]") {
    EngineHarness h;
    Peer peer;
    const Seq first = sack_handshake(h, peer, true).first;
    const uint32_t mss = h.engine.connection(peer.flow)->mss;
    h.send(peer, "GET " + std::to_string(5 * mss) + "\n");
    const Seq end = first + 5 * mss;
    h.sink.sent.clear();
    const Seq una = first + mss;
    for (int i = 0; i < 4; ++i) {
        h.deliver(sack_ack(peer, una, end, end + 3 * mss));       // beyond SND.MAX
        h.deliver(sack_ack(peer, una, una + 4 * mss, una + mss)); // reversed
        h.deliver(sack_ack(peer, una, first, first + mss));       // D-SACK below SND.UNA
        h.deliver(sack_ack(peer, una, Seq(first.raw() - 0x40000000u), una + mss)); // far below
    }
    CHECK(h.count(stats::Counter::tcp_sack_blocks_received) == 0);
    CHECK(h.count(stats::Counter::tcp_sack_blocks_invalid) == 12);
    CHECK(h.count(stats::Counter::tcp_sack_dsack_received) == 4);
    CHECK(h.engine.connection(peer.flow)->sacked.empty());
    CHECK(h.count(stats::Counter::tcp_sack_recoveries) == 0);
    CHECK(sent_below(h.sink, end).empty());
}

// Regression: an ACK older than SND.UNA (still acceptable, RFC 5961 §5.2) with a block between
// its ACK and SND.UNA put a reversed range in the scoreboard, whose byte counts then wrapped;
// the integration download stalled the lcore until ringcastd killed it.
TEST_CASE("a block between an old ACK and SND.UNA is a duplicate, not a range", "[tcp][sack]") {
    EngineHarness h;
    Peer peer;
    const Seq first = sack_handshake(h, peer, true).first;
    const uint32_t mss = h.engine.connection(peer.flow)->mss;
    h.send(peer, "GET " + std::to_string(5 * mss) + "\n");
    peer.acked = first + 2 * mss;
    h.deliver(peer.segment(kAck));
    h.deliver(sack_ack(peer, first + mss, first + mss, first + 2 * mss));
    const Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c);
    CHECK(c->sacked.empty());
    CHECK(h.count(stats::Counter::tcp_sack_dsack_received) == 1);
    CHECK(h.count(stats::Counter::tcp_sack_blocks_received) == 0);
}

TEST_CASE("a peer without SACK gets NewReno; SACK blocks it sends anyway are ignored",
          "[tcp][sack]") {
    EngineHarness h;
    Peer peer;
    const Seq first = sack_handshake(h, peer, false).first;
    const uint32_t mss = h.engine.connection(peer.flow)->mss;
    h.send(peer, "GET " + std::to_string(5 * mss) + "\n");
    const Seq end = first + 5 * mss;
    h.sink.sent.clear();
    const Seq hole = first + mss;
    peer.acked = hole;
    h.deliver(peer.segment(kAck));
    for (uint32_t i = 2; i <= 4; ++i)
        h.deliver(sack_ack(peer, hole, hole + mss, first + i * mss));
    CHECK(h.count(stats::Counter::tcp_sack_blocks_received) == 0);
    CHECK(h.count(stats::Counter::tcp_sack_recoveries) == 0);
    CHECK(h.count(stats::Counter::tcp_fast_retransmits) == 1);
    const auto again = sent_below(h.sink, end);
    REQUIRE(again.size() == 1);
    CHECK(again[0].segment.seq == hole);
}

} // namespace ringcast::tcp::test
