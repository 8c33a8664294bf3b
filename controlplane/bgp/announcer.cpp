#include "controlplane/bgp/announcer.h"

#include "controlplane/bgp/atomic_file.h"

#include <ctime>
#include <fmt/format.h>

namespace ringcast::bgp {
namespace {

// Uptimes are whole seconds, polled a few seconds apart: below this, a difference is rounding.
constexpr int64_t kUptimeSlackSeconds = 2;

using nlohmann::json;

int64_t ms_until(Announcer::Clock::time_point then, Announcer::Clock::time_point now) {
    return std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(then - now).count());
}

} // namespace

const char* announce_state_name(AnnounceState state) {
    switch (state) {
    case AnnounceState::withdrawn:
        return "withdrawn";
    case AnnounceState::announced:
        return "announced";
    case AnnounceState::draining:
        return "draining";
    }
    return "?";
}

Announcer::Announcer(const config::BgpConfig& config, Sidecar& sidecar, std::string state_file,
                     Logger logger)
    : config_(config), sidecar_(sidecar), logger_(std::move(logger)),
      state_file_(std::move(state_file)) {
    std::string problem;
    if (!load_state(problem)) error(fmt::format("{}; starting undrained", problem));
    if (drain_) info(fmt::format("drained (from {}): not announcing until undrain", state_file_));
}

bool Announcer::load_state(std::string& problem) {
    std::string text;
    bool missing = false;
    if (!read_whole_file(state_file_, text, missing, problem)) return false;
    if (missing) return true;
    const json state = json::parse(text, nullptr, false);
    if (!state.is_object() || !state.contains("drain") || !state["drain"].is_boolean()) {
        problem = fmt::format("{}: not a ringcast BGP state file", state_file_);
        return false;
    }
    drain_ = state["drain"].get<bool>();
    return true;
}

bool Announcer::set_drain(bool drain, Clock::time_point now, std::string& problem) {
    if (!write_file_atomically(state_file_, json{{"drain", drain}}.dump() + "\n", problem))
        return false;
    if (drain_ != drain) {
        drain_ = drain;
        info(drain ? "drain requested" : "undrain requested");
        if (!drain) eligible_since_ = now;
    }
    tick(now);
    return true;
}

void Announcer::set_health(const HealthView& health, Clock::time_point now) {
    if (health.healthy && !health_.healthy) healthy_since_ = now;
    if (health.healthy != health_.healthy || health.reason != health_.reason)
        info(health.healthy ? "health passes" : fmt::format("health fails: {}", health.reason));
    health_ = health;
    tick(now);
}

void Announcer::set_session(const SessionInfo& session, Clock::time_point now) {
    bool came_up =
        session.state == SessionState::established && session_.state != SessionState::established;
    // Established at both polls, but younger than the last one plus the time since: it went
    // down and up in between (a restarted ExaBGP or gobgpd, with an empty RIB).
    if (!came_up && session.state == SessionState::established && session.uptime_seconds >= 0 &&
        session_.uptime_seconds >= 0) {
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::seconds>(now - session_seen_).count();
        if (session.uptime_seconds + kUptimeSlackSeconds < session_.uptime_seconds + elapsed)
            came_up = true;
    }
    session_ = session;
    session_seen_ = now;
    if (came_up && applied_once_) {
        sidecar_.resync();
        apply(state_, now);
    }
}

void Announcer::dataplane_down(Clock::time_point now) {
    health_ = HealthView{false, false, "the dataplane is down"};
    if (state_ != AnnounceState::withdrawn || !applied_once_) {
        info("the dataplane is down: withdrawing at once");
        apply(AnnounceState::withdrawn, now);
    }
}

void Announcer::withdraw_now(Clock::time_point now) {
    apply(AnnounceState::withdrawn, now);
}

