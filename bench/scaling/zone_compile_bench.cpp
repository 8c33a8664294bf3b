// zone_compile_bench: times the zone compiler's phases (libzscanner parse, tree and semantic
// checks, snapshot build) on one master file, run through the pipeline ringcastd runs
// (zone::compile_zone_set), and compares the snapshot's size with the size of the zone's records
// in uncompressed wire form (owner + TYPE/CLASS/TTL/RDLENGTH + RDATA).
//
//   zone_compile_bench --zone Z --origin O [--runs N] [--write snapshot.bin]
//                      [--hash-seed N --created-unix T]   (fixed: a byte-identical snapshot)
//                      [--memory-limit BYTES]             (as [zones] compile_memory_limit)
//
// Output: one "key=value ..." line, for bench/zone_scaling.sh to tabulate. The peak RSS is the
// process's over all runs; one run's structures are freed before the next starts.

#include "controlplane/zone/compile_pipeline.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <fmt/core.h>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace rz = ringcast::zone;

namespace {

constexpr unsigned kDefaultRuns = 3; // the median of three is steady enough for seconds-long runs
constexpr size_t kRrFixedWireBytes = 10; // TYPE, CLASS, TTL, RDLENGTH (RFC 1035 §4.1.3)
constexpr double kUsPerSecond = 1e6;

struct PhaseTimes {
    double parse = 0, check = 0, build = 0;
    double total() const { return parse + check + build; }
};

uint64_t records_wire_bytes(const rz::ParsedZone& zone) {
    uint64_t bytes = 0;
    for (const auto& r : zone.records)
        bytes += r.owner_length + kRrFixedWireBytes + r.rdata_length;
    return bytes;
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Zone compiler timing and snapshot size"};
    std::string zone_file, origin, write_path;
    unsigned runs = kDefaultRuns;
    rz::BuildOptions options;
    uint64_t memory_limit = 0;
    app.add_option("--zone", zone_file, "Master file")->required();
    app.add_option("--origin", origin, "Zone origin")->required();
    app.add_option("--runs", runs, "Compilations (median reported)");
    app.add_option("--write", write_path, "Also write the snapshot file here");
    app.add_option("--hash-seed", options.hash_seed, "Index hash seed (default: random)");
    app.add_option("--created-unix", options.created_unix, "Header creation time (default: now)");
    app.add_option("--memory-limit", memory_limit, "Bytes the compile may allocate (0: no limit)");
    CLI11_PARSE(app, argc, argv);

    std::vector<PhaseTimes> samples;
    std::vector<uint8_t> snapshot;
    uint64_t records = 0, wire_bytes = 0, accounted_peak = 0;
    runs = std::max(1u, runs);
    for (unsigned r = 0; r < runs; ++r) {
        rz::CompileRequest request;
        request.sources = {rz::ZoneSource{origin, zone_file}};
        request.build = options;
        request.memory_limit = memory_limit;
        rz::CompileOutcome out = rz::compile_zone_set(std::move(request));
        if (!out.ok) {
            for (const auto& e : out.errors)
                fmt::print(stderr, "{}\n", e.to_string());
            return 1;
        }
        samples.push_back(PhaseTimes{static_cast<double>(out.parse_us) / kUsPerSecond,
                                     static_cast<double>(out.check_us) / kUsPerSecond,
                                     static_cast<double>(out.build_us) / kUsPerSecond});
        records = out.zones.parsed.front().records.size();
        wire_bytes = records_wire_bytes(out.zones.parsed.front());
        accounted_peak = std::max(accounted_peak, out.memory_peak);
        if (r + 1 == runs) snapshot = std::move(out.snapshot);
    }
    std::sort(samples.begin(), samples.end(),
              [](const PhaseTimes& a, const PhaseTimes& b) { return a.total() < b.total(); });
    const PhaseTimes& median = samples[samples.size() / 2];

    if (!write_path.empty()) {
        std::string error;
        if (!rz::write_snapshot_file(snapshot, write_path, error)) {
            fmt::print(stderr, "{}\n", error);
            return 1;
        }
    }
    fmt::print("compile records={} parse_s={:.3f} check_s={:.3f} build_s={:.3f} total_s={:.3f} "
               "records_per_s={:.0f} snapshot_bytes={} wire_bytes={} size_ratio={:.2f} "
               "compiler_peak_rss_kib={} accounted_peak_kib={} rss_per_snapshot={:.2f}\n",
               records, median.parse, median.check, median.build, median.total(),
               static_cast<double>(records) / median.total(), snapshot.size(), wire_bytes,
               static_cast<double>(snapshot.size()) / static_cast<double>(wire_bytes),
               peak_rss_kib(), accounted_peak / 1024,
               static_cast<double>(peak_rss_kib()) * 1024 / static_cast<double>(snapshot.size()));
    return 0;
}
