// ringcastd: compiles the configured zones into a snapshot and runs ringcast-dataplane on it.
#include "controlplane/config/config.h"
#include "controlplane/ringcastd/dataplane_process.h"
#include "controlplane/ringcastd/log.h"
#include "controlplane/zone/zone_compiler.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace ringcast;

constexpr auto kDataplaneStopGrace = std::chrono::seconds(10);
constexpr const char* kDataplaneBinary = "ringcast-dataplane";

// Where ringcast-dataplane is looked for when the config does not say: beside ringcastd (an
// installed system), then in the meson build tree, then on PATH.
std::string find_dataplane_binary(const config::Config& config) {
    if (!config.dataplane.binary.empty()) return config.dataplane.binary;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const fs::path& candidate :
             {self.parent_path() / kDataplaneBinary,
              self.parent_path() / "../../dataplane/runtime" / kDataplaneBinary}) {
            if (access(candidate.c_str(), X_OK) == 0) return candidate.lexically_normal().string();
        }
    }
    return kDataplaneBinary; // execv needs a path: resolved below through PATH
}

std::string resolve_on_path(const std::string& binary) {
    if (binary.find('/') != std::string::npos) return binary;
    const char* path = getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        fs::path candidate = fs::path(dirs.substr(start, end - start)) / binary;
        if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
        start = end + 1;
    }
    return binary;
}

bool compile(const config::Config& config, std::vector<uint8_t>& snapshot) {
    zone::BuildOptions options;
    options.generation =
        static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count());
    const auto started = std::chrono::steady_clock::now();
    zone::CompileResult result = zone::compile_zones(config.zones, options);
    if (!result.ok) {
        for (const auto& diagnostic : result.errors)
            fmt::print(stderr, "{}\n", diagnostic.to_string());
        log::error("{} error(s) in the configured zones; nothing started", result.errors.size());
        return false;
    }
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    for (const auto& zone : result.zones)
        log::info("zone {} serial {}: {} records, {} names ({})", zone.origin, zone.serial,
                  zone.records, zone.names, zone.file);
    log::info("snapshot generation {}: {} bytes, compiled in {} ms", options.generation,
              result.snapshot.size(), elapsed.count());
    snapshot = std::move(result.snapshot);
    return true;
}

// Waits for the dataplane while relaying stop signals to it. Returns ringcastd's exit code.
int supervise(pid_t child, const sigset_t& signals) {
    bool stopping = false;
    auto stop_deadline = std::chrono::steady_clock::time_point::max();
    for (;;) {
        int status = 0;
        const pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) {
            if (stopping) {
                log::info("dataplane stopped");
                return 0;
            }
            if (WIFEXITED(status))
                log::error("dataplane exited with status {}", WEXITSTATUS(status));
            else if (WIFSIGNALED(status))
                log::error("dataplane killed by signal {} ({})", WTERMSIG(status),
                           strsignal(WTERMSIG(status)));
            return 1;
        }
        if (stopping && std::chrono::steady_clock::now() > stop_deadline) {
            log::error("dataplane did not stop within {} s; killing it",
                       std::chrono::seconds(kDataplaneStopGrace).count());
            kill(child, SIGKILL);
            stop_deadline = std::chrono::steady_clock::time_point::max();
        }
        timespec tick{0, 200 * 1000 * 1000};
        siginfo_t info{};
        const int signal = sigtimedwait(&signals, &info, &tick);
        if ((signal == SIGTERM || signal == SIGINT) && !stopping) {
            log::info("{}: stopping the dataplane", strsignal(signal));
            stopping = true;
            stop_deadline = std::chrono::steady_clock::now() + kDataplaneStopGrace;
            kill(child, SIGTERM);
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"ringcastd: ringcast's control plane. Compiles zones into a snapshot and runs "
                 "ringcast-dataplane on it."};
    std::string config_path;
    bool check_only = false;
    app.add_option("-c,--config", config_path, "Configuration file (TOML)")->required();
    app.add_flag("--check", check_only, "Validate the configuration and zones, then exit");
    app.set_version_flag("--version", std::string("ringcastd ") + RINGCAST_VERSION);
    CLI11_PARSE(app, argc, argv);

    config::Config config;
    std::vector<std::string> errors;
    if (!config::load_config(config_path, config, errors)) {
        for (const auto& e : errors)
            fmt::print(stderr, "{}\n", e);
        log::error("invalid configuration; nothing started");
        return 1;
    }
    std::vector<uint8_t> snapshot;
    if (!compile(config, snapshot)) return 1;
    if (check_only) return 0;

    std::error_code ec;
    fs::create_directories(config.runtime_dir, ec);
    if (ec) {
        log::error("cannot create runtime directory {}: {}", config.runtime_dir, ec.message());
        return 1;
    }
    const std::string snapshot_path = (fs::path(config.runtime_dir) / "snapshot.bin").string();
    const std::string stats_path = (fs::path(config.runtime_dir) / "stats").string();
    std::string error;
    if (!zone::write_snapshot_file(snapshot, snapshot_path, error)) {
        log::error("cannot write snapshot {}: {}", snapshot_path, error);
        return 1;
    }

    // Signals are taken synchronously by supervise(); the child unblocks them before exec.
    sigset_t signals;
    sigemptyset(&signals);
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD})
        sigaddset(&signals, s);
    sigprocmask(SIG_BLOCK, &signals, nullptr);

    auto launch = daemon::dataplane_command(config, resolve_on_path(find_dataplane_binary(config)),
                                            snapshot_path, stats_path);
    log::info("PoP {}: starting {}", config.pop_name, fmt::join(launch.argv, " "));
    const pid_t child = daemon::spawn_dataplane(launch, error);
    if (child < 0) {
        log::error("cannot start the dataplane: {}", error);
        return 1;
    }
    return supervise(child, signals);
}
