#include "controlplane/ringcastd/daemon.h"

#include "controlplane/admin/counter_view.h"
#include "controlplane/bgp/atomic_file.h"
#include "controlplane/health/from_config.h"
#include "controlplane/ringcastd/admin_commands.h"
#include "controlplane/ringcastd/daemon_metrics.h"
#include "controlplane/ringcastd/interface_addresses.h"
#include "controlplane/ringcastd/log.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

extern char** environ;

namespace ringcast::daemon {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSnapshotPrefix = "snapshot-";
constexpr const char* kContentPrefix = "content-";
constexpr const char* kSnapshotSuffix = ".bin";
constexpr const char* kBgpStateFile = "bgp-state.json"; // the drain flag, under runtime_dir
constexpr const char* kBgpTool = "ringcast-bgp";
constexpr const char* kWatchdogPidFile = "bgp-watchdog.pid"; // under runtime_dir

// A watchdog left by a ringcastd that was killed may still be retrying its withdrawal (its
// sidecar was down): it must not withdraw what this ringcastd announces later. Killed only if
// /proc says it is a ringcast-bgp watchdog.
void kill_stale_watchdog(const fs::path& pid_file) {
    std::ifstream in(pid_file);
    pid_t pid = 0;
    if (!(in >> pid) || pid <= 1) return;
    std::ifstream cmdline(fmt::format("/proc/{}/cmdline", pid));
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (args.find(kBgpTool) == std::string::npos ||
        args.find(std::string("\0watchdog\0", 10)) == std::string::npos)
        return;
    if (kill(pid, SIGKILL) == 0)
        log::info("bgp: stopped the previous ringcastd's watchdog (pid {})", pid);
}

// ringcast-bgp (the watchdog): beside ringcastd (installed), in the meson build tree, on PATH.
std::string find_bgp_tool() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        for (const fs::path& candidate :
             {self.parent_path() / kBgpTool, self.parent_path() / "../bgp" / kBgpTool})
            if (access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal().string();
    return kBgpTool;
}

int64_t unix_now() {
    return static_cast<int64_t>(std::time(nullptr));
}

int64_t ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
}

json diagnostics_json(const std::vector<zone::Diagnostic>& errors) {
    json out = json::array();
    for (const zone::Diagnostic& d : errors)
        out.push_back(d.to_string());
    return out;
}

json zone_json(const ZoneInfo& info) {
    return json{{"origin", info.summary.origin},   {"serial", info.summary.serial},
                {"records", info.summary.records}, {"names", info.summary.names},
                {"file", info.summary.file},       {"loaded_unix", info.loaded_unix}};
}

// Sections of the configuration a reload cannot apply: they need a restart of ringcastd.
std::vector<std::string> restart_only_changes(const config::Config& now,
                                              const config::Config& fresh) {
    std::vector<std::string> changed;
    if (now.pop_name != fresh.pop_name) changed.push_back("[pop] name");
    if (now.runtime_dir != fresh.runtime_dir) changed.push_back("[paths] runtime_dir");
    if (!(now.dataplane == fresh.dataplane)) changed.push_back("[dataplane]");
    if (!(now.tcp == fresh.tcp)) changed.push_back("[tcp]");
    if (!(now.admin == fresh.admin)) changed.push_back("[admin]");
    if (!(now.metrics == fresh.metrics)) changed.push_back("[metrics]");
    if (!(now.bgp == fresh.bgp)) changed.push_back("[bgp]");
    if (!(now.health == fresh.health)) changed.push_back("[health]");
    return changed;
}

} // namespace

Daemon::Daemon(config::Config config, DataplaneFiles dataplane_files)
    : config_(std::move(config)),
      admin_(loop_,
             [this](const admin::Request& request, const Responder& responder) {
                 dispatch_admin(*this, request, responder);
             }),
      supervisor_(loop_, config_, std::move(dataplane_files),
                  Supervisor::Hooks{[this](const json& status) { on_dataplane_ready(status); },
                                    [this] { on_dataplane_stopped(); },
                                    [this] { on_dataplane_down(); }}),
      worker_(loop_), started_unix_(unix_now()) {}

Daemon::~Daemon() {
    loop_.cancel(bgp_timer_);
    loop_.cancel(session_timer_);
    loop_.cancel(watchdog_timer_);
    loop_.cancel(catch_up_timer_);
    if (watchdog_fd_) loop_.remove(watchdog_fd_.get());
}

std::string Daemon::snapshot_path(uint64_t generation) const {
    return (fs::path(config_.runtime_dir) /
            fmt::format("{}{}{}", kSnapshotPrefix, generation, kSnapshotSuffix))
        .string();
}

std::string Daemon::content_path(uint64_t generation) const {
    return (fs::path(config_.runtime_dir) /
            fmt::format("{}{}{}", kContentPrefix, generation, kSnapshotSuffix))
        .string();
}

