// The TCP state machine on segments built in memory: handshake by cookie, data both ways,
// retransmission and backoff, out-of-order and overlapping data, RST and SYN in and out of the
// window, zero window, FIN in every state.
#include "tests/unit/tcp/engine_harness.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp::test {

TEST_CASE("a SYN costs no state; its cookie's ACK opens the connection", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    Segment syn = peer.segment(kSyn);
    syn.seq = peer.isn;
    h.deliver(syn);
    REQUIRE(h.sink.sent.size() == 1);
    const Captured synack = h.sink.take_last();
    CHECK(synack.has(kSyn));
    CHECK(synack.has(kAck));
    CHECK(synack.segment.ack == peer.isn + 1);
    CHECK(h.engine.open_connections() == 0);
    CHECK(h.count(stats::Counter::tcp_syn_cookies_sent) == 1);

    peer.next = peer.isn + 1;
    SECTION("the right cookie") {
        peer.acked = synack.segment.seq + 1;
        h.deliver(peer.segment(kAck));
        CHECK(h.engine.open_connections() == 1);
        CHECK(h.count(stats::Counter::tcp_syn_cookies_accepted) == 1);
        CHECK(h.sink.sent.empty()); // nothing to say yet
        REQUIRE(h.engine.connection(peer.flow));
        CHECK(h.engine.connection(peer.flow)->state == State::kEstablished);
    }
    SECTION("a forged cookie is reset, and opens nothing") {
        peer.acked = synack.segment.seq + 2;
        h.deliver(peer.segment(kAck));
        CHECK(h.engine.open_connections() == 0);
        CHECK(h.count(stats::Counter::tcp_syn_cookies_rejected) == 1);
        const Captured rst = h.sink.take_last();
        CHECK(rst.has(kRst));
        CHECK(rst.segment.seq == peer.acked);
    }
    SECTION("an expired cookie is reset") {
        peer.acked = synack.segment.seq + 1;
        h.now += 3ull * kCookiePeriodSeconds * 1'000'000;
        h.deliver(peer.segment(kAck));
        CHECK(h.engine.open_connections() == 0);
        CHECK(h.sink.take_last().has(kRst));
    }
    SECTION("the request may ride on the handshake's last ACK") {
        peer.acked = synack.segment.seq + 1;
        h.send(peer, "GET 10\n");
        REQUIRE(h.sink.sent.size() == 1);
        CHECK(h.sink.sent[0].payload.size() == 10);
        CHECK(h.sink.sent[0].segment.ack == peer.next);
    }
}

TEST_CASE("timestamps: the window scale comes back through the cookie", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    peer.timestamps = true;
    Segment syn = peer.segment(kSyn);
    syn.seq = peer.isn;
    syn.options.has_window_scale = true;
    syn.options.window_scale = 7;
    h.deliver(syn);
    const Captured synack = h.sink.take_last();
    Options options;
    REQUIRE(parse_options(synack.segment.options, synack.segment.options_length, options));
    CHECK(options.has_timestamps);
    CHECK(options.has_window_scale);
    CHECK(options.ts_echo == peer.ts);
    CHECK_FALSE(options.sack_permitted); // SACK refused

    peer.next = peer.isn + 1;
    peer.acked = synack.segment.seq + 1;
    peer.window = 100; // scaled by 2^7: 12800 bytes
    Segment ack = peer.segment(kAck);
    ack.options.ts_echo = options.ts_value;
    h.deliver(ack);
    REQUIRE(h.engine.connection(peer.flow));
    CHECK(h.engine.connection(peer.flow)->snd_wscale == 7);
    CHECK(h.engine.connection(peer.flow)->snd_wnd == 12800);
}

