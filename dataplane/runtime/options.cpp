#include "dataplane/runtime/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <arpa/inet.h>
#include <cstring>
#include <optional>
#include <vector>

namespace ringcast::runtime {
namespace {

// Longer than this and an idle lcore would add visible latency to the first query after a lull.
constexpr uint32_t kMaxIdleSleepUs = 1000;
// Sanity bounds on what ringcastd passes ([tcp] in its config has the operator-facing limits).
constexpr uint32_t kMaxTcpConnections = 1u << 20;
constexpr uint32_t kMinTcpBuffer = 1024;
constexpr uint32_t kMaxTcpBuffer = 16u << 20;
constexpr uint32_t kMaxTcpTimeoutMs = 3'600'000;
constexpr uint32_t kMinStatsIntervalMs = 100;
constexpr uint32_t kMaxStatsIntervalMs = 3'600'000;

std::string add_vip(net::VipSet& vips, const std::string& text) {
    uint8_t address[16];
    if (inet_pton(AF_INET, text.c_str(), address) == 1) {
        uint32_t be;
        std::memcpy(&be, address, 4);
        if (vips.add_v4(be)) return {};
    } else if (inet_pton(AF_INET6, text.c_str(), address) == 1) {
        if (vips.add_v6(address)) return {};
    } else {
        return "--vip " + text + ": not an IPv4 or IPv6 address";
    }
    return "too many VIPs (at most " + std::to_string(net::kMaxVipsPerFamily) + " per family)";
}

// "DEVICE=INTERFACE": a Linux interface name is at most IFNAMSIZ - 1 bytes, and DPDK splits
// device arguments at commas.
std::string add_exception_port(std::vector<ExceptionPortSpec>& specs, const std::string& text) {
    constexpr size_t kMaxInterfaceName = 15; // IFNAMSIZ - 1
    const size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
        return "--exception-tap " + text + ": expected DEVICE=INTERFACE";
    ExceptionPortSpec spec{text.substr(0, equals), text.substr(equals + 1)};
    if (spec.interface.empty() || spec.interface.size() > kMaxInterfaceName ||
        spec.interface.find_first_of(",=/: \t") != std::string::npos)
        return "--exception-tap " + text + ": the interface name must be 1 to " +
               std::to_string(kMaxInterfaceName) + " characters without , = / : or blanks";
    specs.push_back(std::move(spec));
    return {};
}

// The command line as CLI11 sees it: options land in `out` directly, or in the fields below
// when they need converting.
class OptionParser {
  public:
    explicit OptionParser(Options& out)
        : app_("ringcast-dataplane [EAL options] -- OPTIONS (ringcastd builds this line)",
               "ringcast-dataplane") {
        app_.add_option("--snapshot", out.snapshot_path, "Snapshot file to serve")->required();
        app_.add_option("--content", out.content_path, "Content snapshot (sites)");
        app_.add_option("--control-socket", out.control_path, "Unix socket for ringcastd");
        app_.add_option("--stats-file", out.stats_path, "Counters written here every interval");
        app_.add_option("--pop-name", pop_name_, "This PoP's name (NSID, id.server, X-PoP)")
            ->required()
            ->check(CLI::Validator(
                [](std::string& name) -> std::string {
                    if (name.empty() || name.size() > dns::kMaxPopNameLength)
                        return "1 to " + std::to_string(dns::kMaxPopNameLength) + " characters";
                    return {};
                },
                "NAME"));
        app_.add_option("--vip", vips_, "A VIP this dataplane answers (repeat per address)")
            ->required();
        app_.add_option("--max-udp-payload", max_udp_payload_, "Largest UDP answer (RFC 6891)")
            ->check(CLI::Range(uint32_t{dns::kClassicUdpPayload}, uint32_t{dns::kMaxUdpPayload}));
        app_.add_option("--stats-interval-ms", out.stats_interval_ms)
            ->check(CLI::Range(kMinStatsIntervalMs, kMaxStatsIntervalMs));
        app_.add_option("--idle-sleep-us", out.idle_sleep_us, "Sleep of an idle lcore")
            ->check(CLI::Range(uint32_t{0}, kMaxIdleSleepUs));
        app_.add_option("--exception-tap", exception_taps_,
                        "DEVICE=INTERFACE: a kernel TAP for the port's non-VIP frames (repeat "
                        "per port)");
        app_.add_option("--tcp-max-connections", out.tcp.max_connections)
            ->check(CLI::Range(uint32_t{1}, kMaxTcpConnections));
        app_.add_option("--tcp-receive-buffer", out.tcp.rx_buffer)
            ->check(CLI::Range(kMinTcpBuffer, kMaxTcpBuffer));
        app_.add_option("--tcp-send-buffer", out.tcp.tx_buffer)
            ->check(CLI::Range(kMinTcpBuffer, kMaxTcpBuffer));
        app_.add_option("--tcp-idle-timeout-ms", idle_timeout_ms_)
            ->check(CLI::Range(uint32_t{0}, kMaxTcpTimeoutMs));
        app_.add_option("--tcp-time-wait-ms", time_wait_ms_)
            ->check(CLI::Range(uint32_t{0}, kMaxTcpTimeoutMs));
    }

    bool parse(int argc, char** argv, Options& out, std::string& error) {
        // CLI11 takes the arguments last first, without a program name.
        std::vector<std::string> args(argv, argv + argc);
        std::reverse(args.begin(), args.end());
        try {
            app_.parse(args);
        } catch (const CLI::ParseError& e) {
            error = e.what();
            return false;
        }
        auto& dns = out.pipeline.dns;
        std::memcpy(dns.pop_name, pop_name_.data(), pop_name_.size());
        dns.pop_name_len = static_cast<uint8_t>(pop_name_.size());
        for (const std::string& vip : vips_) {
            error = add_vip(out.pipeline.vips, vip);
            if (!error.empty()) return false;
        }
        for (const std::string& tap : exception_taps_) {
            error = add_exception_port(out.exception_ports, tap);
            if (!error.empty()) return false;
        }
        if (max_udp_payload_) dns.max_udp_payload = static_cast<uint16_t>(*max_udp_payload_);
        if (idle_timeout_ms_) out.tcp.idle_timeout_us = uint64_t{*idle_timeout_ms_} * 1000;
        if (time_wait_ms_) out.tcp.time_wait_us = uint64_t{*time_wait_ms_} * 1000;
        return true;
    }

    std::string help() const { return app_.help(); }

  private:
    CLI::App app_;
    std::string pop_name_;
    std::vector<std::string> vips_;
    std::vector<std::string> exception_taps_;
    std::optional<uint32_t> max_udp_payload_;
    std::optional<uint32_t> idle_timeout_ms_;
    std::optional<uint32_t> time_wait_ms_;
};

} // namespace

std::string usage() {
    Options scratch;
    return OptionParser(scratch).help();
}

bool parse_options(int argc, char** argv, Options& out, std::string& error) {
    return OptionParser(out).parse(argc, argv, out, error);
}

} // namespace ringcast::runtime