json Daemon::load_request() const {
    return json{{"cmd", "load"}, {"snapshot", snapshot_.path}, {"content", content_.path}};
}

// The supervisor's view (pid, uptime, the dataplane's last status), with the generations taken
// from catch_up_ rather than from that status, which lags a load by up to a poll.
json Daemon::dataplane_json() const {
    json out = supervisor_.status();
    const config::DataplaneConfig& dp = config_.dataplane;
    if (!dp.exception_addresses.empty()) {
        json exception{{"interface", config::exception_address_interface(dp)},
                       {"addresses", dp.exception_addresses},
                       {"state", exception_addresses_unix_ == 0       ? "pending"
                                 : exception_addresses_error_.empty() ? "assigned"
                                                                      : "failed"}};
        if (exception_addresses_unix_ != 0) exception["assigned_unix"] = exception_addresses_unix_;
        if (!exception_addresses_error_.empty()) exception["error"] = exception_addresses_error_;
        out["exception_addresses"] = exception;
    }
    const auto serving = catch_up_.serving();
    if (!serving) return out;
    out["generation"] = serving->snapshot;
    if (out.contains("content") && out["content"].is_object())
        out["content"]["generation"] = serving->content;
    return out;
}

json Daemon::content_json() const {
    json sites = json::array();
    for (const content::SiteSummary& site : content_.sites)
        sites.push_back(json{{"hosts", site.hosts},
                             {"root", site.root},
                             {"objects", site.objects},
                             {"variants", site.variants},
                             {"body_bytes", site.body_bytes}});
    return json{{"generation", content_.generation}, {"file", content_.path},
                {"bytes", content_.bytes},           {"objects", content_.objects},
                {"body_bytes", content_.body_bytes}, {"sites", sites}};
}

// Microseconds since the epoch, as the first ringcastd did, and always above the current one.
uint64_t Daemon::next_generation() const {
    const auto now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
    return std::max(now, snapshot_.generation + 1);
}

bool Daemon::setup_signals(std::string& error) {
    // Blocked in every thread (the compile thread inherits the mask) and read from a signalfd;
    // the dataplane gets an empty mask before exec. SIGPIPE stays blocked: every socket write
    // uses MSG_NOSIGNAL, and a closed stderr must not kill the daemon.
    sigset_t blocked;
    sigemptyset(&blocked);
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD, SIGPIPE})
        sigaddset(&blocked, s);
    sigprocmask(SIG_BLOCK, &blocked, nullptr);
    sigset_t handled = blocked;
    sigdelset(&handled, SIGPIPE);
    signal_fd_.reset(signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signal_fd_) {
        error = fmt::format("signalfd: {}", std::strerror(errno));
        return false;
    }
    loop_.add(signal_fd_.get(), EPOLLIN, [this](uint32_t) { on_signal(); });
    return true;
}

void Daemon::on_signal() {
    signalfd_siginfo info{};
    while (read(signal_fd_.get(), &info, sizeof(info)) == sizeof(info)) {
        switch (info.ssi_signo) {
        case SIGTERM:
        case SIGINT:
            begin_shutdown(strsignal(static_cast<int>(info.ssi_signo)));
            break;
        case SIGHUP:
            if (reload_running_) {
                sighup_pending_ = true;
                log::info("SIGHUP: a reload is running; another one follows it");
                break;
            }
            log::info("SIGHUP: reloading");
            reload("", ReloadObserver{nullptr, [](const json&) {}});
            break;
        case SIGUSR1:
            // An operator's (or a script's) "check now", without reloading anything.
            if (health_) health_->recheck("SIGUSR1");
            break;
        case SIGCHLD:
            supervisor_.on_sigchld();
            break;
        }
    }
}

bool Daemon::initial_compile() {
    ReloadJob job;
    job.sources = config_.zones;
    job.memory_limit = config_.zone_compile.compile_memory_limit_bytes();
    job.generation = next_generation();
    job.snapshot_path = snapshot_path(job.generation);
    job.sites = config_.sites;
    job.content_path = content_path(job.generation);
    ReloadOutcome outcome = compile_reload(std::move(job), [](const std::string&) {});
    if (!outcome.ok) {
        for (const auto& diagnostic : outcome.errors)
            fmt::print(stderr, "{}\n", diagnostic.to_string());
        log::error("{} error(s) in the configured zones and sites; nothing started",
                   outcome.errors.size());
        return false;
    }
    for (const std::string& warning : outcome.content_warnings)
        log::info("content: {}", warning);
    content_ = std::move(*outcome.content);
    for (const content::SiteSummary& site : content_.sites)
        log::info("site {}: {} objects, {} variants, {} bytes ({})", site.hosts.front(),
                  site.objects, site.variants, site.body_bytes, site.root);
    zones_ = std::move(outcome.zones);
    zone_info_ = zones_.info;
    for (const ZoneInfo& info : zone_info_)
        log::info("zone {} serial {}: {} records, {} names ({})", info.summary.origin,
                  info.summary.serial, info.summary.records, info.summary.names, info.summary.file);
    snapshot_ =
        Snapshot{outcome.generation, outcome.snapshot_path, unix_now(), outcome.snapshot_bytes};
    log::info("snapshot generation {}: {} bytes, compiled in {} ms", snapshot_.generation,
              snapshot_.bytes, outcome.parse_ms + outcome.build_ms);
    return true;
}