// Regression (the differential test over TCP lost one answer in six): the SYN-ACK's TSval held
// the peer's window scale in its low bits and read later than the clock, so the answer sent in
// the same millisecond carried an older TSval and the client's PAWS check dropped it.
TEST_CASE("timestamps: data right after the handshake is not older than the SYN-ACK (RFC 7323 "
          "§5.3)",
          "[tcp][engine]") {
    EngineHarness h;
    h.now = h.now / 16'000 * 16'000; // a clock whose low 4 bits (milliseconds) are 0
    Peer peer;
    peer.timestamps = true;
    Segment syn = peer.segment(kSyn);
    syn.seq = peer.isn;
    syn.options.has_window_scale = true;
    syn.options.window_scale = 14; // low bits 14: far ahead of the clock's 0
    h.deliver(syn);
    const Captured synack = h.sink.take_last();
    Options synack_options;
    REQUIRE(parse_options(synack.segment.options, synack.segment.options_length, synack_options));

    peer.next = peer.isn + 1;
    peer.acked = synack.segment.seq + 1;
    Segment ack = peer.segment(kAck);
    ack.options.ts_echo = synack_options.ts_value;
    h.deliver(ack);
    h.keep = "GET 10\n";
    Segment request = peer.segment(kAck | kPsh, h.keep);
    request.options.ts_echo = synack_options.ts_value;
    h.deliver(request);
    REQUIRE_FALSE(h.sink.sent.empty());
    const Captured answer = h.sink.sent.front();
    REQUIRE(answer.payload.size() == 10);
    Options answer_options;
    REQUIRE(parse_options(answer.segment.options, answer.segment.options_length, answer_options));
    CHECK(static_cast<int32_t>(answer_options.ts_value - synack_options.ts_value) >= 0);
    CHECK(h.engine.connection(peer.flow)->snd_wscale == 14);
}

TEST_CASE("a response larger than the initial window is paced by ACKs", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "GET 15000\n");
    // IW10 with a 1000-byte MSS: 10 segments, then nothing until ACKs.
    CHECK(h.sink.sent.size() == 10);
    uint32_t received = 0;
    for (int round = 0; round < 10 && !h.sink.sent.empty(); ++round) {
        for (const auto& c : h.sink.sent)
            received += static_cast<uint32_t>(c.payload.size());
        h.ack_all(peer);
    }
    CHECK(received == 15000);
    CHECK(h.engine.connection(peer.flow)->tx.length() == 0);
    CHECK(h.engine.connection(peer.flow)->cwnd > 10u * 1000);
}

TEST_CASE("timestamps: each segment's payload leaves room for the option within the MSS",
          "[tcp][engine]") {
    // A 1000-byte MSS is 1000 bytes of TCP payload and options together: with the 12-byte
    // timestamp option on every segment, 988 bytes of data (RFC 6691 §2). Without this a
    // full-sized segment outgrows the path MTU and the veth drops it.
    EngineHarness h;
    Peer peer;
    peer.timestamps = true;
    h.handshake(peer);
    h.send(peer, "GET 5000\n");
    REQUIRE(h.sink.sent.size() == 6);
    uint32_t received = 0;
    for (const auto& c : h.sink.sent) {
        CHECK(c.segment.options_length == kTimestampOptionLength);
        CHECK(c.payload.size() + c.segment.options_length <= 1000);
        received += static_cast<uint32_t>(c.payload.size());
    }
    CHECK(h.sink.sent.front().payload.size() == 1000 - kTimestampOptionLength);
    CHECK(received == 5000);
}

