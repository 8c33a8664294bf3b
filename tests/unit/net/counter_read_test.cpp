// The one way another thread reads an lcore's counters (dataplane/stats/counter_read.h).
#include "dataplane/stats/counter_read.h"
#include "dataplane/stats/counter_sections.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

using namespace ringcast::stats;

namespace {

// Every counter of every section a different value, so a section skipped or misplaced shows.
LcoreCounters numbered(uint64_t base) {
    LcoreCounters c;
    uint64_t next = base;
    for (const CounterSection& section : kCounterSections) {
        uint64_t* values = section.mutable_values(c);
        for (size_t i = 0; i < section.size; ++i)
            values[i] = next++;
    }
    return c;
}

bool same(const LcoreCounters& a, const LcoreCounters& b) {
    for (const CounterSection& section : kCounterSections)
        for (size_t i = 0; i < section.size; ++i)
            if (section.values(a)[i] != section.values(b)[i]) return false;
    return true;
}

} // namespace

TEST_CASE("counter read: a copy carries every counter of every section") {
    const LcoreCounters live = numbered(1);
    CHECK(same(read_live_counters(live), live));
    CHECK_FALSE(same(read_live_counters(live), numbered(2)));
}

TEST_CASE("counter read: sums add every section") {
    LcoreCounters total = numbered(10);
    add_live_counters(total, numbered(100));
    LcoreCounters expected = numbered(10);
    expected += numbered(100);
    CHECK(same(total, expected));
}

TEST_CASE("counter read: values read while the owner counts never go backwards") {
    constexpr uint64_t kIncrements = 200'000;
    LcoreCounters live;
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (uint64_t i = 0; i < kIncrements; ++i)
            live.add(Counter::rx_packets);
        done.store(true, std::memory_order_release);
    });
    uint64_t last = 0;
    bool monotonic = true;
    while (!done.load(std::memory_order_acquire)) {
        const uint64_t now = read_live_counters(live).get(Counter::rx_packets);
        monotonic = monotonic && now >= last && now <= kIncrements;
        last = now;
    }
    writer.join();
    CHECK(monotonic);
    CHECK(read_live_counters(live).get(Counter::rx_packets) == kIncrements);
}
