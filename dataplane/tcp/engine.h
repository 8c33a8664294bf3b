// The TCP engine of one lcore (server side): segments in, segments out through a SegmentSink,
// timers swept between bursts. No locks, no allocation after construction: the connection
// table, its buffers and the timer wheel are sized from EngineConfig once.
//
// In RFC 9293 terms: SYN cookies always (no SYN-RECEIVED state, syn_cookie.h); window scale and
// timestamps (RFC 7323) with PAWS; SACK (RFC 2018) as a sender, negotiated through the cookie
// when the peer offers it with timestamps: a fixed scoreboard per connection (sack_scoreboard.h),
// a transmit log of the flight (transmit_log.h) on which RACK (RFC 8985 §6, rack.h) finds lost
// segments by time, lost retransmissions included, RFC 6675 loss recovery that retransmits only
// those, tail loss probes (RFC 8985 §7), and the scoreboard kept through a first timeout;
// NewReno (RFC 5681, RFC 6582) for peers without SACK; limited transmit (RFC 3042); RFC 6298
// retransmission with backoff; congestion control from an initial window of 10 segments (RFC 6928);
// zero-window probes; FIN and half-close; RFC 5961 challenge ACKs for in-window RST and SYN,
// rate-limited; TIME-WAIT where this server closes first. Out-of-order data is not queued: it is
// dropped and re-ACKed, so the peer retransmits from RCV.NXT (requests are a segment or two;
// responses flow the other way), and no SACK blocks are sent (RFC 2018 §4 leaves generating them to
// the receiver).
#pragma once

#include "dataplane/stats/counters.h"
#include "dataplane/tcp/connection.h"
#include "dataplane/tcp/segment.h"
#include "dataplane/tcp/syn_cookie.h"
#include "dataplane/tcp/timer_wheel.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace ringcast::tcp {

struct EngineConfig {
    uint32_t max_connections = 4096;
    uint32_t rx_buffer = 4096;  // bytes per connection: the largest request it buffers
    uint32_t tx_buffer = 65536; // bytes per connection: responses queued but not acknowledged
    uint64_t idle_timeout_us = 60'000'000;
    uint64_t time_wait_us = 30'000'000;        // 2 MSL with an MSL of 15 s
    uint16_t mss = 1460;                       // from the port's MTU
    uint32_t max_retransmissions = 8;          // consecutive RTOs before the connection is reset
    uint32_t challenge_acks_per_second = 1000; // RFC 5961 §7
    CookieSecret secret;
};

class Engine;

// The byte stream above TCP: HTTP, DNS over TCP, and where TLS would sit.
class StreamHandler {
  public:
    virtual ~StreamHandler() = default;
    // In-order bytes are waiting in `c`'s receive buffer: consume what can be answered (with
    // Engine::consume) and queue the answers (Engine::write). Also called when send buffer space
    // frees up while received bytes wait, so a handler that stopped for lack of room resumes.
    virtual void on_readable(Engine& engine, Connection& c) = 0;
    // Whether this handler serves connections to local port `port` (others are refused).
    virtual bool listening(uint16_t port) const {
        (void)port;
        return true;
    }
    // The peer sent FIN: no more bytes will come.
    virtual void on_peer_closed(Engine& engine, Connection& c) = 0;
    // Idle longer than the timeout; the engine closes the connection after this returns.
    virtual void on_idle(Engine& engine, Connection& c) = 0;
    // The connection is gone (closed, reset or aborted): nothing it queued is read any more.
    virtual void on_closed(Engine& engine, Connection& c) = 0;
};

class Engine {
  public:
    // Counts into `counters` (the lcore's, stats/counters.h's tcp_* entries).
    Engine(const EngineConfig& config, SegmentSink& sink, StreamHandler& handler,
           stats::LcoreCounters& counters);
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void on_segment(const Segment& segment, uint64_t now_us);
    bool listening(uint16_t port) const { return handler_.listening(port); }
    // Answers a segment to a port nothing listens on (RFC 9293 §3.10.7.1: RST, never to a RST).
    void refuse(const Segment& segment) {
        if (!segment.has(kRst)) send_reset_for(segment);
    }
    // Fires due timers: retransmissions, probes, idle and TIME-WAIT expiry.
    void sweep(uint64_t now_us);

