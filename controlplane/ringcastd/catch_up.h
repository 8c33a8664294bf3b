// What the dataplane serves, as against what ringcastd has compiled, and the catch-up that
// closes the gap. A dataplane (re)started on an older snapshot than the one adopted since (a
// reload committed while it was starting) is sent `load` until it takes the compiled one: a
// failed load is retried after a doubling delay (backoff.h), never given up, because a PoP
// serving stale zones is exactly what the catch-up exists to end. This is the bookkeeping; the
// daemon sends the loads and runs the timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ringcast::daemon {

inline constexpr auto kFirstCatchUpRetry = std::chrono::milliseconds(500);
inline constexpr auto kMaxCatchUpRetry = std::chrono::seconds(15);

// A snapshot and the content snapshot served with it.
struct Generations {
    uint64_t snapshot = 0;
    uint64_t content = 0;
    bool operator==(const Generations&) const = default;
};

class CatchUp {
  public:
    using Clock = std::chrono::steady_clock;

    // The dataplane answered its first status: it serves `serving`.
    void dataplane_ready(Generations serving);
    // The dataplane is gone: it serves nothing until the next dataplane_ready().
    void dataplane_down();
    // A load the dataplane acknowledged (a reload's or a catch-up's): it serves `serving` now.
    void loaded(Generations serving);
    // A catch-up load failed with `error` at `now`. Returns the delay before the next attempt.
    std::chrono::milliseconds failed(const std::string& error, Clock::time_point now);

    // Whether a running dataplane serves other than `compiled`: a catch-up load is due.
    bool pending(Generations compiled) const { return serving_ && !(*serving_ == compiled); }
    // What the dataplane serves; nullopt while none runs.
    std::optional<Generations> serving() const { return serving_; }
    // Catch-up loads failed in a row (0 once one succeeds or the dataplane restarts).
    unsigned failures() const { return failures_; }

    // For status: {"serving_generation", "serving_content_generation" (null when no dataplane
    // runs), "catch_up_pending", and while pending "catch_up_failures", "catch_up_last_error",
    // "catch_up_next_attempt_in_ms"}.
    nlohmann::json to_json(Generations compiled, Clock::time_point now) const;

  private:
    void now_serving(std::optional<Generations> serving); // a new start: no failures yet

    std::optional<Generations> serving_;
    unsigned failures_ = 0;
    std::string last_error_;
    Clock::time_point next_attempt_{};
};

} // namespace ringcast::daemon