int Daemon::run() {
    std::error_code ec;
    fs::create_directories(config_.runtime_dir, ec);
    if (ec) {
        log::error("cannot create runtime directory {}: {}", config_.runtime_dir, ec.message());
        return 1;
    }
    std::string error;
    // The admin socket first: if another ringcastd already answers on it, stop before touching
    // its snapshot files.
    if (!admin_.listen(config_.admin.socket, error)) {
        log::error("admin socket: {}", error);
        return 1;
    }
    if (!setup_signals(error)) {
        log::error("{}", error);
        return 1;
    }
    if (!initial_compile()) return 1;
    remove_stale_snapshots();
    if (config_.metrics.enabled) {
        metrics_.emplace(loop_, [this](auto deliver) { metrics_page(std::move(deliver)); });
        if (!metrics_->listen(config_.metrics.listen, error)) {
            log::error("{}", error);
            return 1;
        }
        log::info("metrics on http://{}/metrics", config_.metrics.listen.to_string());
    }
    log::info("admin socket {}", config_.admin.socket);
    if (config_.bgp.enabled && !start_bgp(error)) {
        log::error("bgp: {}", error);
        return 1;
    }

    supervisor_.set_snapshot(snapshot_.path);
    supervisor_.set_content(content_.path);
    supervisor_.start();
    if (!start_health(error)) {
        log::error("health: {}", error);
        return 1;
    }
    if (!loop_.run()) {
        log::error("event loop: {}", std::strerror(errno));
        return 1;
    }
    admin_.shutdown();
    if (metrics_) metrics_->shutdown();
    return exit_code_;
}

void Daemon::begin_shutdown(const std::string& why) {
    if (stopping_) return;
    stopping_ = true;
    if (announcer_) {
        // Withdraw before the dataplane stops answering, so no route points at a PoP that
        // has gone quiet.
        loop_.cancel(bgp_timer_);
        log::info("{}: withdrawing the BGP announcements", why);
        announcer_->withdraw_now(EventLoop::Clock::now());
    }
    if (health_) health_->stop();
    log::info("{}: stopping the dataplane", why);
    supervisor_.stop();
}

void Daemon::on_dataplane_stopped() {
    // Tell whoever asked with `stop`, then leave: the replies are small enough for the socket
    // buffers, so they are out before the loop ends and the sockets close.
    for (const Responder& responder : stop_waiters_) {
        json reply = admin::ok_reply();
        reply["stopped"] = true;
        responder.reply(reply);
    }
    stop_waiters_.clear();
    loop_.stop();
}

void Daemon::stop(const Responder& responder) {
    stop_waiters_.push_back(responder);
    begin_shutdown("stop requested on the admin socket");
}

bool Daemon::start_health(std::string& error) {
    // Probes need a path that ends in this PoP's dataplane (the README's health section); a
    // config without [health] has none, and health is the dataplane's own state alone.
    if (!config_.health.enabled) {
        log::info("health: no [health] section: no probes; health is the dataplane's state");
        return true;
    }
    std::vector<health::ProbeSpec> probes;
    if (!health::probes_from_config(config_, probes, error)) return false;
    log::info("health: {} probe(s) every {} ms{}", probes.size(), config_.health.interval_ms,
              config_.health.interface.empty() ? ""
                                               : fmt::format(" over {}", config_.health.interface));
    health_.emplace(health_reactor_, health::settings_from_config(config_.health),
                    std::move(probes),
                    [this](const health::HealthReport& report) { on_health_changed(report); });
    health_->start();
    return true;
}

// Runs whenever a probe's verdict changes. The seam for the BGP sidecar (controlplane/bgp):
// a healthy PoP announces its prefixes, an unhealthy one withdraws them.
void Daemon::on_health_changed(const health::HealthReport& report) {
    if (report.healthy == health_healthy_) return;
    health_healthy_ = report.healthy;
    std::string failing;
    for (const auto& probe : report.probes)
        if (!probe.healthy)
            failing += fmt::format("; {}: {}", probe.name,
                                   probe.checked ? probe.last.error : "not checked yet");
    if (report.healthy)
        log::info("health: healthy (every probe passes)");
    else
        log::error("health: UNHEALTHY{}", failing);
    // Withdraw (or start the hold-down) now, not at the next BGP tick.
    if (announcer_ && !stopping_)
        announcer_->set_health(dataplane_health(), EventLoop::Clock::now());
}

