// A skewed query stream for the micro-benchmark. Real resolver traffic to an authoritative
// server is heavy-tailed: a few names take most queries (Zipf-like popularity, exponent near 1
// in published DNS traces), so the hot part of the snapshot stays in cache. The generator's mix
// (bench/gen_zone.py) draws names uniformly, the worst case; this reshapes it.
#pragma once

#include "bench/micro/query_frames.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ringcast::bench {

// Popularity exponent used when none is given: rank r is asked with weight 1 / r^s.
inline constexpr double kDefaultZipfExponent = 1.0;
// Draws per distinct query: enough that every popular name recurs many times in one pass.
inline constexpr size_t kSkewedDrawsPerQuery = 10;
// Fixed, so two runs (and the before/after builds) answer the very same stream.
inline constexpr uint64_t kSkewedSeed = 0x5a1f5a1f;

// `draws` queries drawn from `frames` with Zipf popularity of exponent `exponent`, where the
// rank of a query is its position in `frames` (the generator's order is already random). The
// frames are copied in draw order, so the hot loop reads its input sequentially exactly as it
// does for the uniform mix, and only the snapshot accesses differ.
std::vector<QueryFrame> zipf_mix(const std::vector<QueryFrame>& frames, double exponent,
                                 size_t draws);

} // namespace ringcast::bench
