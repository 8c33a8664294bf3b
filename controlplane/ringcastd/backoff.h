// A delay that doubles with each failure in a row, from `first` up to `cap`: how ringcastd
// spaces out attempts that keep failing (restarting the dataplane, a catch-up load), so a
// persistent fault neither spins nor waits long once it clears.
#pragma once

#include <algorithm>
#include <chrono>

namespace ringcast::daemon {

// The delay before attempt number `failures` + 1 (1 for the first failure): first, 2 first,
// 4 first... capped at `cap`.
constexpr std::chrono::milliseconds
doubling_delay(unsigned failures, std::chrono::milliseconds first, std::chrono::milliseconds cap) {
    std::chrono::milliseconds delay = first;
    for (unsigned i = 1; i < failures && delay < cap; ++i)
        delay *= 2;
    return std::min(delay, cap);
}

} // namespace ringcast::daemon
