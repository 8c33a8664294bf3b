#include "controlplane/zone/compile_pipeline.h"

#include "controlplane/zone/memory_budget.h"

#include <chrono>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <unordered_map>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace ringcast::zone {

namespace {

using Clock = std::chrono::steady_clock;

int64_t us_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// Gives back to the system what reading and checking freed (libzscanner's buffers, the tree's
// sort keys) before the snapshot, the largest allocation, is built: glibc keeps freed blocks
// below its mmap threshold in the heap, where they would stay resident beside it.
void return_freed_memory() {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

// "a., b." for a message about several zones.
std::string origins_of(const ZoneSet& zones) {
    std::string out;
    for (const ZoneInfo& info : zones.info)
        out += (out.empty() ? "" : ", ") + info.summary.origin;
    return out;
}

class Pipeline {
  public:
    Pipeline(const CompileRequest& request, CompileOutcome& out)
        : request_(request), out_(out), budget_(request.memory_limit) {}

    // Reads and checks sources[index]; a zone without errors joins `fresh`.
    bool read(size_t index, ZoneSet& fresh) {
        const ZoneSource& source = request_.sources[index];
        // Before reading, from the file's size: a zone far over the limit is not read at all.
        std::error_code size_error;
        const uintmax_t file_bytes = std::filesystem::file_size(source.file, size_error);
        if (!size_error && !budget_.fits(parsed_bytes_estimate(file_bytes))) {
            out_.read.emplace_back(ZoneSummary{source.origin, source.file, 0, 0, 0});
            return over_limit(source, source.origin, "reading",
                              budget_.used() + parsed_bytes_estimate(file_bytes));
        }
        ParsedZone parsed;
        const auto parse_start = Clock::now();
        const bool syntax_ok = parse_zone_file(source, parsed, out_.errors);
        out_.parse_us += us_since(parse_start);
        ZoneSummary& summary = out_.read.emplace_back();
        summary.origin = parsed.origin.empty() ? source.origin : parsed.source.origin;
        summary.file = source.file;
        if (parsed.origin.empty()) return false; // the origin itself was invalid: reported
        if (!budget_.charge(parsed_bytes(parsed)))
            return over_limit(source, summary.origin, "reading", budget_.used());

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
        if (!budget_.charge(tree_bytes(tree)))
            return over_limit(source, summary.origin, "checking", budget_.used());
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

    // Charges the snapshot `zones` would make; false, with the error, when it does not fit.
    bool charge_snapshot(const ZoneSet& zones) {
        const uint64_t bound = snapshot_size_bound(zones.parsed, zones.trees);
        if (budget_.charge(bound)) return true;
        const std::string file = zones.size() != 0 ? zones.info.front().summary.file : "snapshot";
        out_.errors.push_back(
            Diagnostic{file, 0,
                       budget_.over_limit_message(origins_of(zones), "building the snapshot",
                                                  budget_.used())});
        return false;
    }

    uint64_t memory_peak() const { return budget_.used(); }

  private:
    bool over_limit(const ZoneSource& source, const std::string& origin, const char* step,
                    uint64_t needed) {
        out_.errors.push_back(
            Diagnostic{source.file, 0, budget_.over_limit_message(origin, step, needed)});
        return false;
    }

    const CompileRequest& request_;
    CompileOutcome& out_;
    MemoryBudget budget_;
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
    out.memory_peak = pipeline.memory_peak();
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

    const bool fits = pipeline.charge_snapshot(out.zones);
    out.memory_peak = pipeline.memory_peak();
    if (!fits) {
        undo_replacement(out.zones, out.replaced, out.only);
        return out;
    }
    return_freed_memory();
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

CompileResult compile_zones(const std::vector<ZoneSource>& sources, const BuildOptions& options,
                            uint64_t memory_limit) {
    CompileRequest request;
    request.sources = sources;
    request.build = options;
    request.memory_limit = memory_limit;
    CompileOutcome compiled = compile_zone_set(std::move(request));
    CompileResult result;
    result.ok = compiled.ok;
    result.errors = std::move(compiled.errors);
    result.zones = std::move(compiled.read);
    result.snapshot = std::move(compiled.snapshot);
    return result;
}

} // namespace ringcast::zone