void Daemon::assign_exception_addresses() {
    const config::DataplaneConfig& dp = config_.dataplane;
    if (dp.exception_addresses.empty()) return;
    std::vector<config::InterfaceAddress> addresses;
    for (const std::string& text : dp.exception_addresses)
        addresses.push_back(*config::parse_interface_address(text)); // the config checked them
    const std::string interface = config::exception_address_interface(dp);
    exception_addresses_error_ = assign_interface_addresses(interface, addresses);
    exception_addresses_unix_ = unix_now();
    if (exception_addresses_error_.empty())
        log::info("exception TAP {}: up with {}", interface,
                  fmt::join(dp.exception_addresses, ", "));
    else
        log::error("exception TAP {}: {}", interface, exception_addresses_error_);
}

void Daemon::on_dataplane_ready(const json& status) {
    // The TAP is new: its addresses first, so the checks below see the host reachable.
    assign_exception_addresses();
    // A (re)started dataplane is checked at once, not at the next interval.
    if (health_) health_->recheck("dataplane started");
    catch_up_.dataplane_ready(Generations{
        status.value("generation", uint64_t{0}),
        status.contains("content") ? status["content"].value("generation", uint64_t{0}) : 0});
    loop_.cancel(catch_up_timer_);
    catch_up();
}

void Daemon::on_dataplane_down() {
    catch_up_.dataplane_down();
    loop_.cancel(catch_up_timer_); // the next start reports what it serves
    if (announcer_) announcer_->dataplane_down(EventLoop::Clock::now());
}

Generations Daemon::compiled() const {
    return Generations{snapshot_.generation, content_.generation};
}

void Daemon::catch_up() {
    if (catch_up_loading_ || stopping_) return; // its reply calls catch_up() again
    if (!catch_up_.pending(compiled())) {
        remove_stale_snapshots();
        return;
    }
    DataplaneControl* control = supervisor_.control();
    if (!control) return; // down again: its next start calls this
    // It started on an older snapshot than the one adopted since (a reload while it was down).
    const Generations wanted = compiled();
    log::info("dataplane serves generation {}; loading {}", catch_up_.serving()->snapshot,
              wanted.snapshot);
    catch_up_loading_ = true;
    control->request(load_request(), kLoadTimeout,
                     [this, wanted](const json& reply, const std::string& error) {
                         catch_up_loading_ = false;
                         if (error.empty() && reply.value("ok", false)) {
                             catch_up_.loaded(wanted);
                             return catch_up(); // a reload may have moved on meanwhile
                         }
                         if (!catch_up_.serving()) return; // the dataplane went down meanwhile
                         const std::string why = error.empty() ? reply.value("error", "?") : error;
                         const auto delay = catch_up_.failed(why, EventLoop::Clock::now());
                         log::error("dataplane did not load generation {}: {}; catch-up "
                                    "attempt {} in {} ms",
                                    wanted.snapshot, why, catch_up_.failures() + 1, delay.count());
                         loop_.cancel(catch_up_timer_);
                         catch_up_timer_ = loop_.after(delay, [this] {
                             catch_up_timer_ = 0;
                             catch_up();
                         });
                     });
}

void Daemon::remove_stale_snapshots() const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(config_.runtime_dir, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = name.rfind(kSnapshotPrefix, 0) == 0 || name.rfind(kContentPrefix, 0) == 0;
        if (!ours || entry.path() == fs::path(snapshot_.path) ||
            entry.path() == fs::path(content_.path))
            continue;
        // A snapshot being written (.tmp.) belongs to a running compile; keep it.
        if (name.size() < 5 || name.substr(name.size() - 4) != kSnapshotSuffix) continue;
        fs::remove(entry.path(), ec);
    }
}

