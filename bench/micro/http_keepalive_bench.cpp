// http_keepalive_bench: the dataplane's HTTP/1.1 path over its own TCP, with no kernel and no PMD
// in between. A real tcp::Engine with the real stream handlers (http::HttpStreamHandler behind a
// tcp::PortDispatch, as dataplane/runtime/lcore_loop.cpp wires them) answers from a content
// snapshot compiled in memory from a generated site (controlplane/content compile_content). Every
// segment goes through net::handle_frame as a real Ethernet/IPv4/TCP frame (checksums verified in
// software), and every segment the engine sends is framed by net::frame_tcp_segment into a 2 KiB
// buffer, as runtime::MbufSegmentSink frames it into an mbuf.
//
// The client side, untimed: --connections connections open by SYN cookie (SYN, SYN-ACK, ACK, with
// MSS, window scale and timestamps as Linux sends them), then each round gives every connection
// one frame: the next keep-alive GET once the previous response has arrived whole (the GET
// carrying the ACK of it, as a client that writes its next request at once sends it), otherwise
// a pure ACK of everything received (an object larger than the congestion window). Rounds go in
// bursts of kBurst frames like an RX burst, and the timed part is the server's: handle_frame
// over the burst, then the engine's timer sweep, as the lcore loop runs them.
//
//   http_keepalive_bench [--object-bytes 1024]                     cycles and requests/s per core
//   valgrind --tool=callgrind --instr-atstart=no --toggle-collect='*serve_burst*'
//       http_keepalive_bench --callgrind-requests 20000            instructions per request
//
// Output: "key=value ..." lines, for bench/micro/run_http_micro.sh to tabulate. Exit status 2
// when a response or a counter was not as expected (a retransmission, a drop, a non-200).

#include "bench/micro/query_frames.h"
#include "bench/micro/tsc_clock.h"
#include "controlplane/content/content_compiler.h"
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/content/reader.h"
#include "dataplane/content/shared_content.h"
#include "dataplane/http/stream_handler.h"
#include "dataplane/net/pipeline.h"
#include "dataplane/net/tcp.h"
#include "dataplane/snapshot/reader.h"
#include "dataplane/stats/counters.h"
#include "dataplane/tcp/engine.h"
#include "dataplane/tcp/port_dispatch.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fmt/core.h>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <valgrind/callgrind.h>
#include <vector>

namespace rc = ringcast;
namespace fs = std::filesystem;
using rc::tcp::Seq;

