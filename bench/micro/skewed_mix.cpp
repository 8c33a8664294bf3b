#include "bench/micro/skewed_mix.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace ringcast::bench {

std::vector<QueryFrame> zipf_mix(const std::vector<QueryFrame>& frames, double exponent,
                                 size_t draws) {
    // Inverse-CDF sampling over the ranks: setup code, so the O(n) table is fine.
    std::vector<double> cdf(frames.size());
    double total = 0;
    for (size_t rank = 0; rank < frames.size(); ++rank) {
        total += 1.0 / std::pow(static_cast<double>(rank + 1), exponent);
        cdf[rank] = total;
    }
    std::mt19937_64 rng(kSkewedSeed);
    std::uniform_real_distribution<double> uniform(0.0, total);
    std::vector<QueryFrame> out;
    out.reserve(draws);
    for (size_t i = 0; i < draws; ++i) {
        const auto it = std::lower_bound(cdf.begin(), cdf.end(), uniform(rng));
        const size_t rank = std::min(static_cast<size_t>(it - cdf.begin()), frames.size() - 1);
        out.push_back(frames[rank]);
    }
    return out;
}

} // namespace ringcast::bench