json Daemon::status() const {
    const int64_t uptime = ms_since(started_) / 1000;
    json daemon{{"version", RINGCAST_VERSION},
                {"pid", getpid()},
                {"pop", config_.pop_name},
                {"config", config_.file},
                {"started_unix", started_unix_},
                {"uptime_seconds", uptime},
                {"admin_socket", config_.admin.socket}};
    if (config_.metrics.enabled) daemon["metrics"] = config_.metrics.listen.to_string();
    // "generation" is what ringcastd compiled (kept for scripts); what the dataplane serves can
    // lag it after a restart, until the catch-up load succeeds.
    json snapshot{{"generation", snapshot_.generation},
                  {"compiled_generation", snapshot_.generation},
                  {"file", snapshot_.path},
                  {"bytes", snapshot_.bytes},
                  {"created_unix", snapshot_.created_unix},
                  {"age_seconds", unix_now() - snapshot_.created_unix},
                  {"zones", zone_info_.size()}};
    snapshot.update(catch_up_.to_json(compiled(), EventLoop::Clock::now()));
    json reload{{"in_progress", reload_running_},
                {"ok", reloads_.ok()},
                {"rejected", reloads_.failed()},
                {"failures", reloads_.failures_json()}};
    if (reload_running_) reload["running"] = reload_what_;
    if (last_reload_) {
        json last{{"what", last_reload_->what},
                  {"ok", last_reload_->ok},
                  {"finished_unix", last_reload_->finished_unix},
                  {"duration_ms", last_reload_->duration_ms}};
        if (!last_reload_->error.empty()) last["error"] = last_reload_->error;
        reload["last"] = last;
    }
    return json{{"daemon", daemon},
                {"snapshot", snapshot},
                {"content", content_json()},
                {"dataplane", dataplane_json()},
                {"reload", reload},
                {"bgp", bgp_status()},
                {"health", health_ ? health::to_json(health_->report()) : json::object()}};
}

json Daemon::zones() const {
    json list = json::array();
    for (const ZoneInfo& info : zone_info_)
        list.push_back(zone_json(info));
    return json{{"generation", snapshot_.generation}, {"zones", list}};
}

void Daemon::stats(std::function<void(const json&)> done) {
    DataplaneControl* control = supervisor_.control();
    if (!control)
        return done(admin::error_reply(admin::code::kUnavailable,
                                       "the dataplane is not running; no counters to read"));
    control->request(
        json{{"cmd", "stats"}}, kStatsTimeout, [done](const json& reply, const std::string& error) {
            if (!error.empty()) return done(admin::error_reply(admin::code::kUnavailable, error));
            admin::CounterSample sample;
            std::string problem;
            if (!reply.value("ok", false) || !admin::counters_from_json(reply, sample, problem))
                return done(admin::error_reply(
                    admin::code::kUnavailable,
                    fmt::format("the dataplane's stats are unusable: {}",
                                problem.empty() ? reply.value("error", "?") : problem)));
            json out = admin::ok_reply();
            const json counters = admin::counters_to_json(sample);
            for (const auto& [key, value] : counters.items())
                out[key] = value;
            done(out);
        });
}

void Daemon::reload(const std::string& origin, ReloadObserver observer) {
    const std::string what = origin.empty() ? "reload" : fmt::format("reload-zone {}", origin);
    if (stopping_)
        return refuse_reload(
            observer, what, admin::error_reply(admin::code::kUnavailable, "ringcastd is stopping"));
    if (reload_running_)
        return refuse_reload(
            observer, what,
            admin::error_reply(
                admin::code::kBusy,
                fmt::format("a reload is in progress ({}); try again when it ends", reload_what_)));

    ReloadJob job;
    std::optional<config::Config> fresh;
    std::vector<std::string> warnings;
    if (origin.empty()) {
        // `reload` means "everything": the configuration's zone list is read again too.
        config::Config candidate;
        std::vector<std::string> errors;
        if (!config::load_config(config_.file, candidate, errors)) {
            json reply = admin::error_reply(
                admin::code::kRejected,
                fmt::format("the configuration has {} error(s); nothing changed", errors.size()));
            reply["errors"] = errors;
            last_reload_ = LastReload{false, unix_now(), 0, what, reply["error"]};
            return refuse_reload(observer, what, reply);
        }
        for (const std::string& section : restart_only_changes(config_, candidate))
            warnings.push_back(
                fmt::format("{} changed: it takes effect when ringcastd restarts", section));
        job.sources = candidate.zones;
        job.sites = candidate.sites;
        fresh = std::move(candidate);
        reload_what_ = "reload";
    } else {
        const auto index = zones_.find(origin);
        if (!index)
            return refuse_reload(
                observer, what,
                admin::error_reply(admin::code::kNotFound,
                                   fmt::format("no zone {} is configured", origin)));
        job.sources = config_.zones;
        job.only = *index;
        reload_what_ = fmt::format("reload-zone {}", zones_.info[*index].summary.origin);
    }
    // A full reload compiles under the limit it reads with the zones, reload-zone under the one
    // in force.
    job.memory_limit = (fresh ? *fresh : config_).zone_compile.compile_memory_limit_bytes();
    job.base = std::move(zones_);
    zones_ = ZoneSet{};
    job.generation = next_generation();
    job.snapshot_path = snapshot_path(job.generation);
    job.content_path = content_path(job.generation);
    reload_running_ = true;
    log::info("{}: compiling generation {}", reload_what_, job.generation);

    auto progress = observer.progress;
    worker_.start(
        std::move(job),
        [progress](const std::string& message) {
            if (progress) progress(message);
        },
        [this, observer, fresh, warnings](ReloadOutcome outcome) mutable {
            on_compiled(std::move(outcome), std::move(observer), std::move(fresh),
                        std::move(warnings));
        });
}