namespace {

constexpr uint32_t kBufferCapacity = 2048; // a DPDK mbuf's default data room
constexpr unsigned kDefaultRuns = 5;       // odd, so the median is one real run
constexpr size_t kBurst = 32;              // the runtime's RX burst (runtime::kBurstSize)
// Frames the sink can hold before it wraps: the most one burst's requests make the engine send
// (a burst of 100 KiB responses is 32 congestion windows), so no framed segment is overwritten
// before the client has read it.
constexpr size_t kSinkBuffers = 8192;
constexpr size_t kDefaultConnections = 64;
constexpr size_t kMinRequestsPerRun = 1'000'000;   // tens of milliseconds at the target rate
constexpr size_t kMinRequestsPerRunLarge = 20'000; // --object-bytes above kLargeObjectBytes
constexpr uint32_t kLargeObjectBytes = 16384;
constexpr size_t kMaxRoundsPerRequest = 1000; // a response that never completes is a failure
constexpr uint16_t kClientPortBase = 40000;
// A burst that took this many times the median burst was preempted (the machine is shared):
// it is counted at the mean of the others instead. A scheduler tick or a page fault costs tens
// of microseconds; a burst of 32 requests, a few.
constexpr uint64_t kPreemptedFactor = 4;
constexpr uint16_t kClientMss = 1460;
constexpr uint8_t kClientWindowScale = 7; // Linux's with default buffers
constexpr uint16_t kClientWindow = 65535; // unscaled field: 8 MiB with the shift
constexpr uint64_t kStartUs = 1'000'000'000'000ull;
constexpr char kPopName[] = "pop-bench";
constexpr char kHost[] = "www.example.net";
// A DNS zone for handle_frame's snapshot argument; no query reaches it.
constexpr char kZone[] = "$ORIGIN example.net.\n"
                         "@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
                         "@ 3600 IN NS ns1\n"
                         "ns1 3600 IN A 192.0.2.1\n";

// A frame the engine sent, as the client reads it back.
struct SentSegment {
    uint16_t peer_port;
    Seq seq;
    uint32_t payload;
    uint8_t flags;
    const uint8_t* frame;
    uint32_t frame_length;
};

// runtime::MbufSegmentSink without DPDK: each segment framed into its own buffer.
struct FramingSink : rc::tcp::SegmentSink {
    std::vector<uint8_t> buffers = std::vector<uint8_t>(kSinkBuffers * kBufferCapacity);
    std::vector<SentSegment> sent;
    size_t next = 0;
    uint64_t frame_failures = 0;
    FramingSink() { sent.reserve(kSinkBuffers); }
    void send(const rc::tcp::OutSegment& s) override {
        uint8_t* out = buffers.data() + next * kBufferCapacity;
        next = (next + 1) % kSinkBuffers;
        const uint32_t length =
            rc::net::frame_tcp_segment(s, rc::bench::kPortMac, out, kBufferCapacity);
        if (length == 0) {
            ++frame_failures;
            return;
        }
        sent.push_back({s.flow.peer_port, s.seq, s.total_payload(), s.flags, out, length});
    }
};

// One client connection: its sequence space and the server's.
struct Client {
    uint16_t port = 0;
    Seq snd_nxt{0};       // the client's next sequence number
    Seq rcv_nxt{0};       // the server's bytes received so far (the client's ACK)
    Seq response_end{0};  // where the response in flight ends in the server's sequence space
    bool waiting = false; // a request is out and its response not complete
    uint32_t ts_echo = 0; // the server's last TSval
    bool broken = false;  // a RST or FIN from the server
};

struct Bench {
    rc::net::PipelineConfig config;
    const rc::snapshot::View* zones = nullptr;
    rc::stats::LcoreCounters counters;
    FramingSink sink;
    std::unique_ptr<rc::http::HttpStreamHandler> http;
    rc::tcp::PortDispatch streams;
    std::unique_ptr<rc::tcp::Engine> engine;
    rc::content::SharedContent* content = nullptr;
    std::vector<Client> clients;
    std::string request;
    uint32_t response_bytes = 0; // head + body of one response, measured on the first
    uint64_t now_us = kStartUs;
    int64_t unix_now = 0;
    // The burst being built and served.
    std::vector<uint8_t> rx = std::vector<uint8_t>(kBurst * kBufferCapacity);
    std::array<uint32_t, kBurst> rx_length{};
    size_t rx_count = 0;
    size_t next_client = 0;
    uint64_t requests_sent = 0;
    uint64_t requests_done = 0;
    uint64_t unexpected = 0;
    std::vector<uint64_t> burst_cycles; // of the run in progress
    std::vector<uint16_t> client_of_port = std::vector<uint16_t>(65536, 0xffff);
};

// TCP options as a Linux client sends them, in the order it does.
size_t write_client_options(bool syn, uint32_t ts_value, uint32_t ts_echo, uint8_t* out) {
    size_t n = 0;
    if (syn) {
        out[n++] = 2; // MSS
        out[n++] = 4;
        out[n++] = static_cast<uint8_t>(kClientMss >> 8);
        out[n++] = static_cast<uint8_t>(kClientMss & 0xff);
        out[n++] = 4; // SACK permitted
        out[n++] = 2;
    } else {
        out[n++] = 1; // NOP NOP
        out[n++] = 1;
    }
    out[n++] = 8; // timestamps
    out[n++] = 10;
    for (uint32_t v : {ts_value, ts_echo})
        for (int shift = 24; shift >= 0; shift -= 8)
            out[n++] = static_cast<uint8_t>(v >> shift);
    if (syn) {
        out[n++] = 1; // NOP, window scale
        out[n++] = 3;
        out[n++] = 3;
        out[n++] = kClientWindowScale;
    }
    return n;
}

// Frames a client segment into the burst's next RX buffer.
void add_client_frame(Bench& b, const Client& c, uint8_t flags, const std::string* payload) {
    rc::tcp::OutSegment s;
    std::copy(rc::bench::kClient4.begin(), rc::bench::kClient4.end(), s.flow.local.begin());
    std::copy(rc::bench::kVip4.begin(), rc::bench::kVip4.end(), s.flow.peer.begin());
    s.flow.local_port = c.port;
    s.flow.peer_port = rc::net::kHttpPort;
    std::copy(rc::bench::kPortMac.begin(), rc::bench::kPortMac.end(), s.link.peer_mac.begin());
    s.seq = c.snd_nxt;
    s.ack = c.rcv_nxt;
    s.flags = flags;
    s.window = kClientWindow; // scaled by kClientWindowScale after the SYN (RFC 7323 §2.2)
    const uint32_t ts_value = static_cast<uint32_t>(b.now_us / 1000);
    s.options_length = static_cast<uint8_t>(
        write_client_options((flags & rc::tcp::kSyn) != 0, ts_value, c.ts_echo, s.options));
    if (payload != nullptr) {
        s.payload.data[0] = reinterpret_cast<const uint8_t*>(payload->data());
        s.payload.length[0] = static_cast<uint32_t>(payload->size());
        s.payload.count = 1;
        s.payload.total = s.payload.length[0];
    }
    uint8_t* out = b.rx.data() + b.rx_count * kBufferCapacity;
    b.rx_length[b.rx_count++] =
        rc::net::frame_tcp_segment(s, rc::bench::kClientMac, out, kBufferCapacity);
}

// The timed part: the server handles one RX burst, then sweeps its timers, as the lcore does.
__attribute__((noinline)) uint64_t serve_burst(Bench& b) {
    const rc::net::L4Services services{b.engine.get(), b.now_us, 0};
    uint64_t consumed = 0;
    for (size_t i = 0; i < b.rx_count; ++i) {
        rc::net::Frame frame;
        frame.data = b.rx.data() + i * kBufferCapacity;
        frame.len = b.rx_length[i];
        frame.capacity = kBufferCapacity;
        rc::net::TxOffloadRequest tx;
        consumed += rc::net::handle_frame(b.config, *b.zones, b.counters, frame, tx, services) ==
                    rc::net::Verdict::kConsumed;
    }
    b.engine->sweep(b.now_us);
    return consumed;
}

// The client reads what the server sent: advances each connection's ACK and completes requests.
void read_sent(Bench& b) {
    for (const SentSegment& s : b.sink.sent) {
        const size_t index = b.client_of_port[s.peer_port];
        if (index >= b.clients.size()) {
            ++b.unexpected;
            continue;
        }
        Client& c = b.clients[index];
        if (s.flags & (rc::tcp::kRst | rc::tcp::kFin)) c.broken = true;
        if (s.flags & rc::tcp::kSyn) {
            c.rcv_nxt = s.seq + 1; // the SYN-ACK: the server's ISN, nothing to compare with yet
        } else if (s.seq + s.payload > c.rcv_nxt) {
            c.rcv_nxt = s.seq + s.payload;
        }
        // The server's TSval, for the client's TSecr (RFC 7323 §4.3).
        rc::tcp::Options options;
        const uint8_t* tcp = s.frame + 14 + 20;
        const size_t header = static_cast<size_t>(tcp[12] >> 4) * 4;
        if (rc::tcp::parse_options(tcp + 20, header - 20, options) && options.has_timestamps)
            c.ts_echo = options.ts_value;
        if (c.waiting && c.rcv_nxt - c.response_end >= 0) {
            c.waiting = false;
            ++b.requests_done;
        }
    }
    b.sink.sent.clear();
}

// Builds the next burst: one frame for each of the next kBurst connections.
void build_burst(Bench& b) {
    b.rx_count = 0;
    const size_t n = std::min(kBurst, b.clients.size());
    for (size_t k = 0; k < n; ++k) {
        Client& c = b.clients[b.next_client];
        b.next_client = (b.next_client + 1) % b.clients.size();
        if (c.waiting) {
            add_client_frame(b, c, rc::tcp::kAck, nullptr);
            continue;
        }
        add_client_frame(b, c, rc::tcp::kAck | rc::tcp::kPsh, &b.request);
        c.snd_nxt += static_cast<uint32_t>(b.request.size());
        c.response_end = c.rcv_nxt + b.response_bytes;
        c.waiting = true;
        ++b.requests_sent;
    }
}

// One round: build (untimed), serve (timed), read back (untimed). Returns the serve cycles.
uint64_t round_trip(Bench& b) {
    build_burst(b);
    const uint64_t t0 = rte_rdtsc();
    serve_burst(b);
    const uint64_t cycles = rte_rdtsc() - t0;
    read_sent(b);
    b.now_us += 1; // a burst every microsecond: timers never fire, RTTs stay small
    return cycles;
}

// Serves until `requests` more requests have completed; returns the serve cycles.
uint64_t run_requests(Bench& b, size_t requests) {
    const uint64_t target = b.requests_done + requests;
    uint64_t cycles = 0;
    size_t rounds = 0;
    const size_t max_rounds = (requests + b.clients.size()) * kMaxRoundsPerRequest;
    while (b.requests_done < target && rounds++ < max_rounds) {
        const uint64_t c = round_trip(b);
        cycles += c;
        b.burst_cycles.push_back(c);
    }
    if (b.requests_done < target) ++b.unexpected;
    return cycles;
}

struct RunCycles {
    uint64_t raw = 0;     // every burst as measured
    uint64_t trimmed = 0; // preempted bursts counted at the others' mean
    size_t preempted = 0;
};

// The run's cycles with preempted bursts (above kPreemptedFactor × the median) replaced by the
// mean of the others: every burst does the same work in keep-alive mode, and a periodic mix of
// the same work in the others.
RunCycles trim_preempted(std::vector<uint64_t> bursts) {
    RunCycles r;
    if (bursts.empty()) return r;
    for (uint64_t c : bursts)
        r.raw += c;
    std::vector<uint64_t> sorted = bursts;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const uint64_t limit = sorted[sorted.size() / 2] * kPreemptedFactor;
    uint64_t kept_sum = 0;
    for (uint64_t c : bursts) {
        if (c > limit) {
            ++r.preempted;
            continue;
        }
        kept_sum += c;
    }
    const size_t kept = bursts.size() - r.preempted;
    r.trimmed = kept == 0 ? r.raw : kept_sum + kept_sum / kept * r.preempted;
    return r;
}

bool write_file(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
    return static_cast<bool>(out);
}

// Random bytes, so the object is not mistaken for text anywhere.
std::string object_bytes(size_t n) {
    std::mt19937_64 rng(1);
    std::string s(n, '\0');
    for (char& ch : s)
        ch = static_cast<char>(rng());
    return s;
}

// The handshake by SYN cookie for every connection, then one request on the first, read back
// and checked: sets response_bytes. False, with the reason printed, if anything is off.
bool open_connections(Bench& b, size_t connections, const std::string& path) {
    b.clients.resize(connections);
    for (size_t i = 0; i < connections; ++i) {
        Client& c = b.clients[i];
        c.port = static_cast<uint16_t>(kClientPortBase + i);
        b.client_of_port[c.port] = static_cast<uint16_t>(i);
        c.snd_nxt = Seq(static_cast<uint32_t>(0x10000000u + i * 7919u));
    }
    for (size_t first = 0; first < connections; first += kBurst) {
        const size_t n = std::min(kBurst, connections - first);
        for (uint8_t flags : {rc::tcp::kSyn, rc::tcp::kAck}) {
            b.rx_count = 0;
            for (size_t i = first; i < first + n; ++i) {
                add_client_frame(b, b.clients[i], flags, nullptr);
                if (flags == rc::tcp::kSyn) b.clients[i].snd_nxt += 1;
            }
            serve_burst(b);
            read_sent(b);
        }
    }
    if (b.engine->open_connections() != connections) {
        fmt::print(stderr, "handshake: {} of {} connections open\n", b.engine->open_connections(),
                   connections);
        return false;
    }
    // The first response, read whole from the frames.
    Client& c = b.clients[0];
    b.rx_count = 0;
    add_client_frame(b, c, rc::tcp::kAck | rc::tcp::kPsh, &b.request);
    c.snd_nxt += static_cast<uint32_t>(b.request.size());
    std::string response;
    size_t expected = 0;
    for (size_t round = 0; round < kMaxRoundsPerRequest; ++round) {
        serve_burst(b);
        for (const SentSegment& s : b.sink.sent) {
            const uint8_t* tcp = s.frame + 14 + 20;
            const size_t header = static_cast<size_t>(tcp[12] >> 4) * 4;
            response.append(reinterpret_cast<const char*>(tcp + header), s.payload);
        }
        read_sent(b);
        const size_t head_end = response.find("\r\n\r\n");
        if (head_end != std::string::npos && expected == 0) {
            const size_t at = response.find("\r\nContent-Length: ");
            if (response.rfind("HTTP/1.1 200 ", 0) != 0 || at == std::string::npos) {
                fmt::print(stderr, "first response not a 200 with a length:\n{}\n",
                           response.substr(0, head_end));
                return false;
            }
            expected = head_end + 4 + std::strtoul(response.c_str() + at + 18, nullptr, 10);
        }
        if (expected != 0 && response.size() >= expected) break;
        b.rx_count = 0;
        add_client_frame(b, c, rc::tcp::kAck, nullptr);
        b.now_us += 1;
    }
    if (expected == 0 || response.size() != expected) {
        fmt::print(stderr, "first response of {}: {} bytes, expected {}\n", path, response.size(),
                   expected);
        return false;
    }
    b.response_bytes = static_cast<uint32_t>(expected);
    return true;
}

// Counters that must stay zero in a clean run, and the 200s that must match the requests.
uint64_t check_counters(const Bench& b) {
    using C = rc::stats::Counter;
    uint64_t bad = b.unexpected + b.sink.frame_failures;
    for (C c : {C::tcp_retransmission_timeouts, C::tcp_fast_retransmits,
                C::tcp_segments_retransmitted, C::tcp_out_of_order_dropped,
                C::tcp_receive_buffer_full, C::tcp_bad_ack, C::tcp_paws_rejected,
                C::tcp_unacceptable_segments, C::tcp_connections_aborted, C::tcp_resets_sent}) {
        if (b.counters.get(c) != 0) {
            fmt::print(stderr, "counter {} = {}\n",
                       rc::stats::kCounterInfo[static_cast<size_t>(c)].name, b.counters.get(c));
            ++bad;
        }
    }
    for (size_t r = 0; r < rc::stats::kDropReasonCount; ++r) {
        const uint64_t n = b.counters.get(static_cast<rc::stats::DropReason>(r));
        if (n != 0) {
            fmt::print(stderr, "drop {} = {}\n", rc::stats::kDropReasonInfo[r].name, n);
            ++bad;
        }
    }
    if (b.counters.get(C::http_status_200) != b.counters.get(C::http_requests)) ++bad;
    for (const Client& c : b.clients)
        bad += c.broken;
    return bad;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"HTTP keep-alive path micro-benchmark over the dataplane's TCP (no EAL)"};
    uint32_t object_size = 1024;
    size_t connections = kDefaultConnections;
    unsigned runs = kDefaultRuns;
    size_t requests_per_run = 0;
    size_t callgrind_requests = 0;
    std::string label;
    app.add_option("--object-bytes", object_size, "Size of the object every GET asks for")
        ->check(CLI::Range(1u, 16u << 20));
    app.add_option("--connections", connections, "Keep-alive connections, served round-robin")
        ->check(CLI::Range(size_t{1}, size_t{4096}));
    app.add_option("--runs", runs, "Timed runs (median reported)");
    app.add_option("--requests", requests_per_run, "Requests per timed run (default by size)");
    app.add_option("--callgrind-requests", callgrind_requests,
                   "Callgrind mode: serve this many requests once, untimed");
    app.add_option("--label", label, "Name of this run in the output");
    CLI11_PARSE(app, argc, argv);
    if (label.empty()) label = fmt::format("{}B", object_size);
    if (requests_per_run == 0)
        requests_per_run =
            object_size > kLargeObjectBytes ? kMinRequestsPerRunLarge : kMinRequestsPerRun;

