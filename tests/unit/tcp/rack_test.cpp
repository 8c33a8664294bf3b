// RACK-TLP (RFC 8985) and limited transmit (RFC 3042) through the engine, on segments built in
// memory with the clock moved by hand: a lost retransmission found without the RTO, reordering
// inside the window tolerated, a tail loss probed, new data on the first two duplicate ACKs.
#include "tests/unit/tcp/sack_peer.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp::test {
namespace {

constexpr uint64_t kRtt = 10'000; // microseconds

// A SACK connection that has asked for `segments` full segments (sent at h.now).
struct RackSetup {
    Seq first;
    uint32_t mss = 0;
};

RackSetup start(EngineHarness& h, Peer& peer, uint32_t segments) {
    RackSetup s;
    s.first = sack_handshake(h, peer, true).first;
    s.mss = h.engine.connection(peer.flow)->mss;
    h.send(peer, "GET " + std::to_string(segments * s.mss) + "\n");
    return s;
}

// The peer's ACK at `ack` SACKing [left, right), echoing the engine's clock `echo_ago` earlier.
Segment ack_with_echo(const Peer& peer, Seq ack, Seq left, Seq right, const EngineHarness& h,
                      uint64_t echo_ago) {
    Segment s = left < right ? sack_ack(peer, ack, left, right) : peer.segment(kAck);
    s.ack = ack;
    s.options.ts_echo = static_cast<uint32_t>((h.now - echo_ago) / 1000);
    return s;
}

std::vector<Seq> data_seqs(const CapturingSink& sink) {
    std::vector<Seq> out;
    for (const auto& c : sink.sent)
        if (!c.payload.empty()) out.push_back(c.segment.seq);
    return out;
}

} // namespace

TEST_CASE("RACK finds a lost retransmission without waiting for the RTO", "[tcp][rack]") {
    EngineHarness h;
    Peer peer;
    const auto [first, mss] = start(h, peer, 12); // IW10: 10 segments now, 2 waiting
    REQUIRE(h.sink.sent.size() == 10);
    h.sink.sent.clear();

    // An RTT later: segment 2 missing, 3-10 SACKed. Eight segments sent after it are delivered:
    // lost at once (no reordering seen), and resent with the two new ones the pipe allows.
    h.now += kRtt;
    const Seq hole = first + mss;
    h.deliver(ack_with_echo(peer, hole, hole + mss, first + 10 * mss, h, kRtt));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{hole, first + 10 * mss, first + 11 * mss});
    CHECK(h.count(stats::Counter::tcp_rack_losses) == 1);
    CHECK(h.count(stats::Counter::tcp_sack_recoveries) == 1);
    h.sink.sent.clear();

    // Another RTT: the two new segments arrive, the retransmission, sent with them, does not.
    h.now += kRtt;
    h.deliver(ack_with_echo(peer, hole, hole + mss, first + 12 * mss, h, kRtt));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{hole});
    CHECK(h.count(stats::Counter::tcp_rack_lost_retransmissions) == 1);
    CHECK(h.count(stats::Counter::tcp_rack_losses) == 2);
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 0);

    // The second copy arrives: everything is acknowledged and recovery ends.
    h.now += kRtt;
    h.deliver(ack_with_echo(peer, first + 12 * mss, hole, hole, h, kRtt));
    const Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c);
    CHECK_FALSE(c->in_recovery);
    CHECK(c->flight() == 0);
}

TEST_CASE("reordering inside RACK's window starts no recovery", "[tcp][rack]") {
    EngineHarness h;
    Peer peer;
    const auto [first, mss] = start(h, peer, 5);
    h.sink.sent.clear();

    // Segment 1 is ACKed an RTT later and segment 3 SACKed with it: segment 2 is late, not yet
    // lost, for a quarter of min_RTT (RFC 8985 §6.2 step 4).
    h.now += kRtt;
    const Seq two = first + mss;
    h.deliver(ack_with_echo(peer, two, two + mss, two + 2 * mss, h, kRtt));
    CHECK(data_seqs(h.sink).empty());
    // It arrives 1 ms later, inside the window: reordering, and nothing resent.
    h.now += 1000;
    h.deliver(ack_with_echo(peer, first + 3 * mss, two, two, h, kRtt));
    h.now += kRtt;
    h.engine.sweep(h.now);
    CHECK(data_seqs(h.sink).empty());
    CHECK(h.count(stats::Counter::tcp_rack_reordering_seen) == 1);
    CHECK(h.count(stats::Counter::tcp_rack_losses) == 0);
    CHECK(h.count(stats::Counter::tcp_sack_recoveries) == 0);
    CHECK(h.count(stats::Counter::tcp_segments_retransmitted) == 0);
}

TEST_CASE("a segment late past the window is resent once the reordering timer fires",
          "[tcp][rack]") {
    EngineHarness h;
    Peer peer;
    const auto [first, mss] = start(h, peer, 5);
    h.sink.sent.clear();
    h.now += kRtt;
    const Seq two = first + mss;
    h.deliver(ack_with_echo(peer, two, two + mss, two + 2 * mss, h, kRtt));
    CHECK(data_seqs(h.sink).empty());
    // No further ACK: the timer RACK armed for segment 2 finds it lost (RFC 8985 §6.2 step 5).
    h.now += kRtt / 4 + 1000;
    h.engine.sweep(h.now);
    CHECK(data_seqs(h.sink) == std::vector<Seq>{two});
    CHECK(h.count(stats::Counter::tcp_rack_reorder_timeouts) == 1);
    CHECK(h.count(stats::Counter::tcp_rack_losses) == 1);
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 0);
}

