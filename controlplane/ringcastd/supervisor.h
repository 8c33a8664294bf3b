// Runs ringcast-dataplane and keeps it running. A dataplane that exits, stops answering its
// control socket, or reports a stalled lcore is killed (SIGKILL) and started again after a
// backoff (restart_policy.h), on the snapshot ringcastd currently serves. Restarts, the last exit
// reason and the dataplane's own status are reported by status().
//
//   starting --control socket answers--> running --exit / hang / stall--> backoff --> starting
//   any --stop()--> stopping --exit--> stopped
#pragma once

#include "controlplane/config/config.h"
#include "controlplane/ringcastd/dataplane_control.h"
#include "controlplane/ringcastd/dataplane_process.h"
#include "controlplane/ringcastd/event_loop.h"

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>

namespace ringcast::daemon {

// How long a new dataplane may take to open its control socket (EAL, ports, XDP program).
inline constexpr auto kDataplaneStartTimeout = std::chrono::seconds(60);
inline constexpr auto kConnectPollInterval = std::chrono::milliseconds(100);
inline constexpr auto kHealthCheckInterval = std::chrono::seconds(1);
// A status request unanswered this long means a hung dataplane: it is killed and restarted.
inline constexpr auto kStatusTimeout = std::chrono::seconds(3);
// healthy=false in this many status replies in a row (an lcore stopped advancing) -> restart.
inline constexpr unsigned kUnhealthyChecksBeforeRestart = 3;
inline constexpr auto kDataplaneStopGrace = std::chrono::seconds(10);
// After the control connection breaks, how long to wait for the child's exit before killing it.
inline constexpr auto kBrokenSocketGrace = std::chrono::seconds(1);

class Supervisor {
  public:
    struct Hooks {
        // The control socket answered its first status: `status` is the dataplane's reply.
        std::function<void(const nlohmann::json& status)> on_ready;
        // The dataplane is gone for good after stop().
        std::function<void()> on_stopped;
        // A running or starting dataplane failed (exited, or is being killed for a hang or a
        // stall): it serves nothing from now until the next on_ready.
        std::function<void()> on_down;
    };

    Supervisor(EventLoop& loop, const config::Config& config, DataplaneFiles files, Hooks hooks);
    ~Supervisor();

    // The snapshot the next start uses (the one ringcastd currently serves).
    void set_snapshot(const std::string& path) { snapshot_path_ = path; }
    void set_content(const std::string& path) { content_path_ = path; }
    void start();
    void stop();
    void on_sigchld(); // reaps the child

    // The control connection, or nullptr unless the dataplane is running and answering.
    DataplaneControl* control();
    bool running() const { return state_ == State::running; }
    pid_t pid() const { return pid_; }
    unsigned restarts() const { return restarts_; }
    const nlohmann::json& last_status() const { return last_status_; }

    nlohmann::json status() const;

  private:
    enum class State { idle, starting, running, backoff, stopping, stopped };
    static const char* state_name(State state);

    void try_connect();
    void health_check();
    void kill_child(const std::string& reason);
    void on_control_broken(const std::string& reason);
    void schedule_restart();
    void cancel_timers();

    EventLoop& loop_;
    const config::Config& config_;
    DataplaneFiles files_;
    Hooks hooks_;
    std::string snapshot_path_;
    std::string content_path_;
    std::string control_path_;
    std::string stats_path_;
    DataplaneControl control_;

    State state_ = State::idle;
    pid_t pid_ = -1;
    EventLoop::TimerId timer_ = 0; // connect poll, health check, restart or stop grace
    EventLoop::TimerId kill_timer_ = 0;
    EventLoop::Clock::time_point start_deadline_{};
    EventLoop::Clock::time_point started_{};       // spawn time of the current dataplane
    EventLoop::Clock::time_point running_since_{}; // control socket first answered
    std::chrono::system_clock::time_point next_restart_{};
    unsigned restarts_ = 0;
    unsigned consecutive_failures_ = 0;
    unsigned unhealthy_checks_ = 0;
    std::string kill_reason_; // why ringcastd killed the current child, if it did
    std::string last_exit_;
    int64_t last_exit_unix_ = 0;
    nlohmann::json last_status_; // the dataplane's last status reply
};

} // namespace ringcast::daemon