void Daemon::on_compiled(ReloadOutcome outcome, ReloadObserver observer,
                         std::optional<config::Config> fresh, std::vector<std::string> warnings) {
    const auto load_start = std::chrono::steady_clock::now();
    if (!outcome.ok) {
        zones_ = std::move(outcome.zones);
        json reply = admin::error_reply(admin::code::kRejected,
                                        fmt::format("{} error(s); generation {} keeps being served",
                                                    outcome.errors.size(), snapshot_.generation));
        reply["errors"] = diagnostics_json(outcome.errors);
        return finish_reload(observer, reply);
    }

    auto success = [this, warnings](const ReloadOutcome& done, uint64_t previous, int64_t load_ms,
                                    const char* note) {
        json reply = admin::ok_reply();
        reply["generation"] = done.generation;
        reply["previous_generation"] = previous;
        reply["snapshot_bytes"] = done.snapshot_bytes;
        reply["compile_ms"] = done.parse_ms + done.build_ms;
        reply["load_ms"] = load_ms;
        json zones = json::array();
        for (const ZoneInfo& info : zone_info_)
            zones.push_back(zone_json(info));
        reply["zones"] = zones;
        if (done.content) {
            reply["content"] = json{{"generation", done.content->generation},
                                    {"objects", done.content->objects},
                                    {"body_bytes", done.content->body_bytes},
                                    {"sites", done.content->sites.size()}};
        }
        std::vector<std::string> all_warnings = warnings;
        for (const std::string& w : done.content_warnings)
            all_warnings.push_back(fmt::format("content: {}", w));
        if (!all_warnings.empty()) reply["warnings"] = all_warnings;
        if (note) reply["note"] = note;
        return reply;
    };

    DataplaneControl* control = supervisor_.control();
    if (!control) {
        // Down or restarting: adopt the snapshot; the next start serves it (on_dataplane_ready
        // loads it if the dataplane came up on an older one).
        const uint64_t previous = snapshot_.generation;
        commit(outcome, fresh);
        return finish_reload(observer,
                             success(outcome, previous, 0,
                                     "the dataplane is not running: it starts on this snapshot"));
    }
    if (observer.progress)
        observer.progress(fmt::format("dataplane loading generation {}", outcome.generation));
    auto shared = std::make_shared<ReloadOutcome>(std::move(outcome));
    json load{{"cmd", "load"}, {"snapshot", shared->snapshot_path}};
    if (shared->content) load["content"] = shared->content->path;
    control->request(
        load, kLoadTimeout,
        [this, shared, observer, fresh, success, load_start](const json& reply,
                                                             const std::string& error) mutable {
            ReloadOutcome& outcome = *shared;
            if (!error.empty() || !reply.value("ok", false)) {
                const std::string why = error.empty() ? reply.value("error", "?") : error;
                undo_reload(outcome);
                zones_ = std::move(outcome.zones);
                std::error_code ec;
                fs::remove(outcome.snapshot_path, ec);
                if (outcome.content) fs::remove(outcome.content->path, ec);
                json out = admin::error_reply(
                    error.empty() ? admin::code::kRejected : admin::code::kUnavailable,
                    fmt::format("the dataplane did not take generation {}: {}; generation {} "
                                "keeps being served",
                                outcome.generation, why, snapshot_.generation));
                return finish_reload(observer, out);
            }
            const uint64_t previous = snapshot_.generation;
            commit(outcome, fresh);
            catch_up_.loaded(compiled());
            remove_stale_snapshots();
            finish_reload(observer, success(outcome, previous, ms_since(load_start), nullptr));
        });
}

void Daemon::commit(ReloadOutcome& outcome, std::optional<config::Config>& fresh) {
    zones_ = std::move(outcome.zones);
    zone_info_ = zones_.info;
    if (fresh) {
        config_.zones = fresh->zones; // the rest of the file needs a restart
        config_.sites = fresh->sites;
    }
    if (outcome.content) {
        content_ = std::move(*outcome.content);
        supervisor_.set_content(content_.path);
    }
    snapshot_ =
        Snapshot{outcome.generation, outcome.snapshot_path, unix_now(), outcome.snapshot_bytes};
    supervisor_.set_snapshot(snapshot_.path);
}

