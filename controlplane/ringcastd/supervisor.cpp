#include "controlplane/ringcastd/supervisor.h"

#include "controlplane/ringcastd/dataplane_process.h"
#include "controlplane/ringcastd/log.h"
#include "controlplane/ringcastd/restart_policy.h"
#include "controlplane/ringcastd/xdp_detach.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <sys/wait.h>

namespace ringcast::daemon {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string describe_exit(int status) {
    if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return fmt::format("killed by signal {} ({})", WTERMSIG(status),
                           strsignal(WTERMSIG(status)));
    return fmt::format("stopped (wait status {:#x})", status);
}

int64_t seconds_since(EventLoop::Clock::time_point then) {
    return std::chrono::duration_cast<std::chrono::seconds>(EventLoop::Clock::now() - then).count();
}

} // namespace

Supervisor::Supervisor(EventLoop& loop, const config::Config& config, DataplaneFiles files,
                       Hooks hooks)
    : loop_(loop), config_(config), files_(std::move(files)), hooks_(std::move(hooks)),
      control_path_((fs::path(config.runtime_dir) / "dataplane.sock").string()),
      stats_path_((fs::path(config.runtime_dir) / "stats").string()),
      control_(loop, [this](const std::string& reason) { on_control_broken(reason); }) {}

void Supervisor::on_control_broken(const std::string& reason) {
    if (state_ != State::running && state_ != State::starting) return;
    // A dataplane that dies closes its socket a moment before it can be reaped: give SIGCHLD
    // the chance to report the real exit before calling it a hang.
    loop_.cancel(kill_timer_);
    kill_timer_ = loop_.after(kBrokenSocketGrace, [this, reason] {
        kill_timer_ = 0;
        kill_child(fmt::format("control socket: {}", reason));
    });
}

Supervisor::~Supervisor() {
    cancel_timers();
}

const char* Supervisor::state_name(State state) {
    switch (state) {
    case State::idle:
        return "idle";
    case State::starting:
        return "starting";
    case State::running:
        return "running";
    case State::backoff:
        return "waiting to restart";
    case State::stopping:
        return "stopping";
    case State::stopped:
        return "stopped";
    }
    return "?";
}

void Supervisor::cancel_timers() {
    loop_.cancel(timer_);
    loop_.cancel(kill_timer_);
}

DataplaneControl* Supervisor::control() {
    return state_ == State::running && control_.connected() ? &control_ : nullptr;
}

void Supervisor::start() {
    cancel_timers();
    // A dataplane killed with SIGKILL leaves its XDP program on the interface: clear it, on the
    // configured interfaces only, and never a program that is not ringcast's.
    for (const std::string& ifname : af_xdp_interfaces(config_.dataplane.ports)) {
        std::string error;
        DetachResult result;
        if (!detach_own_xdp(ifname, files_.xdp_program.empty(), result, error)) {
            log::error("{}", error);
            continue;
        }
        if (result.detached > 0)
            log::info("{}: detached {} XDP program(s) left by the previous dataplane", ifname,
                      result.detached);
        for (const std::string& program : result.left)
            log::error("{}: XDP program {} is not ringcast's: left attached (the dataplane "
                       "cannot attach its own until it is removed)",
                       ifname, program);
    }
    // The old socket file would let us "connect" to nothing (ECONNREFUSED) or, worse, look ready.
    unlink(control_path_.c_str());
    last_status_ = json();
    unhealthy_checks_ = 0;
    kill_reason_.clear();

    auto launch = dataplane_command(config_, files_, snapshot_path_, content_path_, stats_path_,
                                    control_path_);
    log::info("PoP {}: starting {}", config_.pop_name, fmt::join(launch.argv, " "));
    std::string error;
    pid_ = spawn_dataplane(launch, error);
    if (pid_ < 0) {
        log::error("cannot start the dataplane: {}", error);
        last_exit_ = fmt::format("could not be started: {}", error);
        last_exit_unix_ = std::time(nullptr);
        schedule_restart();
        return;
    }
    state_ = State::starting;
    started_ = EventLoop::Clock::now();
    start_deadline_ = started_ + kDataplaneStartTimeout;
    timer_ = loop_.after(kConnectPollInterval, [this] { try_connect(); });
}

void Supervisor::try_connect() {
    timer_ = 0;
    if (state_ != State::starting) return;
    std::string error;
    if (!control_.connect(control_path_, error)) {
        if (EventLoop::Clock::now() > start_deadline_)
            return kill_child(fmt::format("no control socket after {} s",
                                          std::chrono::seconds(kDataplaneStartTimeout).count()));
        timer_ = loop_.after(kConnectPollInterval, [this] { try_connect(); });
        return;
    }
    // Connected; it is "running" once it has answered one status request.
    control_.request(json{{"cmd", "status"}}, kStatusTimeout,
                     [this](const json& reply, const std::string& error) {
                         if (!error.empty() || state_ != State::starting) return;
                         if (!reply.value("ok", false))
                             return kill_child(
                                 fmt::format("status refused: {}", reply.value("error", "?")));
                         last_status_ = reply;
                         state_ = State::running;
                         running_since_ = EventLoop::Clock::now();
                         log::info("dataplane pid {} is answering on {} (generation {})", pid_,
                                   control_path_, reply.value("generation", uint64_t{0}));
                         timer_ = loop_.after(kHealthCheckInterval, [this] { health_check(); });
                         if (hooks_.on_ready) hooks_.on_ready(reply);
                     });
}

