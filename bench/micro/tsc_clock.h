// Cycle counting without EAL: rte_rdtsc() is an inline instruction wrapper, but rte_get_tsc_hz()
// needs rte_eal_init(), so the TSC rate is calibrated here against CLOCK_MONOTONIC_RAW instead.
#pragma once

#include <cstdint>
#include <ctime>
#include <rte_cycles.h>

namespace ringcast::bench {

// Long enough that clock_gettime's own cost (tens of ns) is noise, short enough to not matter.
inline constexpr uint64_t kTscCalibrationNs = 200'000'000;

inline uint64_t monotonic_raw_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// TSC ticks per second, measured by spinning for kTscCalibrationNs.
inline double calibrate_tsc_hz() {
    const uint64_t ns0 = monotonic_raw_ns();
    const uint64_t tsc0 = rte_rdtsc();
    uint64_t ns1 = ns0;
    while (ns1 - ns0 < kTscCalibrationNs)
        ns1 = monotonic_raw_ns();
    const uint64_t tsc1 = rte_rdtsc();
    return static_cast<double>(tsc1 - tsc0) * 1e9 / static_cast<double>(ns1 - ns0);
}

} // namespace ringcast::bench