TEST_CASE("retransmission timer: resend, back off, give up with a RST", "[tcp][engine]") {
    EngineConfig config = test_config();
    config.idle_timeout_us = 3600ull * 1'000'000; // not the idle timer: the retransmissions
    EngineHarness h(config);
    Peer peer;
    const Seq first = h.handshake(peer);
    h.send(peer, "GET 100\n");
    REQUIRE(h.sink.sent.size() == 1);
    h.sink.sent.clear();

    // Initial RTO 1 s (no RTT sample yet), then 2 s, 4 s ...
    h.now += kInitialRtoUs - 1000;
    h.engine.sweep(h.now);
    CHECK(h.sink.sent.empty());
    h.now += 2000;
    h.engine.sweep(h.now);
    REQUIRE(h.sink.sent.size() == 1);
    CHECK(h.sink.sent[0].segment.seq == first);
    CHECK(h.sink.sent[0].payload.size() == 100);
    h.sink.sent.clear();
    h.now += 2 * kInitialRtoUs - 5000;
    h.engine.sweep(h.now);
    CHECK(h.sink.sent.empty());
    h.now += 10'000;
    h.engine.sweep(h.now);
    CHECK(h.sink.sent.size() == 1);
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 2);

    // Exhausted: the connection is reset and its slot freed.
    for (int i = 0; i < 12; ++i) {
        h.now += kMaxRtoUs;
        h.engine.sweep(h.now);
    }
    CHECK(h.engine.open_connections() == 0);
    CHECK(h.count(stats::Counter::tcp_connections_aborted) == 1);
    CHECK(h.sink.sent.back().has(kRst));
}

TEST_CASE("an ACK ends the retransmissions", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "GET 100\n");
    h.now += 40'000;
    h.ack_all(peer);
    h.now += 10 * kInitialRtoUs;
    h.engine.sweep(h.now);
    CHECK(h.sink.sent.empty());
    CHECK(h.count(stats::Counter::tcp_retransmission_timeouts) == 0);
}

TEST_CASE("three duplicate ACKs: fast retransmit of the first unacknowledged segment",
          "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    const Seq first = h.handshake(peer);
    h.send(peer, "GET 5000\n");
    REQUIRE(h.sink.sent.size() == 5);
    h.sink.sent.clear();
    peer.acked = first + 1000; // the second segment was lost; the peer keeps asking for it
    h.deliver(peer.segment(kAck));
    for (int i = 0; i < 3; ++i)
        h.deliver(peer.segment(kAck));
    REQUIRE_FALSE(h.sink.sent.empty());
    CHECK(h.sink.sent[0].segment.seq == first + 1000);
    CHECK(h.count(stats::Counter::tcp_fast_retransmits) == 1);
}

TEST_CASE("out-of-order data is dropped and re-ACKed; overlaps are trimmed", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    const Seq start = peer.next;
    // "GET 5\n" in two pieces, the second first.
    peer.next = start + 4;
    h.keep = "5\n";
    h.deliver(peer.segment(kAck | kPsh, h.keep));
    REQUIRE(h.sink.sent.size() == 1);
    CHECK(h.sink.sent[0].segment.ack == start); // a duplicate ACK for the hole
    CHECK(h.sink.sent[0].payload.empty());
    CHECK(h.count(stats::Counter::tcp_out_of_order_dropped) == 1);
    h.sink.sent.clear();

    peer.next = start;
    h.send(peer, "GET ");
    CHECK(h.engine.connection(peer.flow)->rx_length == 4);
    h.sink.sent.clear();
    // The retransmission overlaps what arrived: only the new bytes count.
    peer.next = start + 2;
    h.send(peer, "T 5\n");
    REQUIRE(h.sink.sent.size() == 1);
    CHECK(h.sink.sent[0].payload.size() == 5);
    CHECK(h.sink.sent[0].segment.ack == start + 6);
}

