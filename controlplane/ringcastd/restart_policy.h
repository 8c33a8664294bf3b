// When to restart a dataplane that died: exponential backoff so a dataplane that cannot start
// (a NIC gone, a bad EAL argument) does not spin, reset once it has run healthily for a while.
#pragma once

#include "controlplane/ringcastd/backoff.h"

#include <chrono>

namespace ringcast::daemon {

inline constexpr auto kFirstRestartDelay = std::chrono::seconds(1);
inline constexpr auto kMaxRestartDelay = std::chrono::seconds(30);
// A dataplane healthy this long is "fixed": the next failure starts the backoff over.
inline constexpr auto kHealthyResetAfter = std::chrono::seconds(60);

// Delay before restart number `failures` in a row (1 for the first failure): 1 s, 2 s, 4 s...
// capped at kMaxRestartDelay.
constexpr std::chrono::milliseconds restart_delay(unsigned failures) {
    return doubling_delay(failures, kFirstRestartDelay, kMaxRestartDelay);
}

} // namespace ringcast::daemon
