// Announce states of the PoP's prefix set (all [bgp] prefixes move together):
//
//   withdrawn --healthy, not drained, for hold_down_seconds--> announced
//   announced --drain--> draining (65535:0 + drain prepends, RFC 8326) --drain_seconds--> withdrawn
//   draining --undrain and healthy--> announced
//   announced/draining --unhealthy (not guarded) or dataplane died--> withdrawn at once
//
// The hold-down runs from the latest of: health passing, undrain, withdrawal. A failure that
// looks global (HealthView::global_failure_suspected) with the guard on keeps the prefixes
// announced and says so (guard_active). Every transition is one apply() of the whole batch; a
// failed apply is retried every kApplyRetry. The drain flag lives in a state file (atomic
// write) so it survives restarts.
#pragma once

#include "controlplane/bgp/health_view.h"
#include "controlplane/bgp/sidecar.h"

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>

namespace ringcast::bgp {

inline constexpr auto kApplyRetry = std::chrono::seconds(2);

enum class AnnounceState { withdrawn, announced, draining };
const char* announce_state_name(AnnounceState state);

class Announcer {
  public:
    using Clock = std::chrono::steady_clock;
    // Where transitions and problems are told: level "info" or "error", one line each.
    using Logger = std::function<void(std::string_view level, const std::string& message)>;

    // Reads the drain flag from `state_file` (missing: not drained).
    Announcer(const config::BgpConfig& config, Sidecar& sidecar, std::string state_file,
              Logger logger);

    // Runs the state machine: at most one apply. Call on every input change and at
    // next_wakeup().
    void tick(Clock::time_point now);
    void set_health(const HealthView& health, Clock::time_point now);
    // Persists the flag first; false (nothing changed) if the state file cannot be written.
    bool set_drain(bool drain, Clock::time_point now, std::string& problem);
    // The dataplane is gone: withdraw at once (no drain, no guard: the PoP cannot answer).
    void dataplane_down(Clock::time_point now);
    // ringcastd is stopping: withdraw now, whatever the state.
    void withdraw_now(Clock::time_point now);
    // The session's state as last polled. When it becomes established the current state is
    // applied again in full (Sidecar::resync): the daemon may have restarted without it.
    void set_session(const SessionInfo& session, Clock::time_point now);

    std::optional<Clock::time_point> next_wakeup() const;
    AnnounceState state() const { return state_; }
    bool drained() const { return drain_; }
    bool guard_active() const { return guard_active_; }
    const SessionInfo& session() const { return session_; }
    uint64_t apply_failures() const { return apply_failures_; }
    const config::BgpConfig& config() const { return config_; }
    nlohmann::json status(Clock::time_point now) const;

  private:
    bool apply(AnnounceState target, Clock::time_point now);
    bool load_state(std::string& problem);

    void info(const std::string& message) const { logger_("info", "bgp: " + message); }
    void error(const std::string& message) const { logger_("error", "bgp: " + message); }

    config::BgpConfig config_;
    Sidecar& sidecar_;
    Logger logger_;
    std::string state_file_;
    AnnounceState state_ = AnnounceState::withdrawn;
    bool applied_once_ = false; // the sidecar's state is unknown until the first apply
    bool drain_ = false;
    HealthView health_;
    bool guard_active_ = false;
    SessionInfo session_;
    Clock::time_point session_seen_{}; // when session_ was polled
    Clock::time_point healthy_since_{};
    Clock::time_point eligible_since_{}; // undrain or withdrawal: the hold-down restarts
    Clock::time_point drain_until_{};
    std::optional<Clock::time_point> retry_at_;
    uint64_t apply_failures_ = 0;
    ApplyResult last_apply_;
    int64_t last_apply_unix_ = 0;
};

} // namespace ringcast::bgp
