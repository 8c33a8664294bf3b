// An engine on a capturing sink, with a stream handler that answers each request line
// ("GET n\n") with n bytes, and builders for the peer's segments.
#pragma once

#include "dataplane/tcp/engine.h"

#include <cstdlib>
#include <string>
#include <vector>

namespace ringcast::tcp::test {

struct Captured {
    OutSegment segment;
    std::vector<uint8_t> payload;
    bool has(uint8_t flag) const { return (segment.flags & flag) != 0; }
};

struct CapturingSink : SegmentSink {
    std::vector<Captured> sent;
    void send(const OutSegment& s) override {
        Captured c{s, {}};
        for (uint32_t i = 0; i < s.payload.count; ++i)
            c.payload.insert(c.payload.end(), s.payload.data[i],
                             s.payload.data[i] + s.payload.length[i]);
        sent.push_back(c);
    }
    Captured take_last() {
        Captured c = sent.back();
        sent.clear();
        return c;
    }
};

// The bytes of an external body: 'A' + i % 26, readable for the whole test.
inline const std::vector<uint8_t>& external_body() {
    static const std::vector<uint8_t> body = [] {
        std::vector<uint8_t> b(1 << 20);
        for (size_t i = 0; i < b.size(); ++i)
            b[i] = static_cast<uint8_t>('A' + i % 26);
        return b;
    }();
    return body;
}

// "GET n\n" answers n copied bytes 'a' + i % 26; "EXT n\n" answers a copied "<n>:" and then n
// bytes of external_body() queued by reference.
struct LineHandler : StreamHandler {
    bool close_after_response = false;
    uint32_t peer_closed = 0;
    uint32_t idle = 0;
    uint32_t closed = 0;
    void on_readable(Engine& engine, Connection& c) override {
        for (;;) {
            const std::string text(reinterpret_cast<const char*>(engine.received(c)), c.rx_length);
            const size_t end = text.find('\n');
            if (end == std::string::npos) return;
            const uint32_t n = static_cast<uint32_t>(std::atoi(text.c_str() + 4));
            if (text.rfind("EXT ", 0) == 0) {
                const std::string head = std::to_string(n) + ":";
                if (engine.writable(c) < head.size() + 1 || !engine.can_write_external(c)) return;
                engine.write(c, reinterpret_cast<const uint8_t*>(head.data()),
                             static_cast<uint32_t>(head.size()));
                if (!engine.write_external(c, external_body().data(), n)) return;
                engine.consume(c, static_cast<uint32_t>(end + 1));
                if (close_after_response) engine.close(c);
                continue;
            }
            if (engine.writable(c) < n) return; // resumes when ACKs free room
            std::vector<uint8_t> body(n);
            for (uint32_t i = 0; i < n; ++i)
                body[i] = static_cast<uint8_t>('a' + i % 26);
            engine.write(c, body.data(), n);
            engine.consume(c, static_cast<uint32_t>(end + 1));
            if (close_after_response) engine.close(c);
        }
    }
    void on_peer_closed(Engine& engine, Connection& c) override {
        ++peer_closed;
        engine.close(c);
    }
    void on_idle(Engine&, Connection&) override { ++idle; }
    void on_closed(Engine&, Connection&) override { ++closed; }
};

inline FlowKey test_flow(uint16_t peer_port = 40000) {
    FlowKey f;
    f.local = {203, 0, 113, 53};
    f.peer = {198, 51, 100, 7};
    f.local_port = 80;
    f.peer_port = peer_port;
    return f;
}

inline EngineConfig test_config() {
    EngineConfig config;
    config.max_connections = 4;
    config.rx_buffer = 1024;
    config.tx_buffer = 16384;
    config.mss = 1000;
    config.secret.key = {0x0123456789abcdefull, 0x0fedcba987654321ull};
    return config;
}

// The peer's side of one connection: its sequence numbers and what it has received.
struct Peer {
    FlowKey flow = test_flow();
    Seq isn{1000};
    Seq next{1001}; // the peer's SND.NXT
    Seq acked;      // the peer's RCV.NXT: our data it has
    uint16_t window = 65535;
    bool timestamps = false;
    uint32_t ts = 100;

    Segment segment(uint8_t flags, const std::string& data = "") const {
        Segment s;
        s.flow = flow;
        s.seq = next;
        s.ack = acked;
        s.flags = flags;
        s.window = window;
        s.payload = reinterpret_cast<const uint8_t*>(data.data());
        s.payload_length = static_cast<uint32_t>(data.size());
        if (timestamps) {
            s.options.has_timestamps = true;
            s.options.ts_value = ts;
        }
        return s;
    }
};

struct EngineHarness {
    CapturingSink sink;
    LineHandler handler;
    EngineConfig config;
    stats::LcoreCounters counters;
    Engine engine;
    uint64_t now = 1'765'000'000ull * 1'000'000; // microseconds
    std::string keep;                            // payload storage for the segment in flight

    explicit EngineHarness(const EngineConfig& c = test_config())
        : config(c), engine(config, sink, handler, counters) {}
    // With another stream handler above the engine (`handler` then stays unused).
    EngineHarness(const EngineConfig& c, StreamHandler& other)
        : config(c), engine(config, sink, other, counters) {}

    void deliver(const Segment& s) { engine.on_segment(s, now); }

    // SYN, SYN-ACK, ACK: returns the cookie-derived ISN + 1 (our first data byte).
    Seq handshake(Peer& peer) {
        Segment syn = peer.segment(kSyn);
        syn.seq = peer.isn;
        syn.options.has_mss = true;
        syn.options.mss = 1460;
        deliver(syn);
        const Captured synack = sink.take_last();
        peer.acked = synack.segment.seq + 1;
        peer.next = peer.isn + 1;
        deliver(peer.segment(kAck));
        return peer.acked;
    }

    // Sends data from the peer, advancing its sequence number.
    void send(Peer& peer, const std::string& data, uint8_t extra_flags = 0) {
        keep = data;
        deliver(peer.segment(kAck | kPsh | extra_flags, keep));
        peer.next += static_cast<uint32_t>(data.size()) + ((extra_flags & kFin) ? 1 : 0);
    }
    // ACKs everything the engine sent so far.
    void ack_all(Peer& peer) {
        for (const auto& c : sink.sent) {
            const Seq end =
                c.segment.seq + static_cast<uint32_t>(c.payload.size()) + (c.has(kFin) ? 1 : 0);
            if (end > peer.acked) peer.acked = end;
        }
        sink.sent.clear();
        deliver(peer.segment(kAck));
    }
    uint64_t count(stats::Counter c) const { return counters.get(c); }
};

} // namespace ringcast::tcp::test
