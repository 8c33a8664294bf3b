// ringcastd: compiles the configured zones into a snapshot, runs ringcast-dataplane on it and
// keeps it running, and serves the admin socket and the metrics endpoint (daemon.h).
#include "controlplane/config/config.h"
#include "controlplane/ringcastd/daemon.h"
#include "controlplane/ringcastd/log.h"
#include "controlplane/zone/zone_compiler.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace ringcast;

constexpr const char* kDataplaneBinary = "ringcast-dataplane";
constexpr const char* kXdpProgram = "vip_filter.bpf.o";

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

bool has_af_xdp_port(const config::Config& config) {
    for (const std::string& port : config.dataplane.ports)
        if (port.rfind("net_af_xdp", 0) == 0) return true;
    return false;
}

// The XDP VIP filter for net_af_xdp ports: [dataplane] xdp_program, else beside ringcastd (an
// installed system), else in the meson build tree. Empty when no port needs one (or the filter
// is off); false with `error` set when one is needed and none can be read.
bool find_xdp_program(const config::Config& config, std::string& path, std::string& error) {
    path.clear();
    if (!config.dataplane.xdp_vip_filter || !has_af_xdp_port(config)) return true;
    std::vector<fs::path> candidates;
    if (!config.dataplane.xdp_program.empty()) {
        candidates.push_back(config.dataplane.xdp_program);
    } else {
        std::error_code ec;
        const fs::path self = fs::read_symlink("/proc/self/exe", ec);
        if (!ec)
            candidates = {self.parent_path() / kXdpProgram,
                          self.parent_path() / "../../dataplane/xdp" / kXdpProgram};
    }
    for (const fs::path& candidate : candidates) {
        if (access(candidate.c_str(), R_OK) == 0) {
            path = candidate.lexically_normal().string();
            return true;
        }
    }
    error =
        config.dataplane.xdp_program.empty()
            ? fmt::format("the XDP VIP filter {} is neither beside ringcastd nor in its build "
                          "tree: set [dataplane] xdp_program, or xdp_vip_filter = false",
                          kXdpProgram)
            : fmt::format("[dataplane] xdp_program: cannot read {}", config.dataplane.xdp_program);
    return false;
}

// --check: the zones compile and the snapshot builds; nothing is written or started.
int check(const config::Config& config) {
    const zone::CompileResult result =
        zone::compile_zones(config.zones, {}, config.zone_compile.compile_memory_limit_bytes());
    if (!result.ok) {
        for (const auto& diagnostic : result.errors)
            fmt::print(stderr, "{}\n", diagnostic.to_string());
        log::error("{} error(s) in the configured zones", result.errors.size());
        return 1;
    }
    for (const auto& zone : result.zones)
        log::info("zone {} serial {}: {} records, {} names ({})", zone.origin, zone.serial,
                  zone.records, zone.names, zone.file);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"ringcastd: ringcast's control plane. Compiles zones into a snapshot, runs and "
                 "supervises ringcast-dataplane on it, and serves the admin socket (ringcastctl) "
                 "and the Prometheus endpoint. SIGHUP reloads; SIGTERM stops."};
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
    daemon::DataplaneFiles files;
    files.binary = resolve_on_path(find_dataplane_binary(config));
    std::string error;
    if (!find_xdp_program(config, files.xdp_program, error)) {
        log::error("{}; nothing started", error);
        return 1;
    }
    if (check_only) return check(config);
    try {
        daemon::Daemon daemon(std::move(config), std::move(files));
        return daemon.run();
    } catch (const std::exception& e) {
        log::error("{}", e.what());
        return 1;
    }
}