void Supervisor::health_check() {
    timer_ = loop_.after(kHealthCheckInterval, [this] { health_check(); });
    if (state_ != State::running) return;
    if (EventLoop::Clock::now() - running_since_ > kHealthyResetAfter) consecutive_failures_ = 0;
    // A request already in flight (a load, stats) is timed by the control connection itself.
    if (control_.outstanding() > 0) return;
    control_.request(json{{"cmd", "status"}}, kStatusTimeout,
                     [this](const json& reply, const std::string& error) {
                         if (!error.empty() || state_ != State::running) return;
                         last_status_ = reply;
                         if (reply.value("healthy", true)) {
                             unhealthy_checks_ = 0;
                             return;
                         }
                         if (++unhealthy_checks_ >= kUnhealthyChecksBeforeRestart)
                             kill_child(
                                 fmt::format("lcore(s) {} stopped advancing",
                                             reply.value("stalled_lcores", json::array()).dump()));
                     });
}

void Supervisor::kill_child(const std::string& reason) {
    if (pid_ <= 0 || !kill_reason_.empty()) return;
    kill_reason_ = reason;
    log::error("dataplane pid {}: {}; killing it", pid_, reason);
    control_.close(reason);
    kill(pid_, SIGKILL);
    if (state_ != State::stopping && hooks_.on_down) hooks_.on_down();
    // Reaped in on_sigchld(), which schedules the restart.
}

void Supervisor::schedule_restart() {
    ++consecutive_failures_;
    const auto delay = restart_delay(consecutive_failures_);
    state_ = State::backoff;
    next_restart_ = std::chrono::system_clock::now() + delay;
    log::info("restarting the dataplane in {} ms", delay.count());
    timer_ = loop_.after(delay, [this] {
        timer_ = 0;
        ++restarts_;
        start();
    });
}

void Supervisor::on_sigchld() {
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(-1, &status, WNOHANG);
        if (done <= 0) return;
        if (done != pid_) continue; // not ours (cannot happen today; reaped anyway)
        pid_ = -1;
        cancel_timers();
        control_.close("the dataplane exited");
        last_exit_ = kill_reason_.empty() ? describe_exit(status)
                                          : fmt::format("killed by ringcastd: {}", kill_reason_);
        last_exit_unix_ = std::time(nullptr);
        kill_reason_.clear();
        if (state_ == State::stopping) {
            log::info("dataplane stopped ({})", last_exit_);
            state_ = State::stopped;
            if (hooks_.on_stopped) hooks_.on_stopped();
            return;
        }
        log::error("dataplane {}", last_exit_);
        if (hooks_.on_down) hooks_.on_down();
        schedule_restart();
    }
}

void Supervisor::stop() {
    if (state_ == State::stopping || state_ == State::stopped) return;
    cancel_timers();
    control_.close("ringcastd is stopping");
    if (pid_ <= 0) {
        state_ = State::stopped;
        if (hooks_.on_stopped) hooks_.on_stopped();
        return;
    }
    state_ = State::stopping;
    log::info("stopping the dataplane (pid {})", pid_);
    kill(pid_, SIGTERM);
    timer_ = loop_.after(kDataplaneStopGrace, [this] {
        timer_ = 0;
        if (pid_ <= 0) return;
        log::error("dataplane did not stop within {} s; killing it",
                   std::chrono::seconds(kDataplaneStopGrace).count());
        kill(pid_, SIGKILL);
    });
}

json Supervisor::status() const {
    json out{{"state", state_name(state_)},
             {"restarts", restarts_},
             {"healthy", state_ == State::running && last_status_.value("healthy", false)}};
    if (pid_ > 0) out["pid"] = pid_;
    if (state_ == State::running) out["uptime_seconds"] = seconds_since(running_since_);
    if (state_ == State::backoff)
        out["next_restart_in_ms"] =
            std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                     next_restart_ - std::chrono::system_clock::now())
                                     .count());
    if (!last_exit_.empty()) {
        out["last_exit"] = last_exit_;
        out["last_exit_unix"] = last_exit_unix_;
    }
    out["control_socket"] = control_path_;
    if (last_status_.is_object()) {
        for (const char* key : {"generation", "created_unix", "lcores", "ports", "stalled_lcores",
                                "content", "tcp_connections_open"})
            if (last_status_.contains(key)) out[key] = last_status_[key];
    }
    return out;
}

} // namespace ringcast::daemon
