// ringcastd's state and the operations the admin commands, signals and the metrics endpoint
// drive: status, zones, stats, reload, stop. Everything runs on the event loop's thread except
// the zone compile (compile_worker.h).
#pragma once

#include "controlplane/bgp/announcer.h"
#include "controlplane/config/config.h"
#include "controlplane/health/scheduler.h"
#include "controlplane/ringcastd/admin_server.h"
#include "controlplane/ringcastd/catch_up.h"
#include "controlplane/ringcastd/compile_worker.h"
#include "controlplane/ringcastd/event_loop.h"
#include "controlplane/ringcastd/health_reactor.h"
#include "controlplane/ringcastd/metrics_server.h"
#include "controlplane/ringcastd/reload_tally.h"
#include "controlplane/ringcastd/supervisor.h"
#include "controlplane/ringcastd/zone_set.h"
#include "dataplane/util/unique_fd.h"

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ringcast::daemon {

// Loading, verifying and publishing a snapshot in the dataplane; generous for big zones.
inline constexpr auto kLoadTimeout = std::chrono::seconds(60);
inline constexpr auto kStatsTimeout = std::chrono::seconds(5);
// How often the announcer looks at the dataplane's health, and at the BGP session.
inline constexpr auto kBgpTickInterval = std::chrono::milliseconds(250);
inline constexpr auto kBgpSessionPollInterval = std::chrono::seconds(5);
// A BGP watchdog that exited is started again after this long.
inline constexpr auto kWatchdogRestartDelay = std::chrono::seconds(1);

// Who asked for a reload: an admin client (which may want progress lines) or SIGHUP (the log).
struct ReloadObserver {
    std::function<void(const std::string& message)> progress;
    std::function<void(const nlohmann::json& reply)> done;
};

class Daemon {
  public:
    Daemon(config::Config config, DataplaneFiles dataplane_files);
    ~Daemon();

    // Start-up: sockets, signals, the first compile (errors on stderr), the dataplane; then the
    // loop until stopped. Returns the process exit code.
    int run();

    // For the admin commands (admin_commands.cpp).
    nlohmann::json status() const;
    nlohmann::json zones() const;
    void stats(std::function<void(const nlohmann::json& reply)> done);
    // origin empty: re-read the configuration and every zone.
    void reload(const std::string& origin, ReloadObserver observer);
    void stop(const Responder& responder);
    // drain / undrain: the reply (the BGP status, or why not).
    nlohmann::json set_drain(bool drain);

  private:
    struct Snapshot {
        uint64_t generation = 0;
        std::string path;
        int64_t created_unix = 0;
        size_t bytes = 0;
    };
    struct LastReload {
        bool ok = false;
        int64_t finished_unix = 0;
        int64_t duration_ms = 0;
        std::string what; // "reload" or "reload-zone example.net."
        std::string error;
    };

    nlohmann::json content_json() const;
    nlohmann::json dataplane_json() const;
    std::string content_path(uint64_t generation) const;
    nlohmann::json load_request() const; // the dataplane's `load` for what is served now
    bool setup_signals(std::string& error);
    void on_signal();
    bool initial_compile();
    void begin_shutdown(const std::string& why);
    void on_dataplane_ready(const nlohmann::json& status);
    void assign_exception_addresses(); // onto the new dataplane's TAP ([dataplane] config)
    void on_dataplane_down();
    void on_dataplane_stopped();
    // Loads the compiled snapshot into a dataplane that serves another one, and again after a
    // backoff while that fails (catch_up.h).
    void catch_up();
    Generations compiled() const; // snapshot_ and content_: what the dataplane should serve
    void on_compiled(ReloadOutcome outcome, ReloadObserver observer,
                     std::optional<config::Config> fresh, std::vector<std::string> warnings);
    void commit(ReloadOutcome& outcome, std::optional<config::Config>& fresh);
    void finish_reload(const ReloadObserver& observer, const nlohmann::json& reply);
    // A reload request refused before anything ran (busy, unknown zone, bad configuration,
    // stopping): counted and logged like a reload that failed, then answered.
    void refuse_reload(const ReloadObserver& observer, const std::string& what,
                       const nlohmann::json& reply);
    void remove_stale_snapshots() const;
    uint64_t next_generation() const;
    std::string snapshot_path(uint64_t generation) const;
    void metrics_page(std::function<void(std::string)> deliver);
    std::string daemon_metrics() const;
    bool start_health(std::string& error);
    void on_health_changed(const health::HealthReport& report);

    // BGP (absent [bgp]: none of it runs).
    bool start_bgp(std::string& error);
    void bgp_tick();
    void poll_bgp_session();
    bool spawn_watchdog(std::string& error);
    void on_watchdog_gone();
    bgp::HealthView dataplane_health() const;
    static bgp::HealthView probe_health(const health::HealthReport& report);
    nlohmann::json bgp_status() const;

    config::Config config_;
    EventLoop loop_;
    AdminServer admin_;
    std::optional<MetricsServer> metrics_;
    Supervisor supervisor_;
    CompileWorker worker_;
    UniqueFd signal_fd_;
    HealthReactor health_reactor_{loop_};
    std::optional<health::Scheduler> health_; // the probes of this PoP's VIPs, once started
    bool health_healthy_ = false;             // the verdict last logged

    ZoneSet zones_;                   // empty while a reload holds it
    std::vector<ZoneInfo> zone_info_; // what `zones` shows, always current
    Snapshot snapshot_;
    ContentInfo content_; // the content snapshot served with snapshot_
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    int64_t started_unix_ = 0;

    bool reload_running_ = false; // compiling or waiting for the dataplane's load
    std::string reload_what_;
    bool sighup_pending_ = false; // SIGHUP during a reload: one more when it ends
    std::optional<LastReload> last_reload_;
    ReloadTally reloads_; // every reload request's outcome, refused ones included

    std::unique_ptr<bgp::Sidecar> sidecar_;
    std::optional<bgp::Announcer> announcer_;
    EventLoop::TimerId bgp_timer_ = 0;
    EventLoop::TimerId session_timer_ = 0;
    EventLoop::TimerId watchdog_timer_ = 0;
    CatchUp catch_up_;                      // what the dataplane serves, against snapshot_/content_
    EventLoop::TimerId catch_up_timer_ = 0; // the next catch-up load after a failed one
    bool catch_up_loading_ = false;         // a catch-up load is waiting for its reply
    // The last assignment of [dataplane] exception_addresses: when, and what failed ("" none).
    int64_t exception_addresses_unix_ = 0;
    std::string exception_addresses_error_;
    UniqueFd watchdog_fd_; // our end of the watchdog's stdin: closed when ringcastd dies
    pid_t watchdog_pid_ = -1;

    bool stopping_ = false;
    std::vector<Responder> stop_waiters_;
    int exit_code_ = 0;
};

} // namespace ringcast::daemon
