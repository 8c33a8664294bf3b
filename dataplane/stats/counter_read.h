// Reading an lcore's counters from another thread (the control socket, the stats file, DPDK
// telemetry). Each counter has exactly one writer, its own lcore, which increments it with plain
// adds: a per-packet atomic read-modify-write would cost a locked instruction for nothing. The
// reader is the one that must not see a torn or compiler-cached value, so every cross-thread read
// goes through here as a relaxed atomic load of each 64-bit word (C++20 std::atomic_ref).
// Relaxed suffices: counters are independent monotonic values, and no other data is published
// through them.
#pragma once

#include "dataplane/stats/counters.h"

namespace ringcast::stats {

// A copy of `live`, which another thread may be incrementing meanwhile.
LcoreCounters read_live_counters(const LcoreCounters& live);

// `total` += a copy of `live` read as read_live_counters() does.
void add_live_counters(LcoreCounters& total, const LcoreCounters& live);

} // namespace ringcast::stats
