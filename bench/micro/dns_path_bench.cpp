// dns_path_bench: the real per-packet path (net::handle_frame: Ethernet, IPv4, UDP, DNS answer,
// checksums) over a generated query mix, with no kernel and no PMD in between. Queries go
// through in bursts of kBurst, as dataplane/runtime/lcore_loop.cpp handles an RX burst: each
// query is copied into its own 2 KiB buffer, as a fresh RX mbuf would hold it, the burst's
// questions are read ahead and their lookups prefetched (net::BurstPrefetcher; --no-prefetch
// skips it), then each is answered in place with what was read ahead of it. Besides the answers,
// the node-index lookup of the question names alone is timed (lookup_cycles, run_lookup_loop). The
// copy is part of every figure (its own cost is printed as copy_cycles).
//
//   dns_path_bench --zone Z --origin O --queries Q.tsv --label 1k        cycles and Mqps
//   valgrind --tool=callgrind --instr-atstart=no --toggle-collect='*run_hot_loop*'
//       dns_path_bench ... --callgrind-queries 20000                     instructions/query
//
// In callgrind mode instrumentation starts just before the loop (valgrind client requests), so
// compiling or verifying a 1M-record zone does not run instrumented. --snapshot FILE answers
// from a snapshot compiled beforehand (bench/scaling/zone_compile_bench --write) instead of
// compiling --zone in process.
//
// --distribution zipf replaces the uniform mix by a Zipf-skewed stream drawn from it
// (skewed_mix.h), closer to real traffic; the label then says which one ran. --dnssec-ok sets
// DO in every query, for a signed zone's answers (RRSIGs and denial proofs).
//
// --phases also splits each category's cycles by phase of the burst: the copy into the RX
// buffers, stage 1 of the prefetch (read the question, hash, prefetch the bucket), stages 2 to 4,
// and the answers (a separate timed loop, so the figures above carry no timestamps). With
// --traffic-lines N that loop and the lookup loop also prefetch N random lines of a
// snapshot-sized buffer per query, which nothing reads: a small zone under a large zone's
// memory traffic, without depending on it.
//
// --lookup-only times the lookup loop alone (and in callgrind mode counts it instead of the
// answers), for bench/micro/run_lookup_scaling.sh's sweep over zone sizes.
//
// Output: one "key=value ..." line per measurement, for bench/micro/run_micro.sh to tabulate.

#include "bench/micro/query_frames.h"
#include "bench/micro/reply_check.h"
#include "bench/micro/skewed_mix.h"
#include "bench/micro/tsc_clock.h"
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/net/burst_prefetch.h"
#include "dataplane/net/pipeline.h"
#include "dataplane/snapshot/reader.h"
#include "dataplane/stats/counters.h"
#include "dataplane/util/huge_page_memory.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <fmt/core.h>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <valgrind/callgrind.h>
#include <vector>

namespace rc = ringcast;
using rc::bench::Category;
using rc::bench::QueryFrame;

namespace {

constexpr uint32_t kBufferCapacity = 2048; // a DPDK mbuf's default data room
constexpr unsigned kDefaultRuns = 5;       // odd, so the median is one real run
// Each timed run answers at least this many queries (several passes over a small mix), so a
// run lasts tens of milliseconds and TSC read cost and interrupts are noise.
constexpr size_t kMinQueriesPerRun = 1'000'000;
constexpr size_t kMaxMismatchExamples = 5;
constexpr char kPopName[] = "pop-bench";
// The runtime's RX burst (runtime::kBurstSize; this benchmark does not link the runtime).
constexpr size_t kBurst = rc::net::kMaxPrefetchBurst;
// A snapshot-size threshold no snapshot reaches: --no-prefetch.
constexpr uint64_t kPrefetchNever = std::numeric_limits<uint64_t>::max();

enum Phase : size_t { kPhaseCopy, kPhaseStage1, kPhaseFollow, kPhaseAnswer, kPhaseCount };
constexpr const char* kPhaseNames[kPhaseCount] = {"copy", "stage1", "stages2to4", "answer"};

// --traffic-lines: lines prefetched from memory that nothing reads (see the top of the file).
struct Traffic {
    const uint8_t* base = nullptr;
    uint64_t lines = 0;
    unsigned per_query = 0;
    uint64_t state = 0x9e3779b97f4a7c15ull; // xorshift64

