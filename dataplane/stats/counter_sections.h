// Every group of counters in counters.h, described once: how it is named in JSON, in the stats
// file, in `ringcastctl stats` and in Prometheus, with its help text. Everything that shows
// counters (control socket, stats file, DPDK telemetry, the admin CLI, the metrics endpoint)
// iterates this table, so a counter added to counters.h appears everywhere at once.
#pragma once

#include "dataplane/stats/counters.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringcast::stats {

struct CounterSection {
    std::string_view key;         // JSON object name and DPDK telemetry command suffix
    std::string_view text_prefix; // stats file: "<prefix><name> <value>"
    std::string_view title;       // heading in human tables; empty: listed without one
    std::string_view family;      // Prometheus family; empty: each entry is its own metric
    std::string_view label;       // Prometheus label telling a family's entries apart
    std::string_view help;        // what the section counts
    size_t size;
    std::string_view (*name)(size_t);
    std::string_view (*entry_help)(size_t);
    const uint64_t* (*values)(const LcoreCounters&);

    uint64_t* mutable_values(LcoreCounters& c) const { return const_cast<uint64_t*>(values(c)); }
};

inline constexpr size_t kCounterSectionCount = 5;
extern const std::array<CounterSection, kCounterSectionCount> kCounterSections;

} // namespace ringcast::stats
