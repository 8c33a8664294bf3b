#include "controlplane/config/config.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <toml++/toml.h>

namespace ringcast::config {
namespace {

constexpr int64_t kMaxIdleSleepUs = 1000; // the dataplane's own limit (--idle-sleep-us)
// Prepends added while draining unless drain_prepend says otherwise: with 65535:0 they make a
// receiver that ignores RFC 8326 still prefer another PoP.
constexpr unsigned kDefaultDrainPrepend = 3;
// [health] limits: probes at least every minute and at most 20 rounds a second; one answer may
// take up to a minute; up to 100 checks before a verdict changes.
constexpr int64_t kMinHealthIntervalMs = 50;
constexpr int64_t kMaxHealthMs = 60000;
constexpr int64_t kMaxRiseFall = 100;
constexpr size_t kMaxInterfaceName = 15; // IFNAMSIZ - 1
constexpr size_t kMaxDnsNameText = 253;  // RFC 1035 §2.3.4, as text without the final dot
constexpr size_t kMaxHttpPath = 1024;

namespace fs = std::filesystem;

class Reader {
  public:
    Reader(const std::string& file, std::vector<std::string>& errors)
        : file_(file), errors_(errors) {}

    void error(const std::string& message) {
        errors_.push_back(fmt::format("{}: {}", file_, message));
    }

    void read_string(const toml::table& table, const char* section, const char* key,
                     std::string& out, bool required) {
        auto node = table[key];
        if (!node) {
            if (required)
                error(fmt::format("[{}] {}: missing (a string is required)", section, key));
            return;
        }
        if (auto value = node.value<std::string>()) {
            // A required key given as "" means nothing (found by config_fuzz: an empty zone
            // origin was accepted).
            if (required && value->empty())
                error(fmt::format("[{}] {}: empty (a non-empty string is required)", section, key));
            out = *value;
        } else {
            error(fmt::format("[{}] {}: expected a string", section, key));
        }
    }

    void read_strings(const toml::table& table, const char* section, const char* key,
                      std::vector<std::string>& out, bool required) {
        auto node = table[key];
        if (!node) {
            if (required)
                error(fmt::format("[{}] {}: missing (an array of strings is required)", section,
                                  key));
            return;
        }
        const toml::array* array = node.as_array();
        if (!array) {
            error(fmt::format("[{}] {}: expected an array of strings", section, key));
            return;
        }
        for (const auto& element : *array) {
            if (auto value = element.value<std::string>())
                out.push_back(*value);
            else
                error(fmt::format("[{}] {}: every element must be a string", section, key));
        }
    }

    // An integer key from `min` to `max`; absent keeps `out`.
    template <typename T>
    void read_integer(const toml::table& table, const char* section, const char* key, T& out,
                      int64_t min, int64_t max) {
        auto node = table[key];
        if (!node) return;
        auto value = node.value<int64_t>();
        if (!value || *value < min || *value > max)
            error(
                fmt::format("[{}] {}: expected an integer from {} to {}", section, key, min, max));
        else
            out = static_cast<T>(*value);
    }

    void read_bool(const toml::table& table, const char* section, const char* key, bool& out) {
        auto node = table[key];
        if (!node) return;
        if (const auto* value = node.as_boolean())
            out = value->get();
        else
            error(fmt::format("[{}] {}: expected true or false", section, key));
    }