    void generate() {
        for (unsigned k = 0; k < per_query; ++k) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            __builtin_prefetch(base + (state % lines) * 64);
        }
    }
};

struct Bench {
    rc::net::PipelineConfig config;
    const rc::snapshot::View* view = nullptr;
    rc::stats::LcoreCounters counters;
    uint64_t min_prefetch_bytes = rc::net::kMinPrefetchSnapshotBytes; // BurstPrefetcher's
    Traffic traffic;
    std::array<uint64_t, kPhaseCount> phase_cycles{}; // summed by run_phase_loop
    // One buffer per frame of a burst, like the mbufs of an RX burst.
    alignas(64) std::array<std::array<uint8_t, kBufferCapacity>, kBurst> buffers{};
};

// The next kBurst frames of `frames` (from `next`, wrapping around) copied into the RX
// buffers, as rx_burst leaves them; `lengths` receives the frame lengths.
[[gnu::always_inline]] inline void copy_burst(Bench& b,
                                              const std::vector<const QueryFrame*>& frames,
                                              size_t& next, uint32_t (&lengths)[kBurst]) {
    for (size_t i = 0; i < kBurst; ++i) {
        const QueryFrame& q = *frames[next];
        if (++next == frames.size()) next = 0;
        std::memcpy(b.buffers[i].data(), q.bytes.data(), q.bytes.size());
        lengths[i] = static_cast<uint32_t>(q.bytes.size());
    }
}

// What the runtime's poll_port does between rx_burst and answering: a burst copied in, then
// read ahead and prefetched with `prefetcher`.
[[gnu::always_inline]] inline void receive_burst(Bench& b,
                                                 const std::vector<const QueryFrame*>& frames,
                                                 size_t& next, uint32_t (&lengths)[kBurst],
                                                 rc::net::BurstPrefetcher& prefetcher) {
    copy_burst(b, frames, next, lengths);
    for (size_t i = 0; i < kBurst; ++i)
        prefetcher.add(b.buffers[i].data(), lengths[i]);
    prefetcher.follow();
}

// Each frame of the burst answered in place with what was read ahead of it.
[[gnu::always_inline]] inline uint64_t answer_burst(Bench& b, const uint32_t (&lengths)[kBurst],
                                                    const rc::net::BurstPrefetcher& prefetcher) {
    uint64_t sink = 0;
    for (size_t i = 0; i < kBurst; ++i) {
        rc::net::Frame frame;
        frame.data = b.buffers[i].data();
        frame.len = lengths[i];
        frame.capacity = kBufferCapacity;
        frame.lookahead = prefetcher.lookahead(static_cast<uint16_t>(i));
        rc::net::TxOffloadRequest tx;
        const auto verdict = rc::net::handle_frame(b.config, *b.view, b.counters, frame, tx);
        sink += frame.len + static_cast<uint64_t>(verdict);
    }
    return sink;
}

// Stage 1 for each frame of the burst, each followed by --traffic-lines' loads (none without).
[[gnu::always_inline]] inline void start_burst_with_traffic(Bench& b,
                                                            const uint32_t (&lengths)[kBurst],
                                                            rc::net::BurstPrefetcher& prefetcher) {
    for (size_t i = 0; i < kBurst; ++i) {
        prefetcher.add(b.buffers[i].data(), lengths[i]);
        b.traffic.generate();
    }
}

