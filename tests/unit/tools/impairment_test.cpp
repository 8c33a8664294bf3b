// link_impair's decisions: each share at its extremes, the delay within its jitter, the shares
// close to what was asked over many packets, and held packets released earliest first.
#include "tests/tools/link_impair/impairment.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <vector>

using namespace ringcast::tools;
using namespace std::chrono_literals;
using Action = Decision::Action;

namespace {

constexpr int kPackets = 100000;
constexpr uint64_t kSeed = 42;

std::map<Action, int> tally(ImpairmentSettings settings) {
    Impairment impairment(settings, kSeed);
    std::map<Action, int> counts;
    for (int i = 0; i < kPackets; ++i)
        ++counts[impairment.decide().action];
    return counts;
}

} // namespace

TEST_CASE("every packet dropped at 100 % loss, none at 0 %") {
    CHECK(tally({50ms, 0ms, 0, 100})[Action::drop] == kPackets);
    CHECK(tally({50ms, 0ms, 0, 0})[Action::drop] == 0);
}

TEST_CASE("without reordering every packet is held for exactly the delay") {
    Impairment impairment({50ms, 0ms, 0, 0}, kSeed);
    for (int i = 0; i < 1000; ++i) {
        const Decision d = impairment.decide();
        REQUIRE(d.action == Action::hold);
        REQUIRE(d.delay == 50ms);
    }
}

TEST_CASE("no delay asked: every packet passes") {
    CHECK(tally({0ms, 0ms, 0, 0})[Action::pass] == kPackets);
}

TEST_CASE("jitter keeps the delay within delay +- jitter and uses the whole range") {
    Impairment impairment({50ms, 10ms, 0, 0}, kSeed);
    auto low = Clock::duration::max(), high = Clock::duration::min();
    for (int i = 0; i < 10000; ++i) {
        const Decision d = impairment.decide();
        REQUIRE(d.action == Action::hold);
        low = std::min(low, d.delay);
        high = std::max(high, d.delay);
    }
    CHECK(low == 40ms);
    CHECK(high == 60ms);
}

TEST_CASE("the shares come out near what was asked (loss first, reordering of the rest)") {
    auto counts = tally({50ms, 0ms, 25, 5});
    const double dropped = 100.0 * counts[Action::drop] / kPackets;
    const double reordered = 100.0 * counts[Action::reorder] / kPackets;
    CHECK(dropped == Approx(5).margin(0.5));
    // 25 % of the 95 % not dropped.
    CHECK(reordered == Approx(25 * 0.95).margin(0.7));
    CHECK(counts[Action::drop] + counts[Action::reorder] + counts[Action::hold] == kPackets);
}

TEST_CASE("held packets come out earliest due first, whatever the order they went in") {
    HeldPackets held;
    const auto t0 = Clock::now();
    held.hold(t0 + 30ms, 3);
    held.hold(t0 + 10ms, 1);
    held.hold(t0 + 50ms, 5);
    held.hold(t0 + 20ms, 2);
    REQUIRE(held.size() == 4);
    CHECK(held.next_due() == t0 + 10ms);
    std::vector<uint32_t> ids;
    while (!held.empty())
        ids.push_back(held.pop().packet_id);
    CHECK(ids == std::vector<uint32_t>{1, 2, 3, 5});
}