    // The site: the object, and an index so the site looks like one.
    char pattern[] = "/tmp/http-keepalive-bench.XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
        fmt::print(stderr, "mkdtemp failed\n");
        return 1;
    }
    const fs::path dir = pattern;
    const std::string object_path = fmt::format("/object-{}.bin", object_size);
    fs::create_directories(dir / "www");
    const bool written =
        write_file(dir / "www" / object_path.substr(1), object_bytes(object_size)) &&
        write_file(dir / "www" / "index.html", "<p>bench</p>\n") && write_file(dir / "zone", kZone);
    rc::content::ContentResult compiled_content;
    rc::zone::CompileResult compiled_zone;
    if (written) {
        compiled_content = rc::content::compile_content(
            {{{kHost}, (dir / "www").string(), "public, max-age=3600"}}, {});
        compiled_zone = rc::zone::compile_zones({{"example.net.", (dir / "zone").string()}}, {});
    }
    fs::remove_all(dir);
    if (!written || !compiled_content.ok || !compiled_zone.ok) {
        for (const auto& e : compiled_content.errors)
            fmt::print(stderr, "content: {}\n", e);
        for (const auto& e : compiled_zone.errors)
            fmt::print(stderr, "zone: {}\n", e.to_string());
        return 1;
    }
    std::string error;
    auto zones = rc::snapshot::Snapshot::open_memory(compiled_zone.snapshot, error);
    auto site = rc::content::Snapshot::open_memory(compiled_content.image, error);
    if (!zones || !site) {
        fmt::print(stderr, "snapshot: {}\n", error);
        return 1;
    }
    rc::content::SharedContent content(std::move(site), 1);

    auto bench = std::make_unique<Bench>();
    Bench& b = *bench;
    std::copy(rc::bench::kPortMac.begin(), rc::bench::kPortMac.end(), b.config.port_mac.begin());
    uint32_t vip = 0;
    std::memcpy(&vip, rc::bench::kVip4.data(), sizeof(vip));
    b.config.vips.add_v4(vip);
    std::memcpy(b.config.dns.pop_name, kPopName, sizeof(kPopName));
    b.config.dns.pop_name_len = sizeof(kPopName) - 1;
    b.zones = &zones->view();
    b.unix_now = static_cast<int64_t>(std::time(nullptr));
    b.http = std::make_unique<rc::http::HttpStreamHandler>(kPopName, 0, b.counters);
    b.http->use_content(&content, b.unix_now);
    b.streams.add(rc::net::kHttpPort, *b.http);
    rc::tcp::EngineConfig engine_config; // the defaults, the config's defaults
    engine_config.max_connections = static_cast<uint32_t>(std::max<size_t>(connections, 4096));
    engine_config.secret.key = {0x0123456789abcdefull, 0x0fedcba987654321ull};
    b.engine = std::make_unique<rc::tcp::Engine>(engine_config, b.sink, b.streams, b.counters);
    // wrk's request: the request line and Host, nothing else.
    b.request = fmt::format("GET {} HTTP/1.1\r\nHost: {}\r\n\r\n", object_path, kHost);

    if (!open_connections(b, connections, object_path)) return 1;

    if (callgrind_requests > 0) {
        run_requests(b, connections * 2); // warm: every connection past its first response
        CALLGRIND_START_INSTRUMENTATION;
        run_requests(b, callgrind_requests);
        CALLGRIND_STOP_INSTRUMENTATION;
        const uint64_t bad = check_counters(b);
        fmt::print("callgrind label={} requests={} unexpected={}\n", label, callgrind_requests,
                   bad);
        return bad == 0 ? 0 : 2;
    }

    const double tsc_hz = rc::bench::calibrate_tsc_hz();
    fmt::print("setup label={} object_bytes={} response_bytes={} connections={} mss={} "
               "engine_memory_bytes={} tsc_mhz={:.0f}\n",
               label, object_size, b.response_bytes, connections, engine_config.mss,
               b.engine->memory_bytes(), tsc_hz / 1e6);
    run_requests(b, requests_per_run / 4); // warm-up
    std::vector<double> per_request;
    for (unsigned r = 0; r < std::max(1u, runs); ++r) {
        const uint64_t done = b.requests_done;
        const uint64_t segments_in = b.counters.get(rc::stats::Counter::tcp_segments_received);
        const uint64_t segments_out = b.counters.get(rc::stats::Counter::tcp_segments_sent);
        b.burst_cycles.clear();
        b.burst_cycles.reserve(requests_per_run * 2);
        run_requests(b, requests_per_run);
        const RunCycles cycles = trim_preempted(b.burst_cycles);
        const double n = static_cast<double>(b.requests_done - done);
        per_request.push_back(static_cast<double>(cycles.trimmed) / n);
        fmt::print("run label={} requests={:.0f} cycles_per_request={:.0f} "
                   "untrimmed_cycles_per_request={:.0f} bursts={} preempted_bursts={} "
                   "segments_in_per_request={:.2f} segments_out_per_request={:.2f}\n",
                   label, n, per_request.back(), static_cast<double>(cycles.raw) / n,
                   b.burst_cycles.size(), cycles.preempted,
                   static_cast<double>(b.counters.get(rc::stats::Counter::tcp_segments_received) -
                                       segments_in) /
                       n,
                   static_cast<double>(b.counters.get(rc::stats::Counter::tcp_segments_sent) -
                                       segments_out) /
                       n);
    }
    std::sort(per_request.begin(), per_request.end());
    const double median = per_request[per_request.size() / 2];
    const uint64_t bad = check_counters(b);
    fmt::print("micro label={} cycles_per_request={:.0f} ns_per_request={:.1f} "
               "requests_per_s_per_core={:.0f} body_gbit_per_s={:.2f} unexpected={}\n",
               label, median, median * 1e9 / tsc_hz, tsc_hz / median,
               tsc_hz / median * object_size * 8 / 1e9, bad);
    return bad == 0 ? 0 : 2;
}
