// ringcastd's configuration: one TOML file. Every key has a documented default; a missing or
// invalid key is reported with the file name and what was expected, before anything starts.
#pragma once

#include "controlplane/content/content_compiler.h"
#include "controlplane/zone/zone_compiler.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::config {

inline constexpr size_t kMaxPopNameLength = 63; // fits an NSID and one DNS TXT label comfortably

struct DataplaneConfig {
    std::vector<std::string> eal;    // EAL arguments, passed through verbatim
    std::vector<std::string> ports;  // DPDK device strings: a PCI address or a vdev
    std::vector<std::string> vips;   // anycast addresses, IPv4 and IPv6
    uint16_t max_udp_payload = 1232; // cap on UDP DNS responses whatever the client's EDNS size
    // 0: lcores poll without pause (dedicated cores). Otherwise an idle lcore sleeps this long,
    // leaving its CPU to the kernel's receive work when AF_XDP/AF_PACKET share cores with it.
    uint32_t idle_sleep_us = 0;
    std::string binary; // ringcast-dataplane; default: beside ringcastd

    bool operator==(const DataplaneConfig&) const = default;
};

struct AdminConfig {
    std::string socket; // [admin] socket; default "<runtime_dir>/admin.sock"

    bool operator==(const AdminConfig&) const = default;
};

// Where the Prometheus endpoint listens: "127.0.0.1:9253" or "[::1]:9253".
struct ListenAddress {
    std::string host; // numeric IPv4 or IPv6 address, no brackets
    uint16_t port = 0;

    std::string to_string() const; // "127.0.0.1:9253", "[::1]:9253"

    bool operator==(const ListenAddress&) const = default;
};

struct MetricsConfig {
    bool enabled = false; // [metrics] listen present
    ListenAddress listen;

    bool operator==(const MetricsConfig&) const = default;
};

struct Config {
    std::string file; // the configuration file, as given
    std::string pop_name;
    std::string runtime_dir = "/run/ringcast"; // snapshot, stats and sockets live here
    DataplaneConfig dataplane;
    AdminConfig admin;
    MetricsConfig metrics;
    std::vector<zone::ZoneSource> zones; // relative paths resolved against the config's directory
    // [[site]] tables, in file order; roots resolved like zone files. A root's existence is the
    // content compiler's to check (at start-up and on every reload), not the parser's.
    std::vector<content::SiteSource> sites;
};

// Parses "HOST:PORT" with a numeric IPv4 host or a bracketed IPv6 host. Returns false with
// `error` set otherwise (names are not resolved: the endpoint must not depend on DNS).
bool parse_listen_address(const std::string& text, ListenAddress& out, std::string& error);

// Reads and validates `path`. Returns false with one message per problem in `errors`.
bool load_config(const std::string& path, Config& out, std::vector<std::string>& errors);
// Same on TOML text in memory; `path` names it in messages and relative paths resolve against
// its directory, as if the text had been read from there (the tests and the fuzz target).
bool load_config_text(std::string_view text, const std::string& path, Config& out,
                      std::vector<std::string>& errors);

// Whether `host` is a lowercase host name as [[site]] hosts takes it: dot-separated labels of
// letters, digits and hyphens (1 to 63 each, no hyphen at either end), at most
// content::kMaxHostLength in all, no trailing dot.
bool is_site_host(const std::string& host);

// A PCI address ("0000:01:00.0" or "01:00.0") is attached with -a; anything else is a vdev.
bool is_pci_address(const std::string& device);

} // namespace ringcast::config