TEST_CASE("a tail loss is probed (TLP) and repaired without the RTO", "[tcp][rack][tlp]") {
    EngineHarness h;
    Peer peer;
    const auto [first, mss] = start(h, peer, 4);
    h.sink.sent.clear();

    // Segments 1 and 2 ACKed an RTT later; 3 and 4, the tail, lost: no ACK will come for them.
    h.now += kRtt;
    h.deliver(ack_with_echo(peer, first + 2 * mss, first, first, h, kRtt));
    CHECK(data_seqs(h.sink).empty());
    const Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c);
    REQUIRE(c->pto_deadline_us != 0);
    CHECK(c->pto_deadline_us < c->rto_deadline_us);

    // After 2 SRTT the probe resends the last segment (no new data is waiting).
    h.now += 2 * kRtt + 1000;
    h.engine.sweep(h.now);
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first + 3 * mss});
    CHECK(h.count(stats::Counter::tcp_tlp_probes) == 1);
    CHECK(h.count(stats::Counter::tcp_tlp_retransmissions) == 1);
    h.sink.sent.clear();

    // Its SACK shows segment 3 missing: RACK marks it lost and it is resent at once.
    h.now += kRtt;
    h.deliver(ack_with_echo(peer, first + 2 * mss, first + 3 * mss, first + 4 * mss, h, kRtt));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first + 2 * mss});
    CHECK(h.count(stats::Counter::tcp_rack_losses) == 1);
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 0);
}

TEST_CASE("a recovery whose only retransmission is D-SACKed is undone", "[tcp][rack][undo]") {
    EngineHarness h;
    Peer peer;
    const auto [first, mss] = start(h, peer, 12);
    h.sink.sent.clear();
    const uint32_t cwnd_before = h.engine.connection(peer.flow)->cwnd;

    // Segment 2 looks lost (3-10 SACKed): recovery halves cwnd and resends it.
    h.now += kRtt;
    const Seq two = first + mss;
    h.deliver(ack_with_echo(peer, two, two + mss, first + 10 * mss, h, kRtt));
    const Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c);
    REQUIRE(c->in_recovery);
    CHECK(c->cwnd < cwnd_before);
    // It was only late: the first copy fills the hole, the second is reported as a duplicate.
    h.now += 1000;
    h.deliver(ack_with_echo(peer, first + 10 * mss, two, two + mss, h, kRtt));
    CHECK(h.count(stats::Counter::tcp_recoveries_undone) == 1);
    CHECK_FALSE(c->in_recovery);
    CHECK(c->cwnd >= cwnd_before);
}

TEST_CASE("a first timeout keeps the SACK scoreboard and resends only the un-SACKed",
          "[tcp][rack][rto]") {
    EngineHarness h;
    Peer peer;
    const auto [first, mss] = start(h, peer, 5);
    h.sink.sent.clear();
    // Segment 1 missing, 2-5 SACKed: RACK resends 1 at once; that copy is lost too, and nothing
    // sent after it can show it, so the RTO fires.
    h.now += kRtt;
    h.deliver(ack_with_echo(peer, first, first + mss, first + 5 * mss, h, kRtt));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first});
    h.sink.sent.clear();
    const Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c);
    h.now = c->rto_deadline_us + 1000;
    h.engine.sweep(h.now);
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 1);
    CHECK(h.count(stats::Counter::tcp_rto_scoreboard_kept) == 1);
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first}); // not 2-5 again (go-back-N)
    CHECK_FALSE(c->sacked.empty());
    h.sink.sent.clear();
    // A second timeout in a row: the peer may have reneged (RFC 2018 §8), so go-back-N.
    h.now = c->rto_deadline_us + 1000;
    h.engine.sweep(h.now);
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 2);
    CHECK(h.count(stats::Counter::tcp_rto_scoreboard_kept) == 1);
    CHECK(c->sacked.empty());
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first});
}

TEST_CASE("limited transmit sends a new segment on each of the first two duplicate ACKs",
          "[tcp][limited-transmit]") {
    EngineHarness h;
    Peer peer;
    const Seq first = h.handshake(peer); // no SACK: NewReno counts the duplicates
    const uint32_t mss = h.engine.connection(peer.flow)->mss;
    h.send(peer, "GET " + std::to_string(14 * mss) + "\n");
    REQUIRE(data_seqs(h.sink).size() == 10); // IW10 fills cwnd
    h.sink.sent.clear();

    peer.acked = first; // segment 1 lost: every later arrival repeats this ACK
    h.deliver(peer.segment(kAck));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first + 10 * mss});
    h.sink.sent.clear();
    h.deliver(peer.segment(kAck));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first + 11 * mss});
    h.sink.sent.clear();
    CHECK(h.count(stats::Counter::tcp_limited_transmits) == 2);
    // The third is fast retransmit, with no new data (RFC 3042 §2: cwnd itself never grew).
    h.deliver(peer.segment(kAck));
    CHECK(data_seqs(h.sink) == std::vector<Seq>{first});
    CHECK(h.count(stats::Counter::tcp_fast_retransmits) == 1);
    CHECK(h.count(stats::Counter::tcp_limited_transmits) == 2);
}

} // namespace ringcast::tcp::test
