// The whole pipeline: read every zone, check every zone, and only if nothing at all is wrong,
// build one snapshot. All errors of all zones are reported together so an operator fixes them
// in one round.
#include "controlplane/zone/dname.h"
#include "controlplane/zone/zone_tree.h"

#include <exception>
#include <fmt/format.h>
#include <string>
#include <unordered_map>

namespace ringcast::zone {

CompileResult compile_zones(const std::vector<ZoneSource>& sources, const BuildOptions& options) {
    CompileResult result;
    std::vector<ParsedZone> zones(sources.size());
    std::vector<ZoneTree> trees;
    trees.reserve(sources.size());
    std::unordered_map<std::string, size_t> first_source; // wire origin -> first source index
    bool ok = true;

    for (size_t i = 0; i < sources.size(); ++i) {
        ParsedZone& zone = zones[i];
        const bool parsed = parse_zone_file(sources[i], zone, result.errors);
        ZoneSummary& summary = result.zones.emplace_back();
        summary.origin = zone.origin.empty() ? sources[i].origin : zone.source.origin;
        summary.file = sources[i].file;
        ok = ok && parsed;
        if (zone.origin.empty()) continue; // the origin itself was invalid: already reported

        const std::string key(zone.origin.begin(), zone.origin.end());
        if (const auto [it, added] = first_source.emplace(key, i); !added) {
            result.errors.push_back(
                Diagnostic{sources[i].file, 0,
                           fmt::format("zone {} is already loaded from {}", summary.origin,
                                       sources[it->second].file)});
            ok = false;
        }
        // Semantic checks on a zone with syntax errors would mostly report the consequences of
        // the records that could not be read ("missing SOA" after a bad SOA line): skip them.
        if (!parsed) continue;
        trees.push_back(build_zone_tree(zone));
        const ZoneTree& tree = trees.back();
        ok = check_zone_tree(zone, tree, result.errors) && ok;
        const SoaFacts soa = soa_facts(zone, tree);
        summary.serial = soa.serial;
        summary.records = static_cast<uint32_t>(tree.rrs.size());
        summary.names = tree.owner_count;
    }

    result.ok = ok;
    if (!ok) return result;
    try {
        result.snapshot = build_snapshot_from_trees(zones, trees, options);
    } catch (const std::exception& e) {
        result.ok = false;
        result.errors.push_back(Diagnostic{sources.empty() ? "snapshot" : sources.front().file, 0,
                                           fmt::format("cannot build the snapshot: {}", e.what())});
    }
    return result;
}

} // namespace ringcast::zone