bool Announcer::apply(AnnounceState target, Clock::time_point now) {
    std::vector<Announcement> batch;
    if (target != AnnounceState::withdrawn)
        for (const config::BgpPrefix& p : config_.prefixes)
            batch.push_back(announcement_for(p, target == AnnounceState::draining));
    last_apply_ = sidecar_.apply(batch);
    last_apply_unix_ = static_cast<int64_t>(std::time(nullptr));
    if (!last_apply_.ok) {
        ++apply_failures_;
        retry_at_ = now + kApplyRetry;
        error(fmt::format("{} -> {} failed: {}", announce_state_name(state_),
                          announce_state_name(target), last_apply_.error));
        return false;
    }
    retry_at_.reset();
    if (state_ != target || !applied_once_)
        info(fmt::format("{} -> {} ({})", announce_state_name(state_), announce_state_name(target),
                         last_apply_.detail));
    if (target == AnnounceState::withdrawn && state_ != AnnounceState::withdrawn)
        eligible_since_ = now;
    if (target == AnnounceState::draining && state_ != AnnounceState::draining)
        drain_until_ = now + std::chrono::seconds(config_.drain_seconds);
    state_ = target;
    applied_once_ = true;
    return true;
}

void Announcer::tick(Clock::time_point now) {
    if (retry_at_ && now < *retry_at_) return;
    const bool guarded =
        !health_.healthy && health_.global_failure_suspected && config_.global_withdrawal_guard;
    if (guarded != guard_active_)
        info(guarded ? fmt::format("global-withdrawal guard: staying as we are although "
                                   "health fails ({}): it looks like it fails on every PoP",
                                   health_.reason)
                     : "global-withdrawal guard released");
    guard_active_ = guarded;
    const bool serve = health_.healthy || guarded;
    const auto hold_down = std::chrono::seconds(config_.hold_down_seconds);

    AnnounceState target = state_;
    switch (state_) {
    case AnnounceState::withdrawn:
        // The guard never brings a withdrawn PoP back: only passing health does.
        if (health_.healthy && !drain_ && now >= healthy_since_ + hold_down &&
            now >= eligible_since_ + hold_down)
            target = AnnounceState::announced;
        break;
    case AnnounceState::announced:
        if (!serve)
            target = AnnounceState::withdrawn;
        else if (drain_)
            target = AnnounceState::draining;
        break;
    case AnnounceState::draining:
        if (!serve || now >= drain_until_)
            target = AnnounceState::withdrawn;
        else if (!drain_ && health_.healthy)
            target = AnnounceState::announced;
        break;
    }
    if (target != state_ || !applied_once_ || retry_at_) apply(target, now);
}

std::optional<Announcer::Clock::time_point> Announcer::next_wakeup() const {
    if (retry_at_) return retry_at_;
    const auto hold_down = std::chrono::seconds(config_.hold_down_seconds);
    switch (state_) {
    case AnnounceState::withdrawn:
        if (health_.healthy && !drain_)
            return std::max(healthy_since_ + hold_down, eligible_since_ + hold_down);
        return std::nullopt;
    case AnnounceState::draining:
        return drain_until_;
    case AnnounceState::announced:
        return std::nullopt;
    }
    return std::nullopt;
}

json Announcer::status(Clock::time_point now) const {
    json prefixes = json::array();
    for (const config::BgpPrefix& p : config_.prefixes)
        prefixes.push_back({{"prefix", p.prefix}, {"state", announce_state_name(state_)}});
    json out{{"sidecar", sidecar_.name()},
             {"state", announce_state_name(state_)},
             {"drain", drain_},
             {"prefixes", prefixes},
             {"session", {{"state", session_state_name(session_.state)}, {"info", session_.info}}},
             {"health", {{"healthy", health_.healthy}, {"reason", health_.reason}}},
             {"guard",
              {{"enabled", config_.global_withdrawal_guard},
               {"active", guard_active_},
               {"reason", guard_active_ ? health_.reason : ""}}},
             {"apply_failures", apply_failures_},
             {"drain_seconds", config_.drain_seconds},
             {"hold_down_seconds", config_.hold_down_seconds}};
    if (state_ == AnnounceState::draining) out["drain_remaining_ms"] = ms_until(drain_until_, now);
    if (state_ == AnnounceState::withdrawn && health_.healthy && !drain_)
        if (auto wake = next_wakeup()) out["announce_in_ms"] = ms_until(*wake, now);
    if (last_apply_unix_ != 0)
        out["last_apply"] = {{"ok", last_apply_.ok},
                             {"unix", last_apply_unix_},
                             {"error", last_apply_.error},
                             {"detail", last_apply_.detail}};
    return out;
}

} // namespace ringcast::bgp
