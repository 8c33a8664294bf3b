#include "controlplane/ringcastd/zone_set.h"

#include <chrono>
#include <filesystem>
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
    if (!job.sites) return out;

    // The content second: a broken site fails the whole reload, and what is served stays.
    const auto content_start = Clock::now();
    if (progress) progress(fmt::format("compiling {} site(s)", job.sites->size()));
    content::ContentOptions options;
    options.generation = job.generation;
    content::ContentResult compiled_content = content::compile_content(*job.sites, options);
    out.content_warnings = std::move(compiled_content.warnings);
    if (compiled_content.ok &&
        !zone::write_snapshot_file(compiled_content.image, job.content_path, error))
        compiled_content.errors.push_back(
            fmt::format("{}: cannot write the content snapshot: {}", job.content_path, error));
    else if (compiled_content.ok)
        compiled_content.errors.clear();
    if (!compiled_content.errors.empty()) {
        for (std::string& e : compiled_content.errors)
            out.errors.push_back(zone::Diagnostic{"[[site]]", 0, std::move(e)});
        std::error_code ec;
        std::filesystem::remove(job.snapshot_path, ec);
        undo_reload(out);
        return out;
    }
    out.content = ContentInfo{job.generation,
                              job.content_path,
                              compiled_content.image.size(),
                              std::move(compiled_content.sites),
                              compiled_content.objects,
                              compiled_content.body_bytes};
    out.build_ms += ms_since(content_start);
    return out;
}

void undo_reload(ReloadOutcome& outcome) {
    zone::undo_replacement(outcome.zones, outcome.replaced, outcome.only);
    outcome.ok = false;
}

} // namespace ringcast::daemon