    // For the stream handler.
    const uint8_t* received(const Connection& c) const { return c.rx; }
    void consume(Connection& c, uint32_t bytes);
    // Bytes write() can take now.
    uint32_t writable(const Connection& c) const { return c.tx.copy_room(); }
    uint32_t send_capacity() const { return config_.tx_buffer; }
    uint32_t receive_capacity() const { return config_.rx_buffer; }
    // Queues bytes to send (copied); false, with nothing queued, if they do not fit.
    bool write(Connection& c, const uint8_t* data, uint32_t length);
    // Queues bytes to send from where they lie: they must stay readable, unchanged, until the
    // connection is closed (StreamHandler::on_closed). False if no chunk of the send queue is free.
    bool write_external(Connection& c, const uint8_t* data, uint32_t length);
    bool can_write_external(const Connection& c) const { return c.tx.chunk_free(); }
    // Chunks of the send queue free: a head and a body need two.
    uint32_t free_send_chunks(const Connection& c) const { return c.tx.free_chunks(); }
    // Sends FIN once everything queued has been sent.
    void close(Connection& c);

    Connection* connection(const FlowKey& flow) { return find(flow); }
    uint32_t open_connections() const { return open_; }
    // Bytes allocated for connections at start-up: the engine's whole footprint.
    size_t memory_bytes() const;

  private:
    Connection* find(const FlowKey& flow);
    Connection* admit(const Segment& segment, uint16_t mss, uint64_t now_us);
    void release(Connection& c);
    uint32_t index_of(const Connection& c) const {
        return static_cast<uint32_t>(&c - connections_.data());
    }

    void answer_syn(const Segment& s, uint64_t now_us);
    void answer_ack_without_connection(const Segment& s, uint64_t now_us);
    void send_reset_for(const Segment& s);
    void process(Connection& c, const Segment& s, uint64_t now_us);
    bool process_ack(Connection& c, const Segment& s, uint64_t now_us);
    // Returns whether a D-SACK (RFC 2883) came with them.
    bool take_sack_blocks(Connection& c, const Segment& s);
    void enter_sack_recovery(Connection& c, uint64_t now_us);
    void note_spurious_retransmit(Connection& c);
    void rack_on_ack(Connection& c, const Segment& s, bool dsack, uint64_t now_us);
    void rack_detect_loss(Connection& c, uint64_t now_us);
    // `first_regardless`: the first lost segment goes out whatever the pipe (RFC 6675 §5 (4.3)).
    void retransmit_lost(Connection& c, uint64_t now_us, bool first_regardless = false);
    void schedule_loss_probe(Connection& c, uint64_t now_us);
    void send_loss_probe(Connection& c, uint64_t now_us);
    void finish_segment(Connection& c, uint64_t now_us);
    void receive_data(Connection& c, const Segment& s);
    void challenge_ack(Connection& c, uint64_t now_us);

    void output(Connection& c, uint64_t now_us);
    // Returns the bytes sent: fewer than `length` when the pieces run out (send_queue.h).
    uint32_t send_data(Connection& c, Seq from, uint32_t length, uint64_t now_us, bool fin);
    void send_ack(Connection& c, uint64_t now_us);
    OutSegment segment_for(const Connection& c, uint8_t flags, uint64_t now_us) const;
    uint16_t receive_window(const Connection& c) const;
    uint32_t timestamp_clock(uint64_t now_us) const { return static_cast<uint32_t>(now_us / 1000); }

    void on_timer(Connection& c, uint64_t now_us);
    void rearm(Connection& c);
    void retransmit_timeout(Connection& c, uint64_t now_us);
    void enter_time_wait(Connection& c, uint64_t now_us);
    bool recycle_time_wait();

    EngineConfig config_;
    SegmentSink& sink_;
    StreamHandler& handler_;
    std::vector<Connection> connections_;
    // Every connection's buffers, one anonymous mapping: pages are only backed once a
    // connection uses them, so the configured caps cost address space, not memory, until used.
    struct Mapping {
        uint8_t* data = nullptr;
        size_t size = 0;
        explicit Mapping(size_t bytes);
        ~Mapping();
        Mapping(const Mapping&) = delete;
        Mapping& operator=(const Mapping&) = delete;
    };
    Mapping buffers_;
    std::vector<uint32_t> free_;    // free slot indices
    std::vector<uint32_t> buckets_; // open addressing over slot indices, kEmpty when free
    uint64_t hash_seed_;
    TimerWheel timers_;
    // Slots in the order they entered TIME-WAIT, a ring: the first to recycle at the cap.
    std::vector<uint32_t> time_wait_order_;
    size_t time_wait_head_ = 0;
    size_t time_wait_count_ = 0;
    stats::LcoreCounters& counters_;
    uint32_t open_ = 0;
    uint64_t challenge_window_start_us_ = 0;
    uint32_t challenge_acks_in_window_ = 0;
};

} // namespace ringcast::tcp