TEST_CASE("RST and SYN: exact, in the window, out of it (RFC 5961)", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    SECTION("RST at RCV.NXT resets") {
        h.deliver(peer.segment(kRst));
        CHECK(h.engine.open_connections() == 0);
        CHECK(h.count(stats::Counter::tcp_connections_reset_by_peer) == 1);
        CHECK(h.sink.sent.empty());
    }
    SECTION("RST elsewhere in the window gets a challenge ACK") {
        Segment rst = peer.segment(kRst);
        rst.seq = peer.next + 100;
        h.deliver(rst);
        CHECK(h.engine.open_connections() == 1);
        REQUIRE(h.sink.sent.size() == 1);
        CHECK(h.sink.sent[0].has(kAck));
        CHECK(h.sink.sent[0].segment.ack == peer.next);
        CHECK(h.count(stats::Counter::tcp_challenge_acks) == 1);
    }
    SECTION("RST outside the window is ignored") {
        Segment rst = peer.segment(kRst);
        rst.seq = peer.next + 100'000;
        h.deliver(rst);
        CHECK(h.engine.open_connections() == 1);
        CHECK(h.sink.sent.empty());
    }
    SECTION("SYN on an established connection gets a challenge ACK") {
        h.deliver(peer.segment(kSyn));
        CHECK(h.engine.open_connections() == 1);
        REQUIRE(h.sink.sent.size() == 1);
        CHECK_FALSE(h.sink.sent[0].has(kRst));
        CHECK(h.count(stats::Counter::tcp_challenge_acks) == 1);
    }
    SECTION("challenge ACKs are rate-limited") {
        Segment rst = peer.segment(kRst);
        rst.seq = peer.next + 1;
        for (uint32_t i = 0; i < h.config.challenge_acks_per_second + 10; ++i)
            h.deliver(rst);
        CHECK(h.count(stats::Counter::tcp_challenge_acks) == h.config.challenge_acks_per_second);
        CHECK(h.count(stats::Counter::tcp_challenge_acks_limited) == 10);
    }
    SECTION("an ACK for data never sent is answered, not taken") {
        Segment ack = peer.segment(kAck);
        ack.ack = peer.acked + 5000;
        h.deliver(ack);
        CHECK(h.count(stats::Counter::tcp_bad_ack) == 1);
        CHECK(h.engine.connection(peer.flow)->snd_una == peer.acked);
    }
}

TEST_CASE("zero window: nothing sent, then probes, then the data once it opens", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    const Seq first = h.handshake(peer);
    peer.window = 0;
    h.send(peer, "GET 3000\n");
    REQUIRE(h.sink.sent.size() == 1); // the ACK of the request only
    CHECK(h.sink.sent[0].payload.empty());
    h.sink.sent.clear();
    h.now += kInitialRtoUs + 1000;
    h.engine.sweep(h.now);
    REQUIRE(h.sink.sent.size() == 1);
    CHECK(h.sink.sent[0].payload.size() == 1);
    CHECK(h.sink.sent[0].segment.seq == first);
    CHECK(h.count(stats::Counter::tcp_zero_window_probes) == 1);
    h.sink.sent.clear();
    // The window opens (and the probe byte is acknowledged).
    peer.window = 65535;
    peer.acked = first + 1;
    h.deliver(peer.segment(kAck));
    uint32_t bytes = 0;
    for (const auto& c : h.sink.sent)
        bytes += static_cast<uint32_t>(c.payload.size());
    CHECK(bytes == 2999);
}

TEST_CASE("FIN: the peer closes first (CLOSE-WAIT, LAST-ACK)", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "GET 10\n", kFin);
    CHECK(h.handler.peer_closed == 1);
    // The answer and our FIN go out; the connection waits for their ACK.
    REQUIRE_FALSE(h.sink.sent.empty());
    CHECK(h.sink.sent.back().has(kFin));
    CHECK(h.sink.sent.back().segment.ack == peer.next);
    CHECK(h.engine.connection(peer.flow)->state == State::kLastAck);
    h.ack_all(peer);
    CHECK(h.engine.open_connections() == 0);
    CHECK(h.count(stats::Counter::tcp_connections_closed) == 1);
}

TEST_CASE("FIN: we close first (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT)", "[tcp][engine]") {
    EngineHarness h;
    h.handler.close_after_response = true;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "GET 10\n");
    CHECK(h.sink.sent.back().has(kFin));
    CHECK(h.engine.connection(peer.flow)->state == State::kFinWait1);
    h.ack_all(peer);
    CHECK(h.engine.connection(peer.flow)->state == State::kFinWait2);
    h.send(peer, "", kFin);
    CHECK(h.engine.connection(peer.flow)->state == State::kTimeWait);
    CHECK(h.sink.sent.back().segment.ack == peer.next);
    // A retransmitted FIN in TIME-WAIT is ACKed again.
    h.sink.sent.clear();
    peer.next = peer.next - 1;
    h.send(peer, "", kFin);
    CHECK(h.sink.sent.size() == 1);
    h.now += h.config.time_wait_us + 2000;
    h.engine.sweep(h.now);
    CHECK(h.engine.open_connections() == 0);
}

