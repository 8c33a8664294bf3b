#include "controlplane/ringcastd/zone_set.h"

#include <chrono>
#include <fmt/format.h>

namespace ringcast::daemon {
namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

} // namespace

ReloadOutcome compile_reload(ReloadJob job, const ProgressFn& progress) {
    zone::CompileRequest request;
    request.sources = std::move(job.sources);
    request.only = job.only;
    request.base = std::move(job.base);
    request.build.generation = job.generation;
    request.memory_limit = job.memory_limit;
    request.progress = progress;
    zone::CompileOutcome compiled = zone::compile_zone_set(std::move(request));

    ReloadOutcome out;
    out.ok = compiled.ok;
    out.errors = std::move(compiled.errors);
    out.zones = std::move(compiled.zones);
    out.replaced = std::move(compiled.replaced);
    out.only = job.only;
    out.generation = job.generation;
    out.snapshot_path = job.snapshot_path;
    out.snapshot_bytes = compiled.snapshot.size();
    out.parse_ms = (compiled.parse_us + compiled.check_us) / 1000;
    out.build_ms = compiled.build_us / 1000;
    if (!out.ok) return out;

    const auto write_start = Clock::now();
    std::string error;
    if (!zone::write_snapshot_file(compiled.snapshot, job.snapshot_path, error)) {
        out.errors.push_back(zone::Diagnostic{job.snapshot_path, 0,
                                              fmt::format("cannot write the snapshot: {}", error)});
        undo_reload(out);
        return out;
    }
    out.build_ms += ms_since(write_start);
    return out;
}

void undo_reload(ReloadOutcome& outcome) {
    zone::undo_replacement(outcome.zones, outcome.replaced, outcome.only);
    outcome.ok = false;
}

} // namespace ringcast::daemon