void Daemon::finish_reload(const ReloadObserver& observer, const json& reply) {
    const bool ok = reply.value("ok", false);
    const std::string what = reload_what_.empty() ? "reload" : reload_what_;
    if (reload_running_) reloads_.record(reply);
    if (ok) {
        log::info("{}: generation {} served (was {}), compiled in {} ms, loaded in {} ms", what,
                  reply.value("generation", uint64_t{0}),
                  reply.value("previous_generation", uint64_t{0}), reply.value("compile_ms", 0),
                  reply.value("load_ms", 0));
    } else if (reload_running_) {
        log::error("{}: {}", what, reply.value("error", "?"));
        for (const auto& e : reply.value("errors", json::array()))
            log::error("  {}", e.get<std::string>());
    }
    if (reload_running_)
        last_reload_ =
            LastReload{ok, unix_now(),
                       reply.value("compile_ms", int64_t{0}) + reply.value("load_ms", int64_t{0}),
                       what, ok ? "" : reply.value("error", "")};
    reload_running_ = false;
    reload_what_.clear();
    if (ok && health_) health_->recheck("reload");
    observer.done(reply);
    if (sighup_pending_ && !stopping_) {
        sighup_pending_ = false;
        log::info("SIGHUP (during the last reload): reloading");
        reload("", ReloadObserver{nullptr, [](const json&) {}});
    }
}

void Daemon::refuse_reload(const ReloadObserver& observer, const std::string& what,
                           const json& reply) {
    reloads_.record(reply);
    log::error("{}: refused ({}): {}", what, reply.value("code", "?"), reply.value("error", "?"));
    for (const auto& e : reply.value("errors", json::array()))
        log::error("  {}", e.get<std::string>());
    observer.done(reply);
}

void Daemon::metrics_page(std::function<void(std::string)> deliver) {
    stats([this, deliver](const json& reply) {
        std::string page = daemon_metrics();
        admin::CounterSample sample;
        std::string error;
        if (reply.value("ok", false) && admin::counters_from_json(reply, sample, error))
            page += admin::render_counters_prometheus(sample);
        deliver(std::move(page));
    });
}

std::string Daemon::daemon_metrics() const {
    DaemonMetrics m;
    m.dataplane_up = supervisor_.running();
    m.dataplane_restarts = supervisor_.restarts();
    m.snapshot_generation = snapshot_.generation;
    m.serving_generation = catch_up_.serving() ? catch_up_.serving()->snapshot : 0;
    m.catch_up_pending = catch_up_.pending(compiled());
    m.snapshot_age_seconds = unix_now() - snapshot_.created_unix;
    m.reloads = reloads_;
    m.uptime_seconds = ms_since(started_) / 1000;
    m.admin_clients = admin_.clients();
    for (const ZoneInfo& info : zone_info_)
        m.zone_serials.emplace_back(info.summary.origin, info.summary.serial);
    m.content_sites = content_.sites.size();
    m.content_objects = content_.objects;
    m.content_body_bytes = content_.body_bytes;
    if (announcer_) {
        m.bgp_enabled = true;
        m.bgp_state = bgp::announce_state_name(announcer_->state());
        m.bgp_drain = announcer_->drained();
        m.bgp_guard_active = announcer_->guard_active();
        m.bgp_session_established = announcer_->session().state == bgp::SessionState::established;
        m.bgp_apply_failures = announcer_->apply_failures();
        for (const config::BgpPrefix& p : config_.bgp.prefixes)
            m.bgp_prefixes.push_back(p.prefix);
    }
    return render_daemon_metrics(m);
}

// --- BGP -----------------------------------------------------------------------------------

bool Daemon::start_bgp(std::string& error) {
    sidecar_ = bgp::make_sidecar(config_.bgp);
    announcer_.emplace(
        config_.bgp, *sidecar_, (fs::path(config_.runtime_dir) / kBgpStateFile).string(),
        [](std::string_view level, const std::string& message) { log::write(level, message); });
    kill_stale_watchdog(fs::path(config_.runtime_dir) / kWatchdogPidFile);
    if (!spawn_watchdog(error)) return false;
    // Nothing is announced before the dataplane serves: the first tick withdraws whatever a
    // previous ringcastd left, then the hold-down runs once health passes.
    announcer_->tick(EventLoop::Clock::now());
    bgp_timer_ = loop_.after(kBgpTickInterval, [this] { bgp_tick(); });
    poll_bgp_session();
    log::info("bgp: {} sidecar, prefixes {}, drain {} s, hold-down {} s, guard {}",
              sidecar_->name(), bgp_status()["prefixes"].size(), config_.bgp.drain_seconds,
              config_.bgp.hold_down_seconds, config_.bgp.global_withdrawal_guard ? "on" : "off");
    return true;
}

bgp::HealthView Daemon::dataplane_health() const {
    // The dataplane runs, reports itself healthy and serves the snapshot ringcastd adopted, and
    // every probe of its VIPs passes.
    if (!supervisor_.running()) return {false, false, "the dataplane is not running"};
    if (!supervisor_.last_status().value("healthy", true))
        return {false, false, "the dataplane reports a stall"};
    // catch_up_ is the one record of what the dataplane serves: its first status, then every
    // load it acknowledged (a status poll would lag a reload by up to a poll interval).
    const uint64_t serving = catch_up_.serving() ? catch_up_.serving()->snapshot : 0;
    if (serving != snapshot_.generation)
        return {false, false,
                fmt::format("the dataplane serves generation {}, not {}", serving,
                            snapshot_.generation)};
    if (health_) return probe_health(health_->report());
    return {true, false, ""};
}

