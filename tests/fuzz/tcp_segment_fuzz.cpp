// tcp_segment_fuzz: TCP below and in the engine (dataplane/net/tcp.cpp handle_tcp through
// handle_frame, and dataplane/tcp/engine.h) with DNS over TCP above it, as an lcore runs it: a
// sequence of segments from up to four peers, each framed whole (Ethernet, IPv4 or IPv6, TCP,
// checksum), with time passing between them and the timers swept. Every segment the engine
// sends is framed as the runtime frames it and parsed back independently; a malformed one aborts.
//
// Sequence and acknowledgment numbers are taken relative to what each side has sent, so that the
// fuzzer gets past the SYN-cookie handshake instead of guessing 32-bit numbers. Each segment:
//   byte 0  control bits (FIN SYN RST PSH ACK), then bit 5: IPv6, bit 6: second peer port,
//           bit 7: corrupt the TCP checksum
//   byte 1  seq delta (signed) from the peer's next sequence number
//   byte 2  ack delta (signed) from the engine's next sequence number
//   byte 3  window (high byte; the low byte is 0xff)
//   byte 4  options: bit 0 MSS, bit 1 window scale, bit 2 timestamps (TSval counts segments),
//           bit 3 SACK permitted, bit 4 raw options (a length byte, then that many bytes, up to
//           40), bit 5 port 80
//           (not served: answered with RST), bits 6-7 time advance (0, 10 ms, 1 s, 70 s)
//   byte 5  payload length n, then n payload bytes
#include "dataplane/dns/tcp_stream.h"
#include "dataplane/net/tcp.h"
#include "tests/fuzz/fuzz_support.h"

#include <algorithm>
#include <array>

namespace rc = ringcast;
using rc::fuzz::be16;

