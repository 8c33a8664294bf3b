// The zones ringcastd serves, kept parsed and checked between reloads so that `reload-zone`
// re-reads one master file and rebuilds the snapshot from the others as they are.
#pragma once

#include "controlplane/zone/zone_compiler.h"
#include "controlplane/zone/zone_tree.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ringcast::daemon {

struct ZoneInfo {
    zone::ZoneSummary summary; // origin, file, serial, records, names
    int64_t loaded_unix = 0;   // when this version of the zone was read
};

// Parallel vectors, in configuration order (build_snapshot_from_trees takes them this way).
struct ZoneSet {
    std::vector<zone::ParsedZone> parsed;
    std::vector<zone::ZoneTree> trees;
    std::vector<ZoneInfo> info;

    size_t size() const { return parsed.size(); }
    std::optional<size_t> find(const std::string& origin) const; // any spelling of the origin
};

using ProgressFn = std::function<void(const std::string& message)>;

// Reads and checks one zone. False with every problem in `errors`.
bool load_zone(const zone::ZoneSource& source, ZoneSet& into,
               std::vector<zone::Diagnostic>& errors);

// What a reload asks for: every zone of `sources`, or only `sources[only]` over `base`.
struct ReloadJob {
    std::vector<zone::ZoneSource> sources;
    std::optional<size_t> only; // reload-zone: the index in `base` to re-read
    ZoneSet base;               // the zones served now (moved in, handed back in the outcome)
    uint64_t generation = 0;
    std::string snapshot_path; // where the new snapshot is written
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
    int64_t build_ms = 0;
};

// Parses, checks, builds and writes the snapshot. Runs on the compile thread; `progress` gets
// one line per step.
ReloadOutcome compile_reload(ReloadJob job, const ProgressFn& progress);

// Puts back what a refused reload replaced.
void undo_reload(ReloadOutcome& outcome);

} // namespace ringcast::daemon
