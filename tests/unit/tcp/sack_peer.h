// A peer that negotiates SACK (and timestamps) with the engine, and the ACKs it sends.
#pragma once

#include "tests/unit/tcp/engine_harness.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp::test {

// The handshake of a peer offering timestamps, window scale and, if asked, SACK-permitted: its
// final ACK echoes the SYN-ACK's TSval, where the cookie keeps what the SYN offered.
struct SackHandshake {
    Seq first;       // our first data byte
    Options syn_ack; // the options of our SYN-ACK
};

inline SackHandshake sack_handshake(EngineHarness& h, Peer& peer, bool offer_sack) {
    peer.timestamps = true;
    Segment syn = peer.segment(kSyn);
    syn.seq = peer.isn;
    syn.options.has_mss = true;
    syn.options.mss = 1460;
    syn.options.has_window_scale = true;
    syn.options.window_scale = 0;
    syn.options.sack_permitted = offer_sack;
    h.deliver(syn);
    const Captured synack = h.sink.take_last();
    SackHandshake result;
    REQUIRE(parse_options(synack.segment.options, synack.segment.options_length, result.syn_ack));
    peer.acked = synack.segment.seq + 1;
    peer.next = peer.isn + 1;
    Segment ack = peer.segment(kAck);
    ack.options.ts_echo = result.syn_ack.ts_value;
    h.deliver(ack);
    result.first = peer.acked;
    return result;
}

// A duplicate ACK from the peer at `ack`, SACKing [left, right).
inline Segment sack_ack(const Peer& peer, Seq ack, Seq left, Seq right) {
    Segment s = peer.segment(kAck);
    s.ack = ack;
    s.options.sack_block_count = 1;
    s.options.sack_left[0] = left.raw();
    s.options.sack_right[0] = right.raw();
    return s;
}

// The segments sent below `below`: retransmissions.
inline std::vector<Captured> sent_below(const CapturingSink& sink, Seq below) {
    std::vector<Captured> out;
    for (const auto& c : sink.sent)
        if (!c.payload.empty() && c.segment.seq < below) out.push_back(c);
    return out;
}

} // namespace ringcast::tcp::test