// The timed loop, the runtime's poll_port without the PMD: copy a burst in, prefetch its
// lookups, answer each frame. Out of line and named so callgrind's --toggle-collect can count
// exactly it. `count` is rounded up to whole bursts.
[[gnu::noinline]] uint64_t run_hot_loop(Bench& b, const std::vector<const QueryFrame*>& frames,
                                        size_t count) {
    uint64_t sink = 0;
    size_t next = 0;
    uint32_t lengths[kBurst];
    for (size_t done = 0; done < count; done += kBurst) {
        rc::net::BurstPrefetcher prefetcher(*b.view, b.min_prefetch_bytes);
        receive_burst(b, frames, next, lengths, prefetcher);
        sink += answer_burst(b, lengths, prefetcher);
    }
    return sink;
}

// run_hot_loop with a timestamp between phases (--phases), summed into b.phase_cycles, and
// --traffic-lines' loads after each frame's stage 1.
[[gnu::noinline]] uint64_t run_phase_loop(Bench& b, const std::vector<const QueryFrame*>& frames,
                                          size_t count) {
    uint64_t sink = 0;
    size_t next = 0;
    uint32_t lengths[kBurst];
    for (size_t done = 0; done < count; done += kBurst) {
        rc::net::BurstPrefetcher prefetcher(*b.view, b.min_prefetch_bytes);
        const uint64_t t0 = rte_rdtsc();
        copy_burst(b, frames, next, lengths);
        const uint64_t t1 = rte_rdtsc();
        start_burst_with_traffic(b, lengths, prefetcher);
        const uint64_t t2 = rte_rdtsc();
        prefetcher.follow();
        const uint64_t t3 = rte_rdtsc();
        sink += answer_burst(b, lengths, prefetcher);
        const uint64_t t4 = rte_rdtsc();
        b.phase_cycles[kPhaseCopy] += t1 - t0;
        b.phase_cycles[kPhaseStage1] += t2 - t1;
        b.phase_cycles[kPhaseFollow] += t3 - t2;
        b.phase_cycles[kPhaseAnswer] += t4 - t3;
    }
    return sink;
}

// The lookup alone: the same bursts read ahead and prefetched (at every snapshot size, so that
// sizes are compared on the same code; with --traffic-lines' loads too), then each question
// name looked up in the node index with its lookahead's zone and hash, and no answer built. Names
// that do not exist stay unresolved (one lookup each, no walk up to the closest encloser).
[[gnu::noinline]] uint64_t run_lookup_loop(Bench& b, const std::vector<const QueryFrame*>& frames,
                                           size_t count) {
    uint64_t sink = 0;
    size_t next = 0;
    uint32_t lengths[kBurst];
    for (size_t done = 0; done < count; done += kBurst) {
        rc::net::BurstPrefetcher prefetcher(*b.view, 0);
        copy_burst(b, frames, next, lengths);
        start_burst_with_traffic(b, lengths, prefetcher);
        prefetcher.follow();
        for (uint16_t i = 0; i < kBurst; ++i) {
            const rc::dns::QueryLookahead& ahead = *prefetcher.lookahead(i);
            if (ahead.msg == nullptr || ahead.zone == rc::snapshot::kNone) continue;
            // Stages 2 and 3 resolve most names, as the answer then takes them.
            sink += ahead.question.checked
                        ? ahead.question.node
                        : b.view->find_node(ahead.zone, ahead.lower, ahead.name.length,
                                            ahead.question.hash);
        }
    }
    return sink;
}

// The same loop without prefetch and handle_frame: what the RX-buffer copies alone cost.
[[gnu::noinline]] uint64_t run_copy_loop(Bench& b, const std::vector<const QueryFrame*>& frames,
                                         size_t count) {
    uint64_t sink = 0;
    size_t next = 0;
    uint32_t lengths[kBurst];
    for (size_t done = 0; done < count; done += kBurst) {
        copy_burst(b, frames, next, lengths);
        for (size_t i = 0; i < kBurst; ++i) {
            asm volatile("" : : "r"(b.buffers[i].data()) : "memory"); // keep the copy
            sink += b.buffers[i][lengths[i] - 1];
        }
    }
    return sink;
}

