#include "dataplane/stats/counter_read.h"

#include "dataplane/stats/counter_sections.h"

#include <atomic>

namespace ringcast::stats {
namespace {

uint64_t load_relaxed(const uint64_t& word) {
    static_assert(std::atomic_ref<const uint64_t>::is_always_lock_free);
    return std::atomic_ref<const uint64_t>(word).load(std::memory_order_relaxed);
}

} // namespace

void add_live_counters(LcoreCounters& total, const LcoreCounters& live) {
    for (const CounterSection& section : kCounterSections) {
        uint64_t* sum = section.mutable_values(total);
        const uint64_t* values = section.values(live);
        for (size_t i = 0; i < section.size; ++i)
            sum[i] += load_relaxed(values[i]);
    }
}

LcoreCounters read_live_counters(const LcoreCounters& live) {
    LcoreCounters copy;
    add_live_counters(copy, live);
    return copy;
}

} // namespace ringcast::stats
