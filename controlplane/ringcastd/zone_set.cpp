#include "controlplane/ringcastd/zone_set.h"

#include <chrono>
#include <ctime>
#include <exception>
#include <fmt/format.h>
#include <unordered_map>

namespace ringcast::daemon {
namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Two entries for the same origin: the second would shadow the first in the snapshot.
bool check_unique_origins(const ZoneSet& set, std::vector<zone::Diagnostic>& errors) {
    std::unordered_map<std::string, size_t> first;
    bool ok = true;
    for (size_t i = 0; i < set.size(); ++i) {
        const auto& wire = set.parsed[i].origin;
        const auto [it, added] = first.emplace(std::string(wire.begin(), wire.end()), i);
        if (added) continue;
        errors.push_back(zone::Diagnostic{set.info[i].summary.file, 0,
                                          fmt::format("zone {} is already loaded from {}",
                                                      set.info[i].summary.origin,
                                                      set.info[it->second].summary.file)});
        ok = false;
    }
    return ok;
}

void move_zone(ZoneSet& from, size_t index, ZoneSet& to, size_t to_index) {
    std::swap(from.parsed[index], to.parsed[to_index]);
    std::swap(from.trees[index], to.trees[to_index]);
    std::swap(from.info[index], to.info[to_index]);
}

} // namespace

std::optional<size_t> ZoneSet::find(const std::string& origin) const {
    std::vector<uint8_t> wire;
    std::string presentation;
    std::string error;
    if (!zone::normalize_origin(origin, wire, presentation, error)) return std::nullopt;
    for (size_t i = 0; i < parsed.size(); ++i)
        if (parsed[i].origin == wire) return i;
    return std::nullopt;
}

bool load_zone(const zone::ZoneSource& source, ZoneSet& into,
               std::vector<zone::Diagnostic>& errors) {
    zone::ParsedZone parsed;
    if (!zone::parse_zone_file(source, parsed, errors)) return false;
    // Semantic checks on a zone with syntax errors would mostly report the consequences of the
    // records that could not be read, so they run only on a zone that parsed (as compile_zones).
    zone::ZoneTree tree = zone::build_zone_tree(parsed);
    if (!zone::check_zone_tree(parsed, tree, errors)) return false;
    ZoneInfo info;
    const zone::SoaFacts soa = zone::soa_facts(parsed, tree);
    info.summary.origin = parsed.source.origin;
    info.summary.file = source.file;
    info.summary.serial = soa.serial;
    info.summary.records = static_cast<uint32_t>(tree.rrs.size());
    info.summary.names = tree.owner_count;
    info.loaded_unix = std::time(nullptr);
    into.parsed.push_back(std::move(parsed));
    into.trees.push_back(std::move(tree));
    into.info.push_back(std::move(info));
    return true;
}

ReloadOutcome compile_reload(ReloadJob job, const ProgressFn& progress) {
    ReloadOutcome out;
    out.only = job.only;
    out.generation = job.generation;
    out.snapshot_path = job.snapshot_path;
    const auto parse_start = Clock::now();

    ZoneSet fresh;
    bool ok = true;
    if (job.only) {
        const zone::ZoneSource& source = job.sources.at(*job.only);
        progress(fmt::format("reading {} from {}", source.origin, source.file));
        ok = load_zone(source, fresh, out.errors);
    } else {
        for (size_t i = 0; i < job.sources.size(); ++i) {
            const zone::ZoneSource& source = job.sources[i];
            progress(fmt::format("reading {} ({}/{}) from {}", source.origin, i + 1,
                                 job.sources.size(), source.file));
            ok = load_zone(source, fresh, out.errors) && ok;
        }
        ok = ok && check_unique_origins(fresh, out.errors);
    }
    out.parse_ms = ms_since(parse_start);
    if (!ok) {
        out.zones = std::move(job.base);
        return out;
    }

    // The candidate set: the fresh zones, or the base with one zone swapped in.
    if (job.only) {
        out.zones = std::move(job.base);
        out.replaced = std::move(fresh);
        move_zone(out.zones, *job.only, out.replaced, 0);
    } else {
        out.zones = std::move(fresh);
        out.replaced = std::move(job.base);
    }

    progress(fmt::format("building snapshot generation {} ({} zones)", job.generation,
                         out.zones.size()));
    const auto build_start = Clock::now();
    std::string error;
    try {
        zone::BuildOptions options;
        options.generation = job.generation;
        const std::vector<uint8_t> snapshot =
            zone::build_snapshot_from_trees(out.zones.parsed, out.zones.trees, options);
        out.snapshot_bytes = snapshot.size();
        if (!zone::write_snapshot_file(snapshot, job.snapshot_path, error))
            error = fmt::format("cannot write the snapshot: {}", error);
    } catch (const std::exception& e) {
        error = fmt::format("cannot build the snapshot: {}", e.what());
    }
    out.build_ms = ms_since(build_start);
    if (!error.empty()) {
        out.errors.push_back(zone::Diagnostic{job.snapshot_path, 0, error});
        undo_reload(out);
        return out;
    }
    out.ok = true;
    return out;
}

void undo_reload(ReloadOutcome& outcome) {
    if (outcome.only) {
        if (outcome.replaced.size() == 1)
            move_zone(outcome.zones, *outcome.only, outcome.replaced, 0);
    } else {
        std::swap(outcome.zones, outcome.replaced);
    }
    outcome.replaced = ZoneSet{};
    outcome.ok = false;
}

} // namespace ringcast::daemon