TEST_CASE("FIN: both close at once (CLOSING)", "[tcp][engine]") {
    EngineHarness h;
    h.handler.close_after_response = true;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "GET 10\n");
    CHECK(h.engine.connection(peer.flow)->state == State::kFinWait1);
    // The peer's FIN crosses ours: it does not acknowledge our FIN yet.
    h.send(peer, "", kFin);
    CHECK(h.engine.connection(peer.flow)->state == State::kClosing);
    h.ack_all(peer);
    CHECK(h.engine.connection(peer.flow)->state == State::kTimeWait);
}

TEST_CASE("a lost FIN is retransmitted after the data", "[tcp][engine]") {
    EngineHarness h;
    h.handler.close_after_response = true;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "GET 10\n");
    h.sink.sent.clear();
    h.now += kInitialRtoUs + 1000;
    h.engine.sweep(h.now);
    REQUIRE_FALSE(h.sink.sent.empty());
    CHECK(h.sink.sent.back().has(kFin));
    CHECK(h.sink.sent.back().payload.size() == 10);
    h.ack_all(peer);
    CHECK(h.engine.connection(peer.flow)->state == State::kFinWait2);
}

TEST_CASE("the connection table has a hard cap", "[tcp][engine]") {
    EngineHarness h;
    for (uint16_t i = 0; i < h.config.max_connections; ++i) {
        Peer peer;
        peer.flow = test_flow(static_cast<uint16_t>(41000 + i));
        h.handshake(peer);
    }
    CHECK(h.engine.open_connections() == h.config.max_connections);
    Peer extra;
    extra.flow = test_flow(50000);
    h.handshake(extra);
    CHECK(h.engine.open_connections() == h.config.max_connections);
    CHECK(h.count(stats::Counter::tcp_table_full) == 1);
    CHECK(h.sink.sent.back().has(kRst));
    // Closing one frees its slot for the next (the table's deletion keeps lookups working).
    Peer first;
    first.flow = test_flow(41000);
    REQUIRE(h.engine.connection(first.flow));
    first.next = h.engine.connection(first.flow)->rcv_nxt;
    h.deliver(first.segment(kRst));
    for (uint16_t i = 1; i < h.config.max_connections; ++i)
        CHECK(h.engine.connection(test_flow(static_cast<uint16_t>(41000 + i))));
    h.handshake(extra);
    CHECK(h.engine.connection(extra.flow));
}

TEST_CASE("at the cap, the oldest TIME-WAIT connection gives its slot to a new one",
          "[tcp][engine]") {
    EngineHarness h;
    h.handler.close_after_response = true;
    std::vector<Peer> peers(h.config.max_connections);
    for (uint16_t i = 0; i < h.config.max_connections; ++i) {
        peers[i].flow = test_flow(static_cast<uint16_t>(42000 + i));
        h.handshake(peers[i]);
        h.send(peers[i], "GET 10\n"); // we answer and close first
        h.ack_all(peers[i]);
        h.send(peers[i], "", kFin);
        REQUIRE(h.engine.connection(peers[i].flow)->state == State::kTimeWait);
    }
    Peer extra;
    extra.flow = test_flow(50001);
    h.handshake(extra);
    CHECK(h.engine.connection(extra.flow) != nullptr);
    CHECK(h.count(stats::Counter::tcp_time_wait_recycled) == 1);
    CHECK(h.count(stats::Counter::tcp_table_full) == 0);
    CHECK(h.engine.connection(peers[0].flow) == nullptr); // the oldest went
    CHECK(h.engine.connection(peers[1].flow) != nullptr);
}