using Loop = uint64_t (*)(Bench&, const std::vector<const QueryFrame*>&, size_t);

// Median cycles per query over `runs` runs of `loop`.
double median_cycles(Loop loop, Bench& b, const std::vector<const QueryFrame*>& frames,
                     unsigned runs, uint64_t& sink) {
    const size_t passes =
        std::max<size_t>(1, (kMinQueriesPerRun + frames.size() - 1) / frames.size());
    const size_t count = (passes * frames.size() + kBurst - 1) / kBurst * kBurst;
    sink += loop(b, frames, frames.size()); // warm caches and branch predictors
    std::vector<double> samples;
    for (unsigned r = 0; r < runs; ++r) {
        const uint64_t t0 = rte_rdtsc();
        sink += loop(b, frames, count);
        const uint64_t t1 = rte_rdtsc();
        samples.push_back(static_cast<double>(t1 - t0) / static_cast<double>(count));
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

// Answers every query once and counts replies that do not match their category.
// `dnssec`: the queries set DO and the zone is signed, so the replies must carry its records.
size_t check_replies(Bench& b, const std::vector<QueryFrame>& frames, bool dnssec) {
    size_t mismatches = 0;
    for (const QueryFrame& q : frames) {
        std::memcpy(b.buffers[0].data(), q.bytes.data(), q.bytes.size());
        rc::net::Frame frame{
            b.buffers[0].data(), static_cast<uint32_t>(q.bytes.size()), kBufferCapacity, {}};
        rc::net::TxOffloadRequest tx;
        const auto verdict = rc::net::handle_frame(b.config, *b.view, b.counters, frame, tx);
        rc::bench::ReplySummary reply;
        const bool ok = verdict == rc::net::Verdict::kTransmit &&
                        rc::bench::summarize_reply(frame.data, frame.len, reply) &&
                        (dnssec ? rc::bench::signed_reply_matches(q.category, reply)
                                : rc::bench::reply_matches(q.category, reply));
        if (ok) continue;
        if (++mismatches <= kMaxMismatchExamples)
            fmt::print(stderr, "mismatch: {} query #{}: verdict {} rcode {} aa {} an {} ns {}\n",
                       rc::bench::category_name(q.category), &q - frames.data(),
                       verdict == rc::net::Verdict::kTransmit ? "transmit" : "drop", reply.rcode,
                       reply.authoritative, reply.answers, reply.authority);
    }
    return mismatches;
}

void configure(Bench& b) {
    std::copy(rc::bench::kPortMac.begin(), rc::bench::kPortMac.end(), b.config.port_mac.begin());
    uint32_t vip = 0;
    std::memcpy(&vip, rc::bench::kVip4.data(), sizeof(vip));
    b.config.vips.add_v4(vip);
    std::memcpy(b.config.dns.pop_name, kPopName, sizeof(kPopName));
    b.config.dns.pop_name_len = sizeof(kPopName) - 1;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Per-packet DNS path micro-benchmark (no EAL, no kernel)"};
    std::string zone_file, snapshot_file, origin, queries_tsv, label = "zone";
    unsigned runs = kDefaultRuns;
    size_t callgrind_queries = 0;
    bool no_edns = false;
    bool no_prefetch = false;
    bool always_prefetch = false;
    std::string distribution = "uniform";
    double zipf_exponent = rc::bench::kDefaultZipfExponent;
    auto* zone_option = app.add_option("--zone", zone_file, "Master file (compiled in process)");
    app.add_option("--origin", origin, "Zone origin")->needs(zone_option);
    app.add_option("--snapshot", snapshot_file, "Snapshot file, instead of --zone")
        ->excludes(zone_option);
    app.add_option("--queries", queries_tsv, "queries.tsv from bench/gen_zone.py")->required();
    app.add_option("--label", label, "Name of this zone size in the output");
    app.add_option("--runs", runs, "Timed runs per measurement (median reported)");
    app.add_option("--callgrind-queries", callgrind_queries,
                   "Callgrind mode: answer this many queries of the mix once, untimed");
    bool dnssec_ok = false;
    app.add_flag("--no-edns", no_edns, "Send queries without an OPT record")
        ->excludes(app.add_flag("--dnssec-ok", dnssec_ok,
                                "Set DO in every query's OPT record (a signed zone's DNSSEC "
                                "answers)"));
    app.add_flag("--no-prefetch", no_prefetch, "Answer each burst without prefetching its lookups")
        ->excludes(app.add_flag("--always-prefetch", always_prefetch,
                                "Prefetch whatever the snapshot's size (the runtime does from "
                                "2 MiB on)"));
    app.add_option("--distribution", distribution,
                   "Query popularity: uniform (the mix as is) or zipf")
        ->check(CLI::IsMember({"uniform", "zipf"}));
    app.add_option("--zipf-exponent", zipf_exponent, "Exponent s of the Zipf popularity 1/rank^s");
    bool lookup_only = false;
    app.add_flag("--lookup-only", lookup_only,
                 "Time (or, with --callgrind-queries, count) the node-index lookup loop alone");
    bool phases = false;
    unsigned traffic_lines = 0;
    auto* phases_flag =
        app.add_flag("--phases", phases, "Also split each category's cycles by burst phase");
    app.add_option("--traffic-lines", traffic_lines,
                   "With --phases: random memory lines prefetched per query, never read")
        ->needs(phases_flag);
    CLI11_PARSE(app, argc, argv);

    if (zone_file.empty() == snapshot_file.empty()) {
        fmt::print(stderr, "give --zone and --origin, or --snapshot\n");
        return 1;
    }
    rc::zone::CompileResult compiled;
    std::string error;
    std::unique_ptr<rc::snapshot::Snapshot> snapshot;
    const auto load_start = std::chrono::steady_clock::now();
    if (!zone_file.empty()) {
        compiled = rc::zone::compile_zones({{origin, zone_file}}, {});
        if (!compiled.ok) {
            for (const auto& e : compiled.errors)
                fmt::print(stderr, "{}\n", e.to_string());
            return 1;
        }
        snapshot = rc::snapshot::Snapshot::open_memory(compiled.snapshot, error);
    } else {
        snapshot = rc::snapshot::Snapshot::open_file(snapshot_file, error);
    }
    const double load_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
    if (!snapshot) {
        fmt::print(stderr, "snapshot: {}\n", error);
        return 1;
    }

    std::vector<QueryFrame> frames;
    const auto edns = no_edns     ? rc::bench::Edns::kNone
                      : dnssec_ok ? rc::bench::Edns::kDnssecOk
                                  : rc::bench::Edns::kPlain;
    if (!rc::bench::load_query_frames(queries_tsv, edns, frames, error)) {
        fmt::print(stderr, "{}\n", error);
        return 1;
    }
    if (distribution == "zipf")
        frames = rc::bench::zipf_mix(frames, zipf_exponent,
                                     frames.size() * rc::bench::kSkewedDrawsPerQuery);
    std::vector<const QueryFrame*> mix;
    std::array<std::vector<const QueryFrame*>, rc::bench::kCategoryCount> by_category;
    for (const QueryFrame& q : frames) {
        mix.push_back(&q);
        by_category[static_cast<size_t>(q.category)].push_back(&q);
    }

    Bench bench;
    configure(bench);
    bench.view = &snapshot->view();
    bench.min_prefetch_bytes = no_prefetch       ? kPrefetchNever
                               : always_prefetch ? 0
                                                 : rc::net::kMinPrefetchSnapshotBytes;
    const auto& header = snapshot->header();

    if (callgrind_queries > 0) {
        CALLGRIND_START_INSTRUMENTATION;
        const uint64_t sink = lookup_only ? run_lookup_loop(bench, mix, callgrind_queries)
                                          : run_hot_loop(bench, mix, callgrind_queries);
        CALLGRIND_STOP_INSTRUMENTATION;
        fmt::print("callgrind zone={} queries={} sink={}\n", label, callgrind_queries, sink);
        return 0;
    }

    // As large as the 1M-name zone's snapshot: lines drawn from it miss every cache.
    constexpr size_t kTrafficBytes = size_t{72} << 20;
    rc::HugePageMemory traffic_memory;
    if (traffic_lines > 0) {
        if (!traffic_memory.allocate(kTrafficBytes, "dns-path-bench-traffic", error)) {
            fmt::print(stderr, "{}\n", error);
            return 1;
        }
        std::memset(traffic_memory.data(), 1, kTrafficBytes); // fault every page in
        bench.traffic = Traffic{traffic_memory.data(), kTrafficBytes / 64, traffic_lines};
    }

    const bool dnssec = dnssec_ok && (snapshot->view().zones[0].flags & rc::snapshot::kZoneSigned);
    const size_t mismatches = check_replies(bench, frames, dnssec);
    const double tsc_hz = rc::bench::calibrate_tsc_hz();
    fmt::print("setup zone={} nodes={} rrsets={} snapshot_bytes={} load_s={:.3f} queries={} "
               "distribution={} dnssec={} prefetch={} mismatched_replies={} tsc_mhz={:.0f}\n",
               label, header.node_count, header.rrset_count, header.file_size, load_s,
               frames.size(), distribution, dnssec ? "on" : "off",
               header.file_size >= bench.min_prefetch_bytes ? "on" : "off", mismatches,
               tsc_hz / 1e6);

    uint64_t sink = 0;
    auto report = [&](const char* category, double cycles) {
        fmt::print("micro zone={} category={} cycles_per_query={:.0f} ns_per_query={:.1f} "
                   "mqps_per_core={:.2f}\n",
                   label, category, cycles, cycles * 1e9 / tsc_hz, tsc_hz / cycles / 1e6);
    };
    // Cycles per query in each phase, over every run (warm-up included) of run_phase_loop.
    auto report_phases = [&](const char* category, const std::vector<const QueryFrame*>& set) {
        if (!phases) return;
        bench.phase_cycles = {};
        const double cycles = median_cycles(run_phase_loop, bench, set, runs, sink);
        const double total = static_cast<double>(
            std::accumulate(bench.phase_cycles.begin(), bench.phase_cycles.end(), uint64_t{0}));
        fmt::print("phases zone={} category={} traffic_lines={} cycles_per_query={:.0f}", label,
                   category, traffic_lines, cycles);
        for (size_t p = 0; p < kPhaseCount; ++p)
            fmt::print(" {}={:.0f}", kPhaseNames[p],
                       cycles * static_cast<double>(bench.phase_cycles[p]) / total);
        fmt::print("\n");
    };
    if (!lookup_only) report("mix", median_cycles(run_hot_loop, bench, mix, runs, sink));
    report_phases("mix", mix);
    for (size_t c = 0; c < rc::bench::kCategoryCount && !lookup_only; ++c) {
        if (by_category[c].empty()) continue;
        const char* name = rc::bench::category_name(static_cast<Category>(c));
        report(name, median_cycles(run_hot_loop, bench, by_category[c], runs, sink));
        report_phases(name, by_category[c]);
    }
    fmt::print("lookup zone={} lookup_cycles={:.0f}\n", label,
               median_cycles(run_lookup_loop, bench, mix, runs, sink));
    fmt::print("copy zone={} copy_cycles={:.0f} sink={}\n", label,
               median_cycles(run_copy_loop, bench, mix, runs, sink), sink);
    return mismatches == 0 ? 0 : 2;
}
