#include "controlplane/health/from_config.h"

#include <fmt/format.h>

namespace ringcast::health {

Settings settings_from_config(const config::HealthConfig& health) {
    Settings settings;
    settings.interval = std::chrono::milliseconds(health.interval_ms);
    settings.timeout = std::chrono::milliseconds(health.timeout_ms);
    settings.threshold = std::chrono::milliseconds(health.threshold_ms);
    settings.rise = health.rise;
    settings.fall = health.fall;
    return settings;
}

bool probes_from_config(const config::Config& config, std::vector<ProbeSpec>& out,
                        std::string& error) {
    const config::HealthConfig& health = config.health;
    out.clear();
    std::vector<uint8_t> qname;
    uint16_t qtype = 0;
    if (!encode_dns_name(health.dns_name, qname)) {
        error = fmt::format("[health] dns_name \"{}\" is not a domain name", health.dns_name);
        return false;
    }
    if (!parse_dns_type(health.dns_type, qtype)) {
        error = fmt::format("[health] dns_type \"{}\" is not supported", health.dns_type);
        return false;
    }
    for (const std::string& vip : config.dataplane.vips) {
        ProbeSpec dns;
        dns.kind = ProbeSpec::Kind::dns;
        if (!Endpoint::parse(vip, health.dns_port, dns.target)) {
            error = fmt::format("VIP \"{}\" is not an address", vip);
            return false;
        }
        dns.interface = health.interface;
        dns.qname = qname;
        dns.qtype = qtype;
        out.push_back(dns);
        if (health.http) {
            ProbeSpec http;
            http.kind = ProbeSpec::Kind::http;
            Endpoint::parse(vip, health.http_port, http.target);
            http.interface = health.interface;
            http.http_host = health.http_host;
            http.http_path = health.http_path;
            out.push_back(std::move(http));
        }
    }
    return true;
}

} // namespace ringcast::health
