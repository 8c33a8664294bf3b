// The one zone-compile pipeline, run by `ringcastd --check`, `ringcastctl check-zone` and every
// ringcastd reload: read each master file, check it, refuse an origin given twice, and only if
// nothing at all is wrong build one snapshot. Every error of every zone is reported together so
// that an operator fixes them in one round.
#pragma once

#include "controlplane/zone/zone_compiler.h"
#include "controlplane/zone/zone_tree.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ringcast::zone {

struct ZoneInfo {
    ZoneSummary summary;     // origin, file, serial, records, names
    int64_t loaded_unix = 0; // when this version of the zone was read
};

// Zones read and checked, kept so that a reload of one zone rebuilds the snapshot from the others
// as they are. Parallel vectors in configuration order (build_snapshot_from_trees takes them so).
struct ZoneSet {
    std::vector<ParsedZone> parsed;
    std::vector<ZoneTree> trees;
    std::vector<ZoneInfo> info;

    size_t size() const { return parsed.size(); }
    std::optional<size_t> find(const std::string& origin) const; // any spelling of the origin
    // Exchanges zone `index` of this set with zone `other_index` of `other`.
    void swap_zone(size_t index, ZoneSet& other, size_t other_index);
};

using ProgressFn = std::function<void(const std::string& message)>;

struct CompileRequest {
    std::vector<ZoneSource> sources;
    std::optional<size_t> only; // reload-zone: read sources[only] alone, keep base's others
    ZoneSet base;               // the zones served now (moved in, handed back in the outcome)
    BuildOptions build;
    uint64_t memory_limit = 0; // bytes this compile may allocate (memory_budget.h); 0: no limit
    ProgressFn progress;       // one line per step; may be empty
};

struct CompileOutcome {
    bool ok = false;
    std::vector<Diagnostic> errors;
    // One per zone read, in order, those with errors included (what `--check` reports).
    std::vector<ZoneSummary> read;
    // ok: the set the snapshot was built from. Not ok: the base, untouched.
    ZoneSet zones;
    // ok: what `zones` replaced, to put back if the snapshot is refused later: the whole old set,
    // or (reload-zone) the old version of zone `only` alone.
    ZoneSet replaced;
    std::optional<size_t> only;
    std::vector<uint8_t> snapshot; // ok: the complete snapshot file
    // Time spent reading (libzscanner), checking (tree and semantic checks) and building.
    int64_t parse_us = 0;
    int64_t check_us = 0;
    int64_t build_us = 0;
    uint64_t memory_peak = 0; // bytes accounted at the compile's peak (memory_budget.h)
};

CompileOutcome compile_zone_set(CompileRequest request);

// Puts back what a refused snapshot replaced: `zones` becomes the set before the compile.
void undo_replacement(ZoneSet& zones, ZoneSet& replaced, std::optional<size_t> only);

} // namespace ringcast::zone