TEST_CASE("an idle connection is closed after the timeout", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    h.now += h.config.idle_timeout_us + 2000;
    h.engine.sweep(h.now);
    CHECK(h.handler.idle == 1);
    CHECK(h.count(stats::Counter::tcp_connections_idle_closed) == 1);
    REQUIRE_FALSE(h.sink.sent.empty());
    CHECK(h.sink.sent.back().has(kFin));
}

TEST_CASE("the engine's memory is fixed at start-up", "[tcp][engine]") {
    EngineHarness h;
    const size_t before = h.engine.memory_bytes();
    for (uint16_t i = 0; i < 200; ++i) {
        Peer peer;
        peer.flow = test_flow(static_cast<uint16_t>(42000 + i));
        Segment syn = peer.segment(kSyn);
        h.deliver(syn); // a SYN flood: cookies only
    }
    CHECK(h.engine.open_connections() == 0);
    CHECK(h.engine.memory_bytes() == before);
    CHECK(h.count(stats::Counter::tcp_syn_cookies_sent) == 200);
}

// What the peer receives for "EXT n".
namespace {
std::string expected_ext(uint32_t n) {
    std::string s = std::to_string(n) + ":";
    for (uint32_t i = 0; i < n; ++i)
        s.push_back(static_cast<char>('A' + i % 26));
    return s;
}
} // namespace

TEST_CASE("external bodies are sent from where they lie, retransmitted from there too",
          "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "EXT 2500\nEXT 10\n");
    // Two responses: copied head + referenced body each; segments may span both kinds.
    std::string first_flight;
    for (const auto& c : h.sink.sent)
        first_flight.append(c.payload.begin(), c.payload.end());
    CHECK(first_flight == expected_ext(2500) + expected_ext(10));
    const Captured first = h.sink.sent.front();
    h.sink.sent.clear();

    // Lose everything: the timeout resends from SND.UNA, byte for byte the same.
    h.now += 1'100'000;
    h.engine.sweep(h.now);
    REQUIRE(!h.sink.sent.empty());
    CHECK(h.sink.sent.front().segment.seq == first.segment.seq);
    CHECK(h.sink.sent.front().payload == first.payload);
    CHECK(h.count(stats::Counter::tcp_segments_retransmitted) == 1);

    // ACKed round by round, the stream arrives whole and the queue drains.
    std::string received;
    Seq next = first.segment.seq;
    for (int round = 0; round < 20 && !h.sink.sent.empty(); ++round) {
        for (const auto& c : h.sink.sent) {
            if (c.segment.seq != next) continue;
            received.append(c.payload.begin(), c.payload.end());
            next += static_cast<uint32_t>(c.payload.size());
        }
        h.ack_all(peer);
    }
    CHECK(received == expected_ext(2500) + expected_ext(10));
    CHECK(h.engine.connection(peer.flow)->tx.length() == 0);
}

TEST_CASE("a pipelined burst waits for free send chunks, then completes", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    std::string burst;
    for (int i = 0; i < 10; ++i)
        burst += "EXT 100\n";
    h.send(peer, burst);
    // Four responses (eight chunks) fit; the rest of the requests wait in the receive buffer.
    Connection* c = h.engine.connection(peer.flow);
    REQUIRE(c != nullptr);
    CHECK(c->rx_length == 6 * 8);
    std::string received;
    for (int round = 0; round < 20 && !h.sink.sent.empty(); ++round) {
        for (const auto& s : h.sink.sent)
            received.append(s.payload.begin(), s.payload.end());
        h.ack_all(peer);
    }
    std::string expected;
    for (int i = 0; i < 10; ++i)
        expected += expected_ext(100);
    CHECK(received == expected);
    CHECK(c->rx_length == 0);
}

TEST_CASE("a closed connection tells its handler, so pinned memory can go", "[tcp][engine]") {
    EngineHarness h;
    Peer peer;
    h.handshake(peer);
    h.send(peer, "EXT 10\n");
    h.ack_all(peer);
    Segment rst = peer.segment(kRst);
    h.deliver(rst);
    CHECK(h.engine.connection(peer.flow) == nullptr);
    CHECK(h.handler.closed == 1);
}

} // namespace ringcast::tcp::test
