#include "dataplane/runtime/options.h"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>
#include <string_view>

namespace ringcast::runtime {
namespace {

// Longer than this and an idle lcore would add visible latency to the first query after a lull.
constexpr uint32_t kMaxIdleSleepUs = 1000;
// Sanity bounds on what ringcastd passes ([tcp] in its config has the operator-facing limits).
constexpr uint32_t kMaxTcpConnections = 1u << 20;
constexpr uint32_t kMinTcpBuffer = 1024;
constexpr uint32_t kMaxTcpBuffer = 16u << 20;
constexpr uint32_t kMaxTcpTimeoutMs = 3'600'000;

bool parse_uint(std::string_view text, uint32_t min, uint32_t max, uint32_t& out) {
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        return false;
    out = value;
    return true;
}

bool add_vip(net::VipSet& vips, const char* text, std::string& error) {
    uint8_t address[16];
    if (inet_pton(AF_INET, text, address) == 1) {
        uint32_t be;
        std::memcpy(&be, address, 4);
        if (vips.add_v4(be)) return true;
    } else if (inet_pton(AF_INET6, text, address) == 1) {
        if (vips.add_v6(address)) return true;
    } else {
        error = std::string("--vip ") + text + ": not an IPv4 or IPv6 address";
        return false;
    }
    error = "too many VIPs (at most " + std::to_string(net::kMaxVipsPerFamily) + " per family)";
    return false;
}

} // namespace

const char* usage() {
    return "usage: ringcast-dataplane [EAL options] -- --snapshot FILE [--content FILE] --pop-name "
           "NAME --vip ADDR [--vip ADDR ...] [--max-udp-payload N] [--control-socket PATH] "
           "[--stats-file FILE] "
           "[--stats-interval-ms N] [--idle-sleep-us N] [--tcp-max-connections N] "
           "[--tcp-receive-buffer "
           "BYTES] [--tcp-send-buffer BYTES] [--tcp-idle-timeout-ms N] [--tcp-time-wait-ms N]";
}

bool parse_options(int argc, char** argv, Options& out, std::string& error) {
    auto& dns = out.pipeline.dns;
    for (int i = 0; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc) {
            error = std::string(arg) + ": missing value";
            return false;
        }
        const char* value = argv[++i];
        if (arg == "--snapshot") {
            out.snapshot_path = value;
        } else if (arg == "--content") {
            out.content_path = value;
        } else if (arg == "--control-socket") {
            out.control_path = value;
        } else if (arg == "--stats-file") {
            out.stats_path = value;
        } else if (arg == "--pop-name") {
            const size_t len = std::strlen(value);
            if (len == 0 || len > dns::kMaxPopNameLength) {
                error =
                    "--pop-name: 1 to " + std::to_string(dns::kMaxPopNameLength) + " characters";
                return false;
            }
            std::memcpy(dns.pop_name, value, len);
            dns.pop_name_len = static_cast<uint8_t>(len);
        } else if (arg == "--vip") {
            if (!add_vip(out.pipeline.vips, value, error)) return false;
        } else if (arg == "--max-udp-payload") {
            uint32_t n = 0;
            if (!parse_uint(value, dns::kClassicUdpPayload, 4096, n)) {
                error = "--max-udp-payload: an integer from 512 to 4096";
                return false;
            }
            dns.max_udp_payload = static_cast<uint16_t>(n);
        } else if (arg == "--idle-sleep-us") {
            if (!parse_uint(value, 0, kMaxIdleSleepUs, out.idle_sleep_us)) {
                error = "--idle-sleep-us: an integer from 0 to " + std::to_string(kMaxIdleSleepUs);
                return false;
            }
        } else if (arg == "--tcp-max-connections") {
            if (!parse_uint(value, 1, kMaxTcpConnections, out.tcp.max_connections)) {
                error = "--tcp-max-connections: an integer from 1 to " +
                        std::to_string(kMaxTcpConnections);
                return false;
            }
        } else if (arg == "--tcp-receive-buffer" || arg == "--tcp-send-buffer") {
            uint32_t& buffer =
                arg == "--tcp-receive-buffer" ? out.tcp.rx_buffer : out.tcp.tx_buffer;
            if (!parse_uint(value, kMinTcpBuffer, kMaxTcpBuffer, buffer)) {
                error = std::string(arg) + ": an integer from " + std::to_string(kMinTcpBuffer) +
                        " to " + std::to_string(kMaxTcpBuffer);
                return false;
            }
        } else if (arg == "--tcp-idle-timeout-ms" || arg == "--tcp-time-wait-ms") {
            uint32_t ms = 0;
            if (!parse_uint(value, 0, kMaxTcpTimeoutMs, ms)) {
                error =
                    std::string(arg) + ": an integer from 0 to " + std::to_string(kMaxTcpTimeoutMs);
                return false;
            }
            (arg == "--tcp-idle-timeout-ms" ? out.tcp.idle_timeout_us : out.tcp.time_wait_us) =
                uint64_t{ms} * 1000;
        } else if (arg == "--stats-interval-ms") {
            if (!parse_uint(value, 100, 3600 * 1000, out.stats_interval_ms)) {
                error = "--stats-interval-ms: an integer from 100 to 3600000";
                return false;
            }
        } else {
            error = std::string("unknown option ") + std::string(arg);
            return false;
        }
    }
    if (out.snapshot_path.empty())
        error = "--snapshot is required";
    else if (dns.pop_name_len == 0)
        error = "--pop-name is required";
    else if (out.pipeline.vips.v4_count + out.pipeline.vips.v6_count == 0)
        error = "at least one --vip is required";
    return error.empty();
}

} // namespace ringcast::runtime
