// The zones ringcastd serves, kept parsed and checked between reloads so that `reload-zone`
// re-reads one master file and rebuilds the snapshot from the others as they are. The compile
// itself is the zone library's pipeline (controlplane/zone/compile_pipeline.h), the one
// `ringcastd --check` runs; this adds the snapshot file and the undo a refused snapshot needs.
#pragma once

#include "controlplane/content/content_compiler.h"
#include "controlplane/zone/compile_pipeline.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ringcast::daemon {

using ZoneInfo = zone::ZoneInfo;
using ZoneSet = zone::ZoneSet;
using ProgressFn = zone::ProgressFn;

// What a reload asks for: every zone of `sources`, or only `sources[only]` over `base`.
struct ReloadJob {
    std::vector<zone::ZoneSource> sources;
    std::optional<size_t> only; // reload-zone: the index in `base` to re-read
    ZoneSet base;               // the zones served now (moved in, handed back in the outcome)
    uint64_t generation = 0;
    std::string snapshot_path; // where the new snapshot is written
    uint64_t memory_limit = 0; // [zones] compile_memory_limit in bytes; 0: none
    // The [[site]]s, compiled into `content_path` with the same generation; not for
    // reload-zone, which keeps the content served now.
    std::optional<std::vector<content::SiteSource>> sites;
    std::string content_path;
};

// What a compiled content snapshot holds, for status and the reload's reply.
struct ContentInfo {
    uint64_t generation = 0;
    std::string path;
    size_t bytes = 0;
    std::vector<content::SiteSummary> sites;
    uint32_t objects = 0;
    uint64_t body_bytes = 0;
};

struct ReloadOutcome {
    bool ok = false;
    std::vector<zone::Diagnostic> errors;
    // ok: the set the new snapshot was built from. Not ok: the base, untouched.
    ZoneSet zones;
    // ok: what `zones` replaced, to put back if the dataplane refuses the snapshot: the whole
    // old set, or (reload-zone) the old version of zone `only` alone.
    ZoneSet replaced;
    std::optional<size_t> only;
    uint64_t generation = 0;
    std::string snapshot_path;
    size_t snapshot_bytes = 0;
    int64_t parse_ms = 0;
    int64_t build_ms = 0;               // the snapshot built and written
    std::optional<ContentInfo> content; // set when the job compiled the sites
    std::vector<std::string> content_warnings;
};

// Compiles (zone::compile_zone_set) and writes the snapshot. Runs on the compile thread;
// `progress` gets one line per step.
ReloadOutcome compile_reload(ReloadJob job, const ProgressFn& progress);

// Puts back what a refused reload replaced.
void undo_reload(ReloadOutcome& outcome);

} // namespace ringcast::daemon