namespace {

constexpr uint32_t kEth = 14, kIp4 = 20, kIp6 = 40, kTcpHeader = 20;
constexpr uint32_t kMaxTcpOptions = 40;
constexpr uint32_t kMaxSegmentsPerInput = 64; // longer inputs only repeat what these reach
constexpr uint8_t kPeerMac[6] = {0x02, 0, 0, 0, 0, 0x99};
constexpr uint8_t kPeer4[4] = {198, 51, 100, 7};
constexpr uint8_t kPeer6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07};
constexpr uint16_t kPeerPorts[2] = {40000, 40001};
constexpr uint64_t kTimeSteps[4] = {0, 10'000, 1'000'000, 70'000'000}; // microseconds
constexpr uint64_t kStartUs = 1'765'000'000ull * 1'000'000;
constexpr uint32_t kTsStart = 100;

// A peer's flow: 2 families x 2 ports.
size_t flow_index(bool ipv6, bool second_port) {
    return (ipv6 ? 2 : 0) + (second_port ? 1 : 0);
}

struct FlowState {
    uint32_t peer_next = 1000; // the peer's next sequence number
    uint32_t engine_next = 0;  // the engine's, from what it sent
};

uint32_t be32(const uint8_t* p) {
    return uint32_t{be16(p)} << 16 | be16(p + 2);
}

// Frames each segment the engine sends as the runtime does, and parses it back.
struct CheckingSink : rc::tcp::SegmentSink {
    std::array<FlowState, 4>* flows = nullptr;
    uint32_t mss = 0;
    std::unique_ptr<uint8_t[]> buffer{new uint8_t[rc::fuzz::kFrameCapacity]};

    void send(const rc::tcp::OutSegment& s) override {
        const uint32_t len = rc::net::frame_tcp_segment(s, rc::fuzz::kPortMac, buffer.get(),
                                                        rc::fuzz::kFrameCapacity);
        FUZZ_CHECK(len != 0); // every segment the engine sends fits an mbuf
        const uint8_t* f = buffer.get();
        FUZZ_CHECK(std::memcmp(f, kPeerMac, 6) == 0);
        const bool v6 = be16(f + 12) == 0x86dd;
        FUZZ_CHECK(v6 == s.flow.ipv6 && (v6 || be16(f + 12) == 0x0800));
        const uint8_t* l3 = f + kEth;
        const uint8_t* l4;
        uint32_t l4_len, pseudo;
        if (v6) {
            FUZZ_CHECK(l3[0] >> 4 == 6 && l3[6] == 6);
            l4_len = be16(l3 + 4);
            FUZZ_CHECK(kEth + kIp6 + l4_len == len);
            FUZZ_CHECK(rc::fuzz::is_vip6(l3 + 8) && std::memcmp(l3 + 24, kPeer6, 16) == 0);
            l4 = l3 + kIp6;
            pseudo = rc::fuzz::sum16(l3 + 8, 32, 6 + l4_len);
        } else {
            FUZZ_CHECK(l3[0] == 0x45 && l3[9] == 6);
            FUZZ_CHECK(kEth + be16(l3 + 2) == len);
            FUZZ_CHECK(rc::fuzz::sum16(l3, kIp4) == 0xffff);
            FUZZ_CHECK(rc::fuzz::is_vip4(l3 + 12) && std::memcmp(l3 + 16, kPeer4, 4) == 0);
            l4 = l3 + kIp4;
            l4_len = len - kEth - kIp4;
            pseudo = rc::fuzz::sum16(l3 + 12, 8, 6 + l4_len);
        }
        FUZZ_CHECK(l4_len >= kTcpHeader);
        FUZZ_CHECK(rc::fuzz::sum16(l4, l4_len, pseudo) == 0xffff);
        const uint32_t header = (l4[12] >> 4) * 4u;
        FUZZ_CHECK(header >= kTcpHeader && header <= kTcpHeader + kMaxTcpOptions &&
                   header <= l4_len);
        // Options (RFC 9293 §3.1): kinds 0 and 1 are one byte, the others carry a length >= 2.
        for (uint32_t at = kTcpHeader; at < header;) {
            const uint8_t kind = l4[at];
            if (kind == 0) break;
            if (kind == 1) {
                ++at;
                continue;
            }
            FUZZ_CHECK(at + 1 < header && l4[at + 1] >= 2 && at + l4[at + 1] <= header);
            at += l4[at + 1];
        }
        const uint8_t flags = l4[13];
        const uint32_t payload = l4_len - header;
        FUZZ_CHECK(payload <= mss);
        FUZZ_CHECK(!(flags & rc::tcp::kRst) || payload == 0);
        FUZZ_CHECK(!(flags & rc::tcp::kSyn) || (flags & rc::tcp::kAck)); // a server: SYN-ACK only
        const uint16_t dst_port = be16(l4 + 2);
        const bool second = dst_port == kPeerPorts[1];
        FUZZ_CHECK(second || dst_port == kPeerPorts[0]);
        // The engine's next sequence number as the peer sees it.
        const uint32_t end = be32(l4 + 4) + payload + ((flags & rc::tcp::kSyn) ? 1 : 0) +
                             ((flags & rc::tcp::kFin) ? 1 : 0);
        FlowState& flow = (*flows)[flow_index(v6, second)];
        if (!(flags & rc::tcp::kRst) &&
            (static_cast<int32_t>(end - flow.engine_next) > 0 || (flags & rc::tcp::kSyn)))
            flow.engine_next = end;
    }
};

// Builds the peer's segment into `out` (kFrameCapacity bytes); returns its length, or 0 when
// the input ran out.
uint32_t build_segment(const uint8_t*& in, const uint8_t* end, std::array<FlowState, 4>& flows,
                       uint8_t* out, uint64_t& time_step, uint32_t ts_value) {
    constexpr size_t kFixed = 6;
    if (end - in < static_cast<ptrdiff_t>(kFixed)) return 0;
    const uint8_t control = in[0];
    const int8_t seq_delta = static_cast<int8_t>(in[1]);
    const int8_t ack_delta = static_cast<int8_t>(in[2]);
    const uint16_t window = static_cast<uint16_t>(in[3] << 8 | 0xff);
    const uint8_t option_bits = in[4];
    uint32_t payload_len = in[5];
    in += kFixed;
    time_step = kTimeSteps[option_bits >> 6];

    uint8_t options[kMaxTcpOptions];
    uint32_t options_len = 0;
    if (option_bits & 0x10) {
        if (in == end) return 0;
        const uint32_t raw = std::min<uint32_t>(*in++, kMaxTcpOptions);
        if (end - in < static_cast<ptrdiff_t>(raw)) return 0;
        std::memcpy(options, in, raw);
        in += raw;
        options_len = raw;
    } else {
        auto put = [&](std::initializer_list<uint8_t> bytes) {
            for (uint8_t b : bytes)
                options[options_len++] = b;
        };
        if (option_bits & 0x01) put({2, 4, 0x05, 0xb4}); // MSS 1460
        if (option_bits & 0x02) put({1, 3, 3, 7});       // NOP, window scale 7
        if (option_bits & 0x08) put({1, 1, 4, 2});       // NOPs, SACK permitted
        if (option_bits & 0x04) {                        // NOPs, timestamps (RFC 7323 §3)
            const uint32_t ts = ts_value;
            put({1, 1, 8, 10, static_cast<uint8_t>(ts >> 24), static_cast<uint8_t>(ts >> 16),
                 static_cast<uint8_t>(ts >> 8), static_cast<uint8_t>(ts), 0, 0, 0, 0});
        }
    }
    while (options_len % 4)
        options[options_len++] = 0; // end of options list, padding
    if (end - in < static_cast<ptrdiff_t>(payload_len))
        payload_len = static_cast<uint32_t>(end - in);

    const bool v6 = control & 0x20;
    const bool second = control & 0x40;
    FlowState& flow = flows[flow_index(v6, second)];
    uint8_t flags = control & 0x1f;
    const uint32_t seq = flow.peer_next + static_cast<uint32_t>(static_cast<int32_t>(seq_delta));
    const uint32_t ack = flow.engine_next + static_cast<uint32_t>(static_cast<int32_t>(ack_delta));

    const uint32_t ip_len = v6 ? kIp6 : kIp4;
    const uint32_t tcp_len = kTcpHeader + options_len + payload_len;
    const uint32_t len = kEth + ip_len + tcp_len;
    std::memset(out, 0, kEth + ip_len + kTcpHeader);
    std::memcpy(out, rc::fuzz::kPortMac.data(), 6);
    std::memcpy(out + 6, kPeerMac, 6);
    out[12] = v6 ? 0x86 : 0x08;
    out[13] = v6 ? 0xdd : 0x00;
    uint8_t* l3 = out + kEth;
    uint32_t pseudo;
    if (v6) {
        l3[0] = 0x60;
        l3[4] = static_cast<uint8_t>(tcp_len >> 8);
        l3[5] = static_cast<uint8_t>(tcp_len);
        l3[6] = 6;
        l3[7] = 64;
        std::memcpy(l3 + 8, kPeer6, 16);
        std::memcpy(l3 + 24, rc::fuzz::kVip6, 16);
        pseudo = rc::fuzz::sum16(l3 + 8, 32, 6 + tcp_len);
    } else {
        l3[0] = 0x45;
        l3[2] = static_cast<uint8_t>((kIp4 + tcp_len) >> 8);
        l3[3] = static_cast<uint8_t>(kIp4 + tcp_len);
        l3[6] = 0x40; // DF
        l3[8] = 64;
        l3[9] = 6;
        std::memcpy(l3 + 12, kPeer4, 4);
        std::memcpy(l3 + 16, rc::fuzz::kVip4, 4);
        const uint16_t c = static_cast<uint16_t>(~rc::fuzz::sum16(l3, kIp4));
        l3[10] = static_cast<uint8_t>(c >> 8);
        l3[11] = static_cast<uint8_t>(c);
        pseudo = rc::fuzz::sum16(l3 + 12, 8, 6 + tcp_len);
    }
    uint8_t* t = l3 + ip_len;
    const uint16_t src_port = kPeerPorts[second ? 1 : 0];
    const uint16_t dst_port = (option_bits & 0x20) ? rc::net::kHttpPort : rc::net::kDnsPort;
    const uint8_t header[kTcpHeader] = {static_cast<uint8_t>(src_port >> 8),
                                        static_cast<uint8_t>(src_port),
                                        static_cast<uint8_t>(dst_port >> 8),
                                        static_cast<uint8_t>(dst_port),
                                        static_cast<uint8_t>(seq >> 24),
                                        static_cast<uint8_t>(seq >> 16),
                                        static_cast<uint8_t>(seq >> 8),
                                        static_cast<uint8_t>(seq),
                                        static_cast<uint8_t>(ack >> 24),
                                        static_cast<uint8_t>(ack >> 16),
                                        static_cast<uint8_t>(ack >> 8),
                                        static_cast<uint8_t>(ack),
                                        static_cast<uint8_t>((kTcpHeader + options_len) / 4 << 4),
                                        flags,
                                        static_cast<uint8_t>(window >> 8),
                                        static_cast<uint8_t>(window),
                                        0,
                                        0,
                                        0,
                                        0};
    std::memcpy(t, header, kTcpHeader);
    std::memcpy(t + kTcpHeader, options, options_len);
    std::memcpy(t + kTcpHeader + options_len, in, payload_len);
    in += payload_len;
    uint16_t c = static_cast<uint16_t>(~rc::fuzz::sum16(t, tcp_len, pseudo));
    if (control & 0x80) c ^= 0x0101; // a corrupted segment: must be dropped
    t[16] = static_cast<uint8_t>(c >> 8);
    t[17] = static_cast<uint8_t>(c);

    // The peer moves on past what it sent, unless it was a retransmission or from the future.
    if (seq_delta == 0 && !(flags & rc::tcp::kRst))
        flow.peer_next = seq + payload_len + ((flags & rc::tcp::kSyn) ? 1 : 0) +
                         ((flags & rc::tcp::kFin) ? 1 : 0);
    return len;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    rc::fuzz::Pop& pop = rc::fuzz::pop();
    pop.config.accept_partial_checksums = false;
    rc::tcp::EngineConfig config;
    config.max_connections = 4;
    config.rx_buffer = 4096;
    config.tx_buffer = 16384;
    config.mss = 1460;
    config.secret.key = {0x0123456789abcdefull, 0x0fedcba987654321ull};

    std::array<FlowState, 4> flows{};
    CheckingSink sink;
    sink.flows = &flows;
    sink.mss = config.mss;
    rc::stats::LcoreCounters counters;
    rc::dns::TcpStreamHandler dns(pop.config.dns, counters);
    dns.use_snapshot(&pop.snapshot->view());
    rc::tcp::Engine engine(config, sink, dns, counters);

    std::unique_ptr<uint8_t[]> buffer(new uint8_t[rc::fuzz::kFrameCapacity]);
    const uint8_t* in = data;
    const uint8_t* end = data + size;
    uint64_t now = kStartUs;
    for (uint32_t n = 0; n < kMaxSegmentsPerInput; ++n) {
        uint64_t step = 0;
        // The peer's timestamp clock only moves forward (RFC 7323 §5.3: PAWS would drop a
        // segment whose clock went back); raw options can still send any value.
        const uint32_t len = build_segment(in, end, flows, buffer.get(), step, kTsStart + n);
        if (len == 0) break;
        if (step) {
            now += step;
            engine.sweep(now);
        }
        rc::net::Frame frame;
        frame.data = buffer.get();
        frame.len = len;
        frame.capacity = rc::fuzz::kFrameCapacity;
        rc::net::TxOffloadRequest tx;
        const rc::net::L4Services services{&engine, now, 0};
        uint64_t drops_before = 0;
        for (uint64_t d : counters.drop)
            drops_before += d;
        const auto verdict =
            rc::net::handle_frame(pop.config, pop.snapshot->view(), counters, frame, tx, services);
        uint64_t drops = 0;
        for (uint64_t d : counters.drop)
            drops += d;
        // TCP to a VIP is never answered in place: the engine sends its own segments.
        FUZZ_CHECK(verdict != rc::net::Verdict::kTransmit);
        if (verdict == rc::net::Verdict::kDrop) FUZZ_CHECK(drops == drops_before + 1);
        FUZZ_CHECK(engine.open_connections() <= config.max_connections);
    }
    // Everything still open times out and is released: idle connections at once, those still
    // retransmitting after their backed-off RTOs, TIME-WAIT after 2 MSL.
    for (uint32_t i = 0; i <= config.max_retransmissions + 2; ++i) {
        now += config.idle_timeout_us;
        engine.sweep(now);
    }
    FUZZ_CHECK(engine.open_connections() == 0);
    return 0;
}
