#include "controlplane/config/config.h"

#include <algorithm>
#include <arpa/inet.h>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <regex>
#include <toml++/toml.h>

namespace ringcast::config {
namespace {

constexpr int64_t kMaxIdleSleepUs = 1000; // the dataplane's own limit (--idle-sleep-us)

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
        if (auto value = node.value<std::string>())
            out = *value;
        else
            error(fmt::format("[{}] {}: expected a string", section, key));
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
        if ((*table)["root"] && site.root.empty()) reader.error("[site] root: must not be empty");
        if (!site.root.empty()) site.root = resolve(base, site.root);
        if ((*table)["cache_control"] && !site.cache_control.empty() &&
            !is_header_value(site.cache_control))
            reader.error("[site] cache_control: only visible ASCII and inner spaces (it is sent "
                         "as a header value)");
        out.push_back(std::move(site));
    }
}

} // namespace

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
    if (pop && !out.pop_name.empty()) {
        if (out.pop_name.size() > kMaxPopNameLength)
            reader.error(fmt::format("[pop] name: longer than {} characters", kMaxPopNameLength));
        if (!is_printable_pop_name(out.pop_name))
            reader.error("[pop] name: only printable ASCII without spaces is allowed");
    } else if (pop) {
        reader.error("[pop] name: must not be empty");
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
        if ((*dataplane)["ports"] && dp.ports.empty())
            reader.error("[dataplane] ports: at least one port is required");
        if ((*dataplane)["vips"] && dp.vips.empty())
            reader.error("[dataplane] vips: at least one VIP is required");
        for (const auto& vip : dp.vips)
            if (!is_valid_vip(vip))
                reader.error(
                    fmt::format("[dataplane] vips: \"{}\" is not an IPv4 or IPv6 address", vip));
        if (auto node = (*dataplane)["max_udp_payload"]) {
            auto value = node.value<int64_t>();
            if (!value || *value < 512 || *value > 4096)
                reader.error("[dataplane] max_udp_payload: expected an integer from 512 to 4096");
            else
                dp.max_udp_payload = static_cast<uint16_t>(*value);
        }
        if (auto node = (*dataplane)["idle_sleep_us"]) {
            auto value = node.value<int64_t>();
            if (!value || *value < 0 || *value > kMaxIdleSleepUs)
                reader.error(
                    fmt::format("[dataplane] idle_sleep_us: expected an integer from 0 to {}",
                                kMaxIdleSleepUs));
            else
                dp.idle_sleep_us = static_cast<uint32_t>(*value);
        }
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
