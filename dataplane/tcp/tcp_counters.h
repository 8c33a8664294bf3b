// The TCP engine's counters: every refusal and drop by name, like stats/counters.h does for
// frames. Per lcore, written by the engine only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace ringcast::tcp {

// X(name, help)
#define RINGCAST_TCP_COUNTERS(X)                                                                   \
    X(syn_cookies_sent, "SYN-ACKs sent, each carrying a SYN cookie")                               \
    X(syn_cookies_accepted, "Handshakes completed by a valid SYN cookie")                          \
    X(syn_cookies_rejected, "ACKs to no connection whose cookie was forged or expired")            \
    X(connections_opened, "Connections established")                                               \
    X(connections_closed, "Connections closed normally (FIN both ways)")                           \
    X(connections_reset_by_peer, "Connections the peer reset (RST exactly at RCV.NXT)")            \
    X(connections_aborted, "Connections this server reset (retransmissions exhausted)")            \
    X(connections_idle_closed, "Connections closed for being idle longer than the timeout")        \
    X(table_full, "Handshakes refused because the connection table is at its cap")                 \
    X(resets_sent, "RSTs sent (to segments for no connection, and aborts)")                        \
    X(challenge_acks, "Challenge ACKs sent (RFC 5961) for an in-window RST or SYN")                \
    X(challenge_acks_limited, "Challenge ACKs not sent because of their rate limit")               \
    X(unacceptable_segments, "Segments outside the receive window, answered with an ACK")          \
    X(out_of_order_dropped, "In-window data beyond RCV.NXT, dropped and re-ACKed")                 \
    X(receive_buffer_full, "Data dropped because the receive buffer was full")                     \
    X(bad_ack, "ACKs for data not yet sent, answered with an ACK")                                 \
    X(paws_rejected, "Segments with an old timestamp (RFC 7323 §5 PAWS)")                          \
    X(retransmission_timeouts, "Retransmission timer expiries (RFC 6298)")                         \
    X(fast_retransmits, "Fast retransmissions after three duplicate ACKs (RFC 5681)")              \
    X(segments_retransmitted, "Data segments sent again")                                          \
    X(zero_window_probes, "Zero-window probes sent (RFC 9293 §3.8.6.1)")                           \
    X(segments_received, "TCP segments handed to the engine")                                      \
    X(segments_sent, "TCP segments sent")

enum class TcpCounter : uint8_t {
#define RINGCAST_X(name, help) name,
    RINGCAST_TCP_COUNTERS(RINGCAST_X)
#undef RINGCAST_X
        count
};

struct TcpCounters {
    std::array<uint64_t, static_cast<size_t>(TcpCounter::count)> value{};
    void add(TcpCounter c, uint64_t n = 1) { value[static_cast<size_t>(c)] += n; }
    uint64_t get(TcpCounter c) const { return value[static_cast<size_t>(c)]; }
};

} // namespace ringcast::tcp
