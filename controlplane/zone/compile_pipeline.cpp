#include "controlplane/zone/compile_pipeline.h"

#include <chrono>
#include <ctime>
#include <exception>
#include <fmt/format.h>
#include <string>
#include <unordered_map>

namespace ringcast::zone {

namespace {

using Clock = std::chrono::steady_clock;

int64_t us_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

class Pipeline {
  public:
    Pipeline(const CompileRequest& request, CompileOutcome& out) : request_(request), out_(out) {}

    // Reads and checks sources[index]; a zone without errors joins `fresh`.
    bool read(size_t index, ZoneSet& fresh) {
        const ZoneSource& source = request_.sources[index];
        ParsedZone parsed;
        const auto parse_start = Clock::now();
        const bool syntax_ok = parse_zone_file(source, parsed, out_.errors);
        out_.parse_us += us_since(parse_start);
        ZoneSummary& summary = out_.read.emplace_back();
        summary.origin = parsed.origin.empty() ? source.origin : parsed.source.origin;
        summary.file = source.file;
        if (parsed.origin.empty()) return false; // the origin itself was invalid: reported

        bool ok = syntax_ok;
        const std::string key(parsed.origin.begin(), parsed.origin.end());
        if (const auto [it, added] = first_source_.emplace(key, index); !added) {
            out_.errors.push_back(
                Diagnostic{source.file, 0,
                           fmt::format("zone {} is already loaded from {}", summary.origin,
                                       request_.sources[it->second].file)});
            ok = false;
        }
        // Semantic checks on a zone with syntax errors would mostly report the consequences of
        // the records that could not be read ("missing SOA" after a bad SOA line): skip them.
        if (!syntax_ok) return false;
        const auto check_start = Clock::now();
        ZoneTree tree = build_zone_tree(parsed);
        ok = check_zone_tree(parsed, tree, out_.errors) && ok;
        out_.check_us += us_since(check_start);
        const SoaFacts soa = soa_facts(parsed, tree);
        summary.serial = soa.serial;
        summary.records = static_cast<uint32_t>(tree.rrs.size());
        summary.names = tree.owner_count;
        if (!ok) return false;
        fresh.parsed.push_back(std::move(parsed));
        fresh.trees.push_back(std::move(tree));
        fresh.info.push_back(ZoneInfo{summary, static_cast<int64_t>(std::time(nullptr))});
        return true;
    }

    void progress(const std::string& message) const {
        if (request_.progress) request_.progress(message);
    }

  private:
    const CompileRequest& request_;
    CompileOutcome& out_;
    std::unordered_map<std::string, size_t> first_source_; // wire origin -> first source index
};

} // namespace

std::optional<size_t> ZoneSet::find(const std::string& origin) const {
    std::vector<uint8_t> wire;
    std::string presentation;
    std::string error;
    if (!normalize_origin(origin, wire, presentation, error)) return std::nullopt;
    for (size_t i = 0; i < parsed.size(); ++i)
        if (parsed[i].origin == wire) return i;
    return std::nullopt;
}

void ZoneSet::swap_zone(size_t index, ZoneSet& other, size_t other_index) {
    std::swap(parsed[index], other.parsed[other_index]);
    std::swap(trees[index], other.trees[other_index]);
    std::swap(info[index], other.info[other_index]);
}

CompileOutcome compile_zone_set(CompileRequest request) {
    CompileOutcome out;
    out.only = request.only;
    Pipeline pipeline(request, out);

    ZoneSet fresh;
    bool ok = true;
    if (request.only) {
        const ZoneSource& source = request.sources.at(*request.only);
        pipeline.progress(fmt::format("reading {} from {}", source.origin, source.file));
        ok = pipeline.read(*request.only, fresh);
    } else {
        for (size_t i = 0; i < request.sources.size(); ++i) {
            const ZoneSource& source = request.sources[i];
            pipeline.progress(fmt::format("reading {} ({}/{}) from {}", source.origin, i + 1,
                                          request.sources.size(), source.file));
            ok = pipeline.read(i, fresh) && ok;
        }
    }
    if (!ok) {
        out.zones = std::move(request.base);
        return out;
    }

    // The candidate set: the fresh zones, or the base with one zone swapped in.
    if (request.only) {
        out.zones = std::move(request.base);
        out.replaced = std::move(fresh);
        out.zones.swap_zone(*request.only, out.replaced, 0);
    } else {
        out.zones = std::move(fresh);
        out.replaced = std::move(request.base);
    }

    pipeline.progress(fmt::format("building snapshot generation {} ({} zones)",
                                  request.build.generation, out.zones.size()));
    const auto build_start = Clock::now();
    try {
        out.snapshot = build_snapshot_from_trees(out.zones.parsed, out.zones.trees, request.build);
    } catch (const std::exception& e) {
        const std::string file =
            out.zones.size() != 0 ? out.zones.info.front().summary.file : "snapshot";
        out.errors.push_back(
            Diagnostic{file, 0, fmt::format("cannot build the snapshot: {}", e.what())});
        undo_replacement(out.zones, out.replaced, out.only);
        return out;
    }
    out.build_us = us_since(build_start);
    out.ok = true;
    return out;
}

void undo_replacement(ZoneSet& zones, ZoneSet& replaced, std::optional<size_t> only) {
    if (only) {
        if (replaced.size() == 1) zones.swap_zone(*only, replaced, 0);
    } else {
        std::swap(zones, replaced);
    }
    replaced = ZoneSet{};
}

CompileResult compile_zones(const std::vector<ZoneSource>& sources, const BuildOptions& options) {
    CompileRequest request;
    request.sources = sources;
    request.build = options;
    CompileOutcome compiled = compile_zone_set(std::move(request));
    CompileResult result;
    result.ok = compiled.ok;
    result.errors = std::move(compiled.errors);
    result.zones = std::move(compiled.read);
    result.snapshot = std::move(compiled.snapshot);
    return result;
}

} // namespace ringcast::zone