  private:
    const std::string& file_;
    std::vector<std::string>& errors_;
};

bool is_valid_vip(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_printable_pop_name(const std::string& name) {
    for (unsigned char c : name)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

// A header value as RFC 9110 §5.5 allows it, without obs-text: visible ASCII, spaces and tabs
// inside. A CR or LF would let the configuration inject headers.
bool is_header_value(const std::string& value) {
    if (value.empty() || value.front() == ' ' || value.back() == ' ') return false;
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c > 0x7e) return false;
    return true;
}

// A domain name as text: labels of 1 to 63 visible ASCII characters, at most 253 in all, one
// optional final dot.
bool is_dns_name(std::string name) {
    if (!name.empty() && name.back() == '.') name.pop_back();
    if (name.empty() || name.size() > kMaxDnsNameText) return false;
    size_t label = 0;
    for (unsigned char c : name) {
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (c <= 0x20 || c >= 0x7f || ++label > dns::kMaxLabelLength) {
            return false;
        }
    }
    return label > 0;
}

void read_health(const toml::table& root, Reader& reader, Config& out) {
    HealthConfig& h = out.health;
    if (const toml::table* health = root["health"].as_table()) {
        h.enabled = true;
        const toml::table& t = *health;
        reader.read_integer(t, "health", "interval_ms", h.interval_ms, kMinHealthIntervalMs,
                            kMaxHealthMs);
        reader.read_integer(t, "health", "threshold_ms", h.threshold_ms, 1, kMaxHealthMs);
        reader.read_integer(t, "health", "timeout_ms", h.timeout_ms, 1, kMaxHealthMs);
        reader.read_integer(t, "health", "rise", h.rise, 1, kMaxRiseFall);
        reader.read_integer(t, "health", "fall", h.fall, 1, kMaxRiseFall);
        reader.read_string(t, "health", "dns_name", h.dns_name, false);
        reader.read_string(t, "health", "dns_type", h.dns_type, false);
        reader.read_integer(t, "health", "dns_port", h.dns_port, 1, 65535);
        reader.read_string(t, "health", "interface", h.interface, false);
        reader.read_bool(t, "health", "http", h.http);
        reader.read_string(t, "health", "http_host", h.http_host, false);
        reader.read_string(t, "health", "http_path", h.http_path, false);
        reader.read_integer(t, "health", "http_port", h.http_port, 1, 65535);
        // Without a timeout at least as long as the threshold, a slow answer would only ever be
        // seen as a lost one.
        if (!t["timeout_ms"] && h.timeout_ms < h.threshold_ms) h.timeout_ms = h.threshold_ms;
        if (h.timeout_ms < h.threshold_ms)
            reader.error(fmt::format("[health] timeout_ms: {} is below threshold_ms ({})",
                                     h.timeout_ms, h.threshold_ms));
        if (t["dns_name"] && !is_dns_name(h.dns_name))
            reader.error(fmt::format("[health] dns_name: \"{}\" is not a domain name", h.dns_name));
        static const std::vector<std::string> kTypes = {"A", "AAAA", "SOA", "NS", "MX", "TXT"};
        if (std::find(kTypes.begin(), kTypes.end(), h.dns_type) == kTypes.end())
            reader.error(fmt::format("[health] dns_type: \"{}\" is not one of A, AAAA, SOA, "
                                     "NS, MX, TXT",
                                     h.dns_type));
        if (h.interface.size() > kMaxInterfaceName ||
            h.interface.find_first_of("/ \t") != std::string::npos)
            reader.error(
                fmt::format("[health] interface: \"{}\" is not an interface name", h.interface));
        if (t["http_host"] && !is_site_host(h.http_host))
            reader.error(fmt::format("[health] http_host: \"{}\" is not a host name", h.http_host));
        if (h.http_path.empty() || h.http_path.front() != '/' ||
            h.http_path.size() > kMaxHttpPath ||
            std::any_of(h.http_path.begin(), h.http_path.end(),
                        [](unsigned char c) { return c <= 0x20 || c >= 0x7f; }))
            reader.error(fmt::format("[health] http_path: must start with / and hold only "
                                     "visible ASCII, at most {} characters",
                                     kMaxHttpPath));
    }
    if (h.dns_name.empty() && !out.zones.empty()) h.dns_name = out.zones.front().origin;
}

std::string resolve(const fs::path& base, const std::string& path) {
    fs::path p(path);
    return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

} // namespace

std::string ListenAddress::to_string() const {
    return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                               : fmt::format("{}:{}", host, port);
}

bool parse_listen_address(const std::string& text, ListenAddress& out, std::string& error) {
    std::string host;
    std::string port;
    if (!text.empty() && text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = fmt::format("\"{}\": expected [IPv6]:PORT", text);
            return false;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const size_t colon = text.rfind(':');
        if (colon == std::string::npos || text.find(':') != colon) {
            error = fmt::format("\"{}\": expected IPv4:PORT or [IPv6]:PORT", text);
            return false;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    unsigned char buffer[16];
    const bool v6 = host.find(':') != std::string::npos;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, host.c_str(), buffer) != 1) {
        error = fmt::format("\"{}\": \"{}\" is not a numeric IP address", text, host);
        return false;
    }
    static const std::regex kPort("^[0-9]{1,5}$");
    if (!std::regex_match(port, kPort) || std::stoul(port) == 0 || std::stoul(port) > 65535) {
        error = fmt::format("\"{}\": port must be a number from 1 to 65535", text);
        return false;
    }
    out.host = host;
    out.port = static_cast<uint16_t>(std::stoul(port));
    return true;
}

bool is_pci_address(const std::string& device) {
    static const std::regex kPci("^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7](,.*)?$");
    return std::regex_match(device, kPci);
}

bool is_site_host(const std::string& host) {
    if (host.empty() || host.size() > content::kMaxHostLength) return false;
    // An IPv6 literal as a Host field carries it (RFC 3986 §3.2.2), lowercase like names, so a
    // client that asks for the VIP by address finds the site.
    if (host.front() == '[') {
        if (host.back() != ']') return false;
        const std::string inner = host.substr(1, host.size() - 2);
        in6_addr address;
        if (inet_pton(AF_INET6, inner.c_str(), &address) != 1) return false;
        return std::none_of(inner.begin(), inner.end(),
                            [](char c) { return c >= 'A' && c <= 'Z'; });
    }
    size_t label = 0;
    for (size_t i = 0; i <= host.size(); ++i) {
        if (i == host.size() || host[i] == '.') {
            if (label == 0 || label > 63 || host[i - 1] == '-' || host[i - label] == '-')
                return false;
            label = 0;
            continue;
        }
        const char c = host[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
        ++label;
    }
    return true;
}

namespace {

// [[site]] tables: hosts (lowercase names, each served by one site only), root, cache_control.
void read_sites(const toml::table& root, const fs::path& base, Reader& reader,
                std::vector<content::SiteSource>& out) {
    auto node = root["site"];
    if (!node) return;
    const toml::array* sites = node.as_array();
    if (!sites) {
        reader.error("[[site]]: expected an array of tables (write [[site]], not [site])");
        return;
    }
    if (sites->size() > content::kMaxSites)
        reader.error(
            fmt::format("[[site]]: {} sites, at most {}", sites->size(), content::kMaxSites));
    std::map<std::string, std::string> site_of_host; // host -> the first host of its site
    for (const auto& element : *sites) {
        const toml::table* table = element.as_table();
        if (!table) {
            reader.error("[[site]]: each entry must be a table with hosts and root");
            continue;
        }
        content::SiteSource site;
        reader.read_strings(*table, "site", "hosts", site.hosts, true);
        reader.read_string(*table, "site", "root", site.root, true);
        reader.read_string(*table, "site", "cache_control", site.cache_control, false);
        if ((*table)["hosts"].is_array() && site.hosts.empty())
            reader.error("[site] hosts: at least one host name is required");
        if (site.hosts.size() > content::kMaxHostsPerSite)
            reader.error(fmt::format("[site] hosts: {} names, at most {}", site.hosts.size(),
                                     content::kMaxHostsPerSite));
        for (const std::string& host : site.hosts) {
            if (!is_site_host(host)) {
                const bool upper = std::any_of(host.begin(), host.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; });
                reader.error(upper ? fmt::format("[site] hosts: \"{}\" must be lowercase", host)
                                   : fmt::format("[site] hosts: \"{}\" is not a host name", host));
                continue;
            }
            const auto [it, added] = site_of_host.emplace(host, site.hosts.front());
            if (!added)
                reader.error(fmt::format("[site] hosts: \"{}\" is already served by the site "
                                         "of {}",
                                         host, it->second));
        }
        if (!site.root.empty()) site.root = resolve(base, site.root);
        if ((*table)["cache_control"] && !site.cache_control.empty() &&
            !is_header_value(site.cache_control))
            reader.error("[site] cache_control: only visible ASCII and inner spaces (it is sent "
                         "as a header value)");
        out.push_back(std::move(site));
    }
}

bool read_count(const toml::table& table, const char* section, const char* key, int64_t max,
                Reader& reader, unsigned& out) {
    auto node = table[key];
    if (!node) return false;
    auto value = node.value<int64_t>();
    if (!value || *value < 0 || *value > max || !(node.is_integer())) {
        reader.error(fmt::format("[{}] {}: expected an integer from 0 to {}", section, key, max));
        return false;
    }
    out = static_cast<unsigned>(*value);
    return true;
}

void read_prefix_attributes(const toml::table& table, const char* section, Reader& reader,
                            BgpPrefix& out) {
    reader.read_strings(table, section, "communities", out.communities, false);
    reader.read_strings(table, section, "large_communities", out.large_communities, false);
    read_count(table, section, "prepend", kMaxBgpPrepend, reader, out.prepend);
    read_count(table, section, "drain_prepend", kMaxBgpPrepend, reader, out.drain_prepend);
}

void check_prefix_attributes(const BgpPrefix& p, Reader& reader) {
    for (const std::string& c : p.communities)
        if (!is_community(c))
            reader.error(
                fmt::format("[bgp] communities: \"{}\" is not ASN:VALUE (0-65535 each)", c));
    for (const std::string& c : p.large_communities)
        if (!is_large_community(c))
            reader.error(fmt::format("[bgp] large_communities: \"{}\" is not GLOBAL:LOCAL1:LOCAL2 "
                                     "(32-bit each)",
                                     c));
    if (p.communities.size() + p.large_communities.size() > kMaxBgpCommunities)
        reader.error(
            fmt::format("[bgp] {}: more than {} communities", p.prefix, kMaxBgpCommunities));
}

// [bgp]: the sidecar, its endpoint, the prefixes (strings, or tables that override the
// section's communities / large_communities / prepend / drain_prepend for one prefix).
void read_bgp(const toml::table& root, const fs::path& base, Reader& reader, BgpConfig& out) {
    const toml::table* bgp = root["bgp"].as_table();
    if (!bgp) return;
    out.enabled = true;
    reader.read_string(*bgp, "bgp", "sidecar", out.sidecar, false);
    if (out.sidecar.empty()) out.sidecar = "bird";
    if (out.sidecar != "bird" && out.sidecar != "exabgp" && out.sidecar != "gobgp")
        reader.error(
            fmt::format("[bgp] sidecar: \"{}\" is not one of bird, exabgp, gobgp", out.sidecar));
    reader.read_string(*bgp, "bgp", "protocol", out.protocol, false);
    reader.read_string(*bgp, "bgp", "bird_socket", out.bird_socket, false);
    reader.read_string(*bgp, "bgp", "include_file", out.include_file, false);
    reader.read_string(*bgp, "bgp", "exabgp_pipe_in", out.exabgp_pipe_in, false);
    reader.read_string(*bgp, "bgp", "exabgp_pipe_out", out.exabgp_pipe_out, false);
    reader.read_string(*bgp, "bgp", "gobgp_binary", out.gobgp_binary, false);
    reader.read_string(*bgp, "bgp", "gobgp_api", out.gobgp_api, false);
    for (std::string* path :
         {&out.bird_socket, &out.include_file, &out.exabgp_pipe_in, &out.exabgp_pipe_out})
        if (!path->empty()) *path = resolve(base, *path);
    if (out.protocol.empty() ||
        !std::regex_match(out.protocol, std::regex("^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$")))
        reader.error("[bgp] protocol: a BIRD protocol name or the peer address (exabgp, gobgp)");
    if (auto node = (*bgp)["local_as"]) {
        auto value = node.value<int64_t>();
        if (!value || *value < 1 || *value > 4294967295LL)
            reader.error("[bgp] local_as: expected an AS number from 1 to 4294967295");
        else
            out.local_as = static_cast<uint32_t>(*value);
    }
    read_count(*bgp, "bgp", "drain_seconds", kMaxBgpSeconds, reader, out.drain_seconds);
    read_count(*bgp, "bgp", "hold_down_seconds", kMaxBgpSeconds, reader, out.hold_down_seconds);
    if (auto node = (*bgp)["global_withdrawal_guard"]) {
        if (auto value = node.value<bool>())
            out.global_withdrawal_guard = *value;
        else
            reader.error("[bgp] global_withdrawal_guard: expected true or false");
    }

    BgpPrefix defaults;
    read_prefix_attributes(*bgp, "bgp", reader, defaults);
    if (!(*bgp)["drain_prepend"]) defaults.drain_prepend = kDefaultDrainPrepend;
    const toml::array* prefixes = (*bgp)["prefixes"].as_array();
    if (!prefixes || prefixes->empty()) {
        reader.error("[bgp] prefixes: at least one prefix is required");
        return;
    }
    if (prefixes->size() > kMaxBgpPrefixes)
        reader.error(fmt::format("[bgp] prefixes: {} prefixes, at most {}", prefixes->size(),
                                 kMaxBgpPrefixes));
    for (const auto& element : *prefixes) {
        BgpPrefix p = defaults;
        std::string text;
        if (auto value = element.value<std::string>()) {
            text = *value;
        } else if (const toml::table* table = element.as_table()) {
            reader.read_string(*table, "bgp.prefixes", "prefix", text, true);
            p.communities.clear();
            p.large_communities.clear();
            if (!(*table)["communities"]) p.communities = defaults.communities;
            if (!(*table)["large_communities"]) p.large_communities = defaults.large_communities;
            read_prefix_attributes(*table, "bgp.prefixes", reader, p);
        } else {
            reader.error("[bgp] prefixes: each entry is a prefix string or a table with prefix");
            continue;
        }
        if (!canonical_prefix(text, p.prefix)) {
            if (!text.empty())
                reader.error(
                    fmt::format("[bgp] prefixes: \"{}\" is not an IPv4 or IPv6 prefix", text));
            continue;
        }
        if (p.prefix != text)
            reader.error(fmt::format("[bgp] prefixes: \"{}\" has host bits set (meant {}?)", text,
                                     p.prefix));
        for (const BgpPrefix& seen : out.prefixes)
            if (seen.prefix == p.prefix)
                reader.error(fmt::format("[bgp] prefixes: {} is listed twice", p.prefix));
        check_prefix_attributes(p, reader);
        if ((p.prepend > 0 || p.drain_prepend > 0) && out.local_as == 0 && out.sidecar != "gobgp")
            reader.error(
                fmt::format("[bgp] {}: prepends need local_as (the AS prepended)", p.prefix));
        out.prefixes.push_back(std::move(p));
    }
}

// [dataplane] xdp_program and xdp_vip_filter. The program's existence is checked when ringcastd
// starts (its default depends on where ringcastd runs from), not here.
void read_xdp_keys(const toml::table& dataplane, const fs::path& base, Reader& reader,
                   DataplaneConfig& dp) {
    if (auto node = dataplane["xdp_vip_filter"]) {
        if (auto value = node.value_exact<bool>())
            dp.xdp_vip_filter = *value;
        else
            reader.error("[dataplane] xdp_vip_filter: expected true or false");
    }
    if (dataplane["xdp_program"]) {
        reader.read_string(dataplane, "dataplane", "xdp_program", dp.xdp_program, false);
        if (dataplane["xdp_program"].is_string() && dp.xdp_program.empty())
            reader.error("[dataplane] xdp_program: must not be empty (leave it out for the "
                         "default)");
        // DPDK splits device arguments at commas: the path goes into one.
        if (dp.xdp_program.find(',') != std::string::npos)
            reader.error(fmt::format("[dataplane] xdp_program: \"{}\": a path with a comma "
                                     "cannot be passed to DPDK",
                                     dp.xdp_program));
        if (!dp.xdp_program.empty()) dp.xdp_program = resolve(base, dp.xdp_program);
    }
    for (const std::string& port : dp.ports)
        if (port.rfind("net_af_xdp", 0) == 0 && port.find(",xdp_prog=") != std::string::npos)
            reader.error(fmt::format("[dataplane] ports: \"{}\": set the XDP program with "
                                     "[dataplane] xdp_program, not xdp_prog=",
                                     port));
}

// [dataplane] exception_addresses: host addresses for the one exception TAP, none a VIP (the
// dataplane answers those itself) and none twice.
void read_exception_addresses(const toml::table& dataplane, Reader& reader, DataplaneConfig& dp) {
    if (!dataplane["exception_addresses"]) return;
    reader.read_strings(dataplane, "dataplane", "exception_addresses", dp.exception_addresses,
                        false);
    if (dp.exception_port != kExceptionPortTap)
        return reader.error("[dataplane] exception_addresses: only with exception_port = \"tap\" "
                            "(they go on the exception TAP)");
    if (!dp.exception_addresses.empty() && exception_address_interface(dp).empty())
        return reader.error("[dataplane] exception_addresses: more than one port has an "
                            "exception TAP; which one gets the addresses is ambiguous");
    std::vector<InterfaceAddress> seen;
    for (const std::string& text : dp.exception_addresses) {
        const auto address = parse_interface_address(text);
        if (!address) {
            reader.error(fmt::format("[dataplane] exception_addresses: \"{}\": expected an IPv4 "
                                     "address/1-32 or an IPv6 address/1-128",
                                     text));
            continue;
        }
        const size_t size = address->family == AF_INET ? 4 : 16;
        auto same = [&](const InterfaceAddress& other) {
            return other.family == address->family &&
                   std::equal(other.bytes, other.bytes + size, address->bytes);
        };
        if (std::any_of(seen.begin(), seen.end(), same))
            reader.error(fmt::format("[dataplane] exception_addresses: \"{}\": the address is "
                                     "listed twice",
                                     text));
        for (const std::string& vip : dp.vips) {
            const auto vip_address =
                parse_interface_address(vip + (address->family == AF_INET ? "/32" : "/128"));
            if (vip_address && same(*vip_address))
                reader.error(fmt::format("[dataplane] exception_addresses: \"{}\" is a VIP (the "
                                         "dataplane answers it, the kernel never sees it)",
                                         text));
        }
        seen.push_back(*address);
    }
}

// [dataplane] exception_port and exception_interfaces, after ports and the XDP keys.
void read_exception_keys(const toml::table& dataplane, Reader& reader, DataplaneConfig& dp) {
    reader.read_string(dataplane, "dataplane", "exception_port", dp.exception_port, false);
    if (dp.exception_port != kExceptionPortNone && dp.exception_port != kExceptionPortTap) {
        reader.error(fmt::format("[dataplane] exception_port: \"{}\": expected \"none\" or "
                                 "\"tap\"",
                                 dp.exception_port));
        return;
    }
    std::vector<std::string> names;
    reader.read_strings(dataplane, "dataplane", "exception_interfaces", names, false);
    if (dataplane["exception_interfaces"] && names.size() != dp.ports.size()) {
        reader.error(fmt::format("[dataplane] exception_interfaces: {} names for {} ports (one "
                                 "per port, in the order of ports)",
                                 names.size(), dp.ports.size()));
        return;
    }
    for (size_t i = names.size(); i < dp.ports.size(); ++i)
        names.push_back(fmt::format("rc-exc{}", i));
    for (size_t i = 0; i < names.size(); ++i) {
        const std::string& name = names[i];
        if (name.empty() || name.size() > kMaxInterfaceName ||
            !std::all_of(name.begin(), name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                       c == '.';
            }))
            reader.error(fmt::format("[dataplane] exception_interfaces: \"{}\": an interface "
                                     "name is 1 to {} letters, digits, '-', '_' or '.'",
                                     name, kMaxInterfaceName));
        for (size_t j = 0; j < i; ++j)
            if (names[j] == name)
                reader.error(
                    fmt::format("[dataplane] exception_interfaces: \"{}\" is listed twice", name));
    }
    dp.exception_interfaces = std::move(names);
    if (dp.exception_port == kExceptionPortTap && !dp.ports.empty() &&
        std::none_of(dp.ports.begin(), dp.ports.end(),
                     [&](const std::string& port) { return needs_exception_tap(dp, port); }))
        reader.error("[dataplane] exception_port = \"tap\": no port needs one (net_af_xdp "
                     "ports with the XDP VIP filter pass non-VIP frames to the kernel already)");
    read_exception_addresses(dataplane, reader, dp);
}

} // namespace

std::string dpdk_port_name(const std::string& device) {
    std::string name = device.substr(0, device.find(','));
    if (is_pci_address(name) && std::count(name.begin(), name.end(), ':') == 1)
        name = "0000:" + name;
    return name;
}

bool needs_exception_tap(const DataplaneConfig& dataplane, const std::string& device) {
    if (dataplane.exception_port != kExceptionPortTap) return false;
    const bool af_xdp = device.rfind("net_af_xdp", 0) == 0;
    return !(af_xdp && dataplane.xdp_vip_filter);
}

std::string exception_address_interface(const DataplaneConfig& dataplane) {
    std::string found;
    for (size_t i = 0; i < dataplane.ports.size(); ++i) {
        if (!needs_exception_tap(dataplane, dataplane.ports[i])) continue;
        if (!found.empty() || i >= dataplane.exception_interfaces.size()) return "";
        found = dataplane.exception_interfaces[i];
    }
    return found;
}

std::optional<InterfaceAddress> parse_interface_address(const std::string& text) {
    const size_t slash = text.find('/');
    if (slash == std::string::npos || slash + 1 >= text.size() || text.size() - slash > 4)
        return std::nullopt;
    const std::string length = text.substr(slash + 1);
    if (!std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    InterfaceAddress out;
    out.family = text.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (inet_pton(out.family, text.substr(0, slash).c_str(), out.bytes) != 1) return std::nullopt;
    out.prefix_length = static_cast<unsigned>(std::stoul(length));
    const unsigned max_bits = out.family == AF_INET ? 32 : 128;
    if (out.prefix_length == 0 || out.prefix_length > max_bits) return std::nullopt;
    return out;
}

bool canonical_prefix(const std::string& text, std::string& out) {
    const size_t slash = text.find('/');
    if (slash == std::string::npos || slash + 1 >= text.size() || text.size() - slash > 4)
        return false;
    const std::string address = text.substr(0, slash);
    const std::string length = text.substr(slash + 1);
    if (!std::all_of(length.begin(), length.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    const bool v6 = address.find(':') != std::string::npos;
    unsigned char bytes[16] = {};
    if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), bytes) != 1) return false;
    const unsigned bits = static_cast<unsigned>(std::stoul(length));
    const unsigned max_bits = v6 ? 128 : 32;
    if (bits > max_bits) return false;
    for (unsigned i = 0; i < max_bits / 8; ++i) {
        const unsigned first = i * 8;
        if (first >= bits)
            bytes[i] = 0;
        else if (first + 8 > bits)
            bytes[i] &= static_cast<unsigned char>(0xff << (8 - (bits - first)));
    }
    char buffer[INET6_ADDRSTRLEN];
    inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buffer, sizeof(buffer));
    out = fmt::format("{}/{}", buffer, bits);
    return true;
}

namespace {
bool parse_parts(const std::string& text, size_t count, uint64_t max) {
    size_t parts = 0;
    size_t start = 0;
    for (;;) {
        const size_t colon = text.find(':', start);
        const std::string part =
            text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (part.empty() || part.size() > 10 ||
            !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            std::stoull(part) > max)
            return false;
        ++parts;
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return parts == count;
}
} // namespace

bool is_community(const std::string& text) {
    return parse_parts(text, 2, 65535);
}

bool is_large_community(const std::string& text) {
    return parse_parts(text, 3, 4294967295ULL);
}

namespace {

// The file at `path`, or `text` when given (then `path` only names it and resolves relative
// paths against its directory).
bool load(const std::string& path, const std::string_view* text, Config& out,
          std::vector<std::string>& errors) {
    out = Config{};
    out.file = path;
    const size_t errors_before = errors.size();
    Reader reader(path, errors);

    toml::table root;
    try {
        root = text ? toml::parse(*text, path) : toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        errors.push_back(fmt::format("{}:{}: {}", path, where.line, e.description()));
        return false;
    } catch (const std::exception& e) {
        errors.push_back(fmt::format("{}: {}", path, e.what()));
        return false;
    }
    const fs::path base = fs::absolute(fs::path(path)).parent_path();

    const toml::table* pop = root["pop"].as_table();
    if (!pop)
        reader.error("[pop] section missing (it names this PoP)");
    else
        reader.read_string(*pop, "pop", "name", out.pop_name, true);
    if (pop && !out.pop_name.empty()) { // missing or empty: read_string said so
        if (out.pop_name.size() > kMaxPopNameLength)
            reader.error(fmt::format("[pop] name: longer than {} characters", kMaxPopNameLength));
        if (!is_printable_pop_name(out.pop_name))
            reader.error("[pop] name: only printable ASCII without spaces is allowed");
    }

    if (const toml::table* paths = root["paths"].as_table()) {
        reader.read_string(*paths, "paths", "runtime_dir", out.runtime_dir, false);
        out.runtime_dir = resolve(base, out.runtime_dir);
    }

    const toml::table* dataplane = root["dataplane"].as_table();
    if (!dataplane) {
        reader.error("[dataplane] section missing (eal, ports and vips are required)");
    } else {
        auto& dp = out.dataplane;
        reader.read_strings(*dataplane, "dataplane", "eal", dp.eal, false);
        reader.read_strings(*dataplane, "dataplane", "ports", dp.ports, true);
        reader.read_strings(*dataplane, "dataplane", "vips", dp.vips, true);
        reader.read_string(*dataplane, "dataplane", "binary", dp.binary, false);
        if (!dp.binary.empty()) dp.binary = resolve(base, dp.binary);
        read_xdp_keys(*dataplane, base, reader, dp);
        read_exception_keys(*dataplane, reader, dp);
        if ((*dataplane)["ports"] && dp.ports.empty())
            reader.error("[dataplane] ports: at least one port is required");
        if ((*dataplane)["vips"] && dp.vips.empty())
            reader.error("[dataplane] vips: at least one VIP is required");
        for (const auto& vip : dp.vips)
            if (!is_valid_vip(vip))
                reader.error(
                    fmt::format("[dataplane] vips: \"{}\" is not an IPv4 or IPv6 address", vip));
        reader.read_integer(*dataplane, "dataplane", "max_udp_payload", dp.max_udp_payload,
                            dns::kClassicUdpPayload, dns::kMaxUdpPayload);
        reader.read_integer(*dataplane, "dataplane", "idle_sleep_us", dp.idle_sleep_us, 0,
                            kMaxIdleSleepUs);
    }

    // [tcp]: the dataplane's connection table, per lcore. Every cap is a hard one.
    if (const toml::table* tcp = root["tcp"].as_table()) {
        TcpConfig& t = out.tcp;
        reader.read_integer(*tcp, "tcp", "max_connections", t.max_connections, 1,
                            kMaxTcpConnections);
        reader.read_integer(*tcp, "tcp", "receive_buffer", t.receive_buffer, kMinTcpBuffer,
                            kMaxTcpBuffer);
        reader.read_integer(*tcp, "tcp", "send_buffer", t.send_buffer, kMinTcpSendBuffer,
                            kMaxTcpBuffer);
        reader.read_integer(*tcp, "tcp", "idle_timeout_ms", t.idle_timeout_ms, 100,
                            kMaxTcpTimeoutMs);
        reader.read_integer(*tcp, "tcp", "time_wait_ms", t.time_wait_ms, 0, kMaxTcpTimeoutMs);
        const uint64_t memory = uint64_t{t.max_connections} * (t.receive_buffer + t.send_buffer);
        if (memory > kMaxTcpMemoryBytes)
            reader.error(fmt::format("[tcp] max_connections × (receive_buffer + send_buffer) = {} "
                                     "bytes per lcore, above the limit of {} bytes",
                                     memory, kMaxTcpMemoryBytes));
    }

    // [admin] socket: per-config default beside the snapshot, so several PoPs (and tests) on one
    // host never share a socket by accident.
    if (const toml::table* admin = root["admin"].as_table())
        reader.read_string(*admin, "admin", "socket", out.admin.socket, false);
    out.admin.socket = out.admin.socket.empty()
                           ? (fs::path(out.runtime_dir) / "admin.sock").string()
                           : resolve(base, out.admin.socket);

    // [metrics] listen is optional: without it there is no HTTP endpoint at all.
    if (const toml::table* metrics = root["metrics"].as_table()) {
        std::string listen;
        reader.read_string(*metrics, "metrics", "listen", listen, false);
        if (!listen.empty()) {
            std::string error;
            if (parse_listen_address(listen, out.metrics.listen, error))
                out.metrics.enabled = true;
            else
                reader.error(fmt::format("[metrics] listen: {}", error));
        }
    }

    // [zones]: settings of every zone's compile (the zones themselves are [[zone]]).
    if (const toml::table* zones = root["zones"].as_table())
        reader.read_integer(*zones, "zones", "compile_memory_limit",
                            out.zone_compile.compile_memory_limit_mib, kMinCompileMemoryMib,
                            kMaxCompileMemoryMib);

    const toml::array* zones = root["zone"].as_array();
    if (!zones || zones->empty()) {
        reader.error("[[zone]] missing: at least one zone (origin, file) is required");
    } else {
        for (const auto& element : *zones) {
            const toml::table* zone = element.as_table();
            if (!zone) {
                reader.error("[[zone]]: each entry must be a table with origin and file");
                continue;
            }
            zone::ZoneSource source;
            reader.read_string(*zone, "zone", "origin", source.origin, true);
            reader.read_string(*zone, "zone", "file", source.file, true);
            if (!source.file.empty()) source.file = resolve(base, source.file);
            out.zones.push_back(std::move(source));
        }
    }
    read_sites(root, base, reader, out.sites);
    read_bgp(root, base, reader, out.bgp);
    read_health(root, reader, out);
    return errors.size() == errors_before;
}

} // namespace

bool load_config(const std::string& path, Config& out, std::vector<std::string>& errors) {
    return load(path, nullptr, out, errors);
}

bool load_config_text(std::string_view text, const std::string& path, Config& out,
                      std::vector<std::string>& errors) {
    return load(path, &text, out, errors);
}

} // namespace ringcast::config