// A failure is suspected to be global as health::failure_looks_global says: the data is wrong,
// and every PoP serving the same zones and sites answers the same.
bgp::HealthView Daemon::probe_health(const health::HealthReport& report) {
    if (report.healthy) return {true, false, ""};
    std::string failing;
    for (const auto& probe : report.probes)
        if (!probe.healthy)
            failing += fmt::format("{}{}: {}", failing.empty() ? "" : "; ", probe.name,
                                   probe.checked ? probe.last.error : "not checked yet");
    return {false, health::failure_looks_global(report), "probes failing: " + failing};
}

void Daemon::bgp_tick() {
    bgp_timer_ = loop_.after(kBgpTickInterval, [this] { bgp_tick(); });
    if (stopping_) return;
    announcer_->set_health(dataplane_health(), EventLoop::Clock::now());
}

void Daemon::poll_bgp_session() {
    session_timer_ = loop_.after(kBgpSessionPollInterval, [this] { poll_bgp_session(); });
    const bgp::SessionInfo before = announcer_->session();
    const bgp::SessionInfo now = sidecar_->session_state();
    if (now.state != before.state)
        log::info("bgp: session {} is {} ({})", config_.bgp.protocol,
                  bgp::session_state_name(now.state), now.info);
    announcer_->set_session(now, EventLoop::Clock::now());
}

// The dead-man switch: `ringcast-bgp watchdog CONFIG` reads its stdin, our socket. When ringcastd
// dies in any way (SIGKILL included) the kernel closes our end, the watchdog reads EOF and
// withdraws every prefix through the same driver.
bool Daemon::spawn_watchdog(std::string& error) {
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        error = fmt::format("socketpair: {}", std::strerror(errno));
        return false;
    }
    UniqueFd ours(fds[0]);
    UniqueFd theirs(fds[1]);
    const std::string tool = find_bgp_tool();
    const std::string config_path = fs::absolute(config_.file).string();
    std::vector<std::string> args{tool, "watchdog", config_path};
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, theirs.get(), 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    // Its own process group: a terminal's Ctrl-C for ringcastd must not take it down first.
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, tool.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        error = fmt::format("cannot start the BGP watchdog {}: {}", tool, std::strerror(rc));
        return false;
    }
    watchdog_pid_ = pid;
    std::string pid_error;
    if (!bgp::write_file_atomically((fs::path(config_.runtime_dir) / kWatchdogPidFile).string(),
                                    fmt::format("{}\n", pid), pid_error))
        log::error("bgp: {}", pid_error);
    if (watchdog_fd_) loop_.remove(watchdog_fd_.get());
    watchdog_fd_ = std::move(ours);
    // The watchdog writes nothing: readable means it exited (EOF) and the socket hung up.
    loop_.add(watchdog_fd_.get(), EPOLLIN | EPOLLRDHUP, [this](uint32_t) { on_watchdog_gone(); });
    log::info("bgp: watchdog pid {} withdraws the prefixes if ringcastd dies", pid);
    return true;
}

void Daemon::on_watchdog_gone() {
    log::error("bgp: the watchdog (pid {}) exited; starting it again in {} ms", watchdog_pid_,
               std::chrono::milliseconds(kWatchdogRestartDelay).count());
    loop_.remove(watchdog_fd_.get());
    watchdog_fd_.reset();
    watchdog_pid_ = -1;
    watchdog_timer_ = loop_.after(kWatchdogRestartDelay, [this] {
        watchdog_timer_ = 0;
        std::string error;
        if (!spawn_watchdog(error)) {
            log::error("bgp: {}", error);
            on_watchdog_gone();
        }
    });
}

json Daemon::bgp_status() const {
    if (!announcer_) return json{{"enabled", false}};
    json out = announcer_->status(EventLoop::Clock::now());
    out["enabled"] = true;
    out["protocol"] = config_.bgp.protocol;
    out["watchdog_pid"] = watchdog_pid_;
    return out;
}

json Daemon::set_drain(bool drain) {
    if (!announcer_)
        return admin::error_reply(admin::code::kUnavailable,
                                  "BGP is not configured (no [bgp] section)");
    std::string error;
    if (!announcer_->set_drain(drain, EventLoop::Clock::now(), error))
        return admin::error_reply(admin::code::kUnavailable,
                                  fmt::format("the drain flag could not be saved: {}", error));
    json reply = admin::ok_reply();
    reply["bgp"] = bgp_status();
    return reply;
}

} // namespace ringcast::daemon
