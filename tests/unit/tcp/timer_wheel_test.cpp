#include "dataplane/tcp/timer_wheel.h"

#include <catch2/catch.hpp>
#include <vector>

namespace ringcast::tcp {

TEST_CASE("timers fire at their deadline, not before, each once", "[tcp][timer]") {
    TimerWheel wheel(8, 0);
    wheel.arm(1, 5'000);
    wheel.arm(2, 5'500);
    wheel.arm(3, 20'000);
    std::vector<uint32_t> fired;
    auto record = [&](uint32_t id) { fired.push_back(id); };
    CHECK(wheel.sweep(4'999, record) == 0);
    CHECK(wheel.sweep(5'000, record) == 1);
    CHECK(fired == std::vector<uint32_t>{1});
    CHECK(wheel.sweep(6'000, record) == 1);
    CHECK(wheel.sweep(19'999, record) == 0);
    CHECK(wheel.sweep(25'000, record) == 1);
    CHECK(fired == std::vector<uint32_t>{1, 2, 3});
    CHECK(wheel.armed_count() == 0);
    CHECK(wheel.sweep(100'000, record) == 0);
}

TEST_CASE("re-arming moves a timer, cancelling removes it", "[tcp][timer]") {
    TimerWheel wheel(4, 0);
    wheel.arm(0, 3'000);
    wheel.arm(0, 9'000);
    wheel.arm(1, 3'000);
    wheel.cancel(1);
    CHECK_FALSE(wheel.armed(1));
    uint32_t count = 0;
    CHECK(wheel.sweep(5'000, [&](uint32_t) { ++count; }) == 0);
    CHECK(wheel.sweep(9'000, [&](uint32_t) { ++count; }) == 1);
    CHECK(count == 1);
}

TEST_CASE("a deadline beyond one turn waits for its own time", "[tcp][timer]") {
    TimerWheel wheel(2, 0);
    const uint64_t far = uint64_t{kTimerSlots} * kTimerTickUs * 3 + 1'500; // three turns on
    wheel.arm(0, far);
    uint32_t fired = 0;
    for (uint64_t t = 0; t < far; t += 700)
        fired += wheel.sweep(t, [](uint32_t) {});
    CHECK(fired == 0);
    CHECK(wheel.sweep(far + kTimerTickUs, [](uint32_t) {}) == 1);
}

TEST_CASE("after a long pause every due timer fires in one sweep", "[tcp][timer]") {
    TimerWheel wheel(64, 1'000'000);
    for (uint32_t i = 0; i < 64; ++i)
        wheel.arm(i, 1'000'000 + i * 250'000); // spread over 16 s, several turns
    uint32_t fired = 0;
    std::vector<bool> seen(64, false);
    fired += wheel.sweep(60'000'000, [&](uint32_t id) { seen[id] = true; });
    CHECK(fired == 64);
    for (bool s : seen)
        CHECK(s);
}

TEST_CASE("a callback may re-arm its own timer", "[tcp][timer]") {
    TimerWheel wheel(1, 0);
    wheel.arm(0, 1'000);
    uint32_t fires = 0;
    auto rearm = [&](uint32_t id) {
        ++fires;
        wheel.arm(id, wheel.deadline(id) + 10'000);
    };
    wheel.sweep(1'000, rearm);
    CHECK(wheel.armed(0));
    CHECK(wheel.deadline(0) == 11'000);
    wheel.sweep(10'999, rearm);
    CHECK(fires == 1);
    wheel.sweep(11'000, rearm);
    CHECK(fires == 2);
}

TEST_CASE("an already-due deadline fires on the next sweep", "[tcp][timer]") {
    TimerWheel wheel(1, 50'000);
    wheel.arm(0, 10'000); // in the past
    CHECK(wheel.sweep(51'000, [](uint32_t) {}) == 1);
}

} // namespace ringcast::tcp
