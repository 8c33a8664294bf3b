#include "controlplane/ringcastd/dataplane_process.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace ringcast::daemon {

DataplaneLaunch dataplane_command(const config::Config& config, const DataplaneFiles& files,
                                  const std::string& snapshot_path, const std::string& content_path,
                                  const std::string& stats_path,
                                  const std::string& control_socket) {
    DataplaneLaunch launch;
    launch.binary = files.binary;
    auto& argv = launch.argv;
    argv.push_back(files.binary);
    for (const auto& arg : config.dataplane.eal)
        argv.push_back(arg);
    for (const auto& port : config.dataplane.ports) {
        argv.push_back(config::is_pci_address(port) ? "-a" : "--vdev");
        const bool af_xdp = port.rfind("net_af_xdp", 0) == 0;
        argv.push_back(af_xdp && !files.xdp_program.empty()
                           ? fmt::format("{},xdp_prog={}", port, files.xdp_program)
                           : port);
    }
    argv.push_back("--");
    argv.push_back("--snapshot");
    argv.push_back(snapshot_path);
    if (!content_path.empty()) {
        argv.push_back("--content");
        argv.push_back(content_path);
    }
    argv.push_back("--pop-name");
    argv.push_back(config.pop_name);
    for (const auto& vip : config.dataplane.vips) {
        argv.push_back("--vip");
        argv.push_back(vip);
    }
    argv.push_back("--max-udp-payload");
    argv.push_back(std::to_string(config.dataplane.max_udp_payload));
    argv.push_back("--idle-sleep-us");
    argv.push_back(std::to_string(config.dataplane.idle_sleep_us));
    const config::TcpConfig& tcp = config.tcp;
    for (const auto& [flag, value] : {std::pair{"--tcp-max-connections", tcp.max_connections},
                                      {"--tcp-receive-buffer", tcp.receive_buffer},
                                      {"--tcp-send-buffer", tcp.send_buffer},
                                      {"--tcp-idle-timeout-ms", tcp.idle_timeout_ms},
                                      {"--tcp-time-wait-ms", tcp.time_wait_ms}}) {
        argv.push_back(flag);
        argv.push_back(std::to_string(value));
    }
    const config::DataplaneConfig& dp = config.dataplane;
    for (size_t i = 0; i < dp.ports.size(); ++i) {
        // ringcastd's af_xdp decision (files.xdp_program) is the one the filter follows.
        const bool filtered = dp.ports[i].rfind("net_af_xdp", 0) == 0 && !files.xdp_program.empty();
        if (filtered || !config::needs_exception_tap(dp, dp.ports[i])) continue;
        argv.push_back("--exception-tap");
        argv.push_back(
            fmt::format("{}={}", config::dpdk_port_name(dp.ports[i]), dp.exception_interfaces[i]));
    }
    argv.push_back("--stats-file");
    argv.push_back(stats_path);
    argv.push_back("--control-socket");
    argv.push_back(control_socket);
    return launch;
}

pid_t spawn_dataplane(const DataplaneLaunch& launch, std::string& error) {
    std::vector<char*> argv;
    for (const auto& arg : launch.argv)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) {
        error = fmt::format("fork: {}", std::strerror(errno));
        return -1;
    }
    if (pid == 0) {
        // The child must not outlive ringcastd: an orphaned dataplane would keep the NIC and
        // answer for a PoP whose control plane is gone. SIGTERM, not SIGKILL, so it still closes
        // its ports (an AF_XDP port detaches its XDP program on close).
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127); // ringcastd died before prctl took effect
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(launch.binary.c_str(), argv.data());
        // ringcastd has other threads (the zone compiler): between fork and exec only
        // async-signal-safe calls, so no formatting or allocation here.
        static constexpr char kMessage[] = "ringcastd: cannot execute the dataplane binary\n";
        (void)!::write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
        _exit(127);
    }
    return pid;
}

} // namespace ringcast::daemon
