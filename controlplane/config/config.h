// ringcastd's configuration: one TOML file. Every key has a documented default; a missing or
// invalid key is reported with the file name and what was expected, before anything starts.
#pragma once

#include "controlplane/content/content_compiler.h"
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/dns/limits.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::config {

using dns::kMaxPopNameLength;

inline constexpr const char* kExceptionPortNone = "none";
inline constexpr const char* kExceptionPortTap = "tap";
inline constexpr size_t kMaxInterfaceName = 15; // IFNAMSIZ - 1

struct DataplaneConfig {
    std::vector<std::string> eal;   // EAL arguments, passed through verbatim
    std::vector<std::string> ports; // DPDK device strings: a PCI address or a vdev
    std::vector<std::string> vips;  // anycast addresses, IPv4 and IPv6
    // Cap on UDP DNS responses whatever the client's EDNS size.
    uint16_t max_udp_payload = dns::kDefaultMaxUdpPayload;
    // 0: lcores poll without pause (dedicated cores). Otherwise an idle lcore sleeps this long,
    // leaving its CPU to the kernel's receive work when AF_XDP/AF_PACKET share cores with it.
    uint32_t idle_sleep_us = 0;
    std::string binary; // ringcast-dataplane; default: beside ringcastd
    // On net_af_xdp ports: the XDP program DPDK attaches (xdp_prog=), which sends only VIP
    // traffic to the dataplane and passes the rest to the kernel (dataplane/xdp/). Default: the
    // built or installed vip_filter.bpf.o beside the binaries. xdp_vip_filter = false keeps
    // DPDK's own program, which takes every frame on the queue.
    std::string xdp_program;
    bool xdp_vip_filter = true;
    // Where the frames that are not for a VIP go on ports whose every frame reaches the
    // dataplane (a PCI port, net_af_packet, net_af_xdp without the VIP filter): "none" drops
    // them; "tap" gives each such port a kernel TAP interface with the port's MAC, where the
    // host's own addresses and its BGP speaker live (dataplane/runtime/exception_port.h).
    // Default "none": a TAP, even without addresses, has the kernel send IPv6 link-local
    // traffic out of the port, which an operator should ask for.
    std::string exception_port = kExceptionPortNone;
    // The TAPs' kernel names, one per port in `ports` order (resolved: default "rc-exc<i>",
    // i the port's position; unused for a port that gets no TAP).
    std::vector<std::string> exception_interfaces;
    // The host's own addresses ("198.51.100.2/24", "2001:db8:b::2/64"), which ringcastd puts on
    // the exception TAP each time a dataplane (re)starts: the TAP, and the addresses with it,
    // lives only as long as the dataplane. Only with exception_port = "tap" and one TAP.
    std::vector<std::string> exception_addresses;

    bool operator==(const DataplaneConfig&) const = default;
};

// An address with its prefix length, as an interface holds it ("198.51.100.2/24"): the host
// bits are kept, unlike a route's prefix.
struct InterfaceAddress {
    int family = 0;               // AF_INET or AF_INET6
    unsigned char bytes[16] = {}; // network order; 4 used for AF_INET
    unsigned prefix_length = 0;
};

// Parses "ADDRESS/LENGTH" (LENGTH 1..32 or 1..128); nullopt if it is not that.
std::optional<InterfaceAddress> parse_interface_address(const std::string& text);

// [tcp]: each lcore's TCP engine (dataplane/tcp/engine.h EngineConfig). Buffers are reserved
// as address space for max_connections and backed only as connections use them.
inline constexpr uint32_t kMaxTcpConnections = 1u << 20;
inline constexpr uint32_t kMinTcpBuffer = 1024;     // a request line and a few headers
inline constexpr uint32_t kMinTcpSendBuffer = 8192; // an HTTP head (4 KiB) and a DNS answer
inline constexpr uint32_t kMaxTcpBuffer = 16u << 20;
inline constexpr uint32_t kMaxTcpTimeoutMs = 3'600'000;
inline constexpr uint64_t kMaxTcpMemoryBytes = 64ull << 30;

struct TcpConfig {
    uint32_t max_connections = 4096;
    uint32_t receive_buffer = 4096; // the largest request a connection holds
    uint32_t send_buffer = 65536;   // copied bytes queued (heads, DNS answers); bodies are not
    uint32_t idle_timeout_ms = 60'000;
    uint32_t time_wait_ms = 30'000; // 2 MSL

    bool operator==(const TcpConfig&) const = default;
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

// [bgp]: which sidecar announces the VIP prefixes and how (controlplane/bgp/). Absent: no BGP.
inline constexpr int64_t kMaxBgpPrepend = 10;    // AS-path prepends; more only hurts
inline constexpr int64_t kMaxBgpSeconds = 3600;  // drain_seconds, hold_down_seconds
inline constexpr size_t kMaxBgpPrefixes = 64;    // one batch is one reconfigure
inline constexpr size_t kMaxBgpCommunities = 32; // per prefix, standard plus large

struct BgpPrefix {
    std::string prefix;                         // "203.0.113.0/24", canonical (host bits zero)
    std::vector<std::string> communities;       // "64500:100"
    std::vector<std::string> large_communities; // "64500:1:2"
    unsigned prepend = 0;                       // own-AS prepends while announced
    unsigned drain_prepend = 0;                 // further prepends while draining

    bool operator==(const BgpPrefix&) const = default;
};

struct BgpConfig {
    bool enabled = false; // [bgp] present
    std::string sidecar;  // "bird" | "exabgp" | "gobgp"
    std::vector<BgpPrefix> prefixes;
    std::string protocol = "upstream"; // BGP protocol (bird) / neighbor whose state is reported
    uint32_t local_as = 0;             // needed for prepends (bird, exabgp)
    std::string bird_socket = "/run/bird/bird.ctl";
    std::string include_file = "/etc/bird/ringcast.conf";
    std::string exabgp_pipe_in = "/run/exabgp/exabgp.in";   // commands to ExaBGP
    std::string exabgp_pipe_out = "/run/exabgp/exabgp.out"; // its done / error replies
    std::string gobgp_binary = "gobgp";
    std::string gobgp_api = "127.0.0.1:50051"; // gobgpd's gRPC address (gobgp -u/-p)
    unsigned drain_seconds = 30;
    unsigned hold_down_seconds = 10;
    bool global_withdrawal_guard = true; // stay announced when a failure looks global

    bool operator==(const BgpConfig&) const = default;
};

// "203.0.113.7/24" -> "203.0.113.0/24"; false unless a valid IPv4/IPv6 prefix.
bool canonical_prefix(const std::string& text, std::string& out);
// "ASN:VALUE" (16-bit each) / "GLOBAL:LOCAL1:LOCAL2" (32-bit each), RFC 1997 / RFC 8092.
bool is_community(const std::string& text);
bool is_large_community(const std::string& text);

// [health]: ringcastd's probes of its own VIPs (controlplane/health). Limits: config.cpp.
struct HealthConfig {
    bool enabled = false;         // [health] present: without it no probes run
    uint32_t interval_ms = 500;   // one round of probes this often
    uint32_t threshold_ms = 1000; // an answer slower than this is a failed check
    uint32_t timeout_ms = 1500;   // no answer by then: a failed check (at least threshold_ms)
    uint32_t rise = 2;            // consecutive good checks to become healthy
    uint32_t fall = 2;            // consecutive bad checks to become unhealthy
    std::string dns_name;         // asked of every VIP; default: the first zone's origin
    std::string dns_type = "SOA"; // A, AAAA, SOA, NS, MX or TXT
    uint16_t dns_port = 53;
    // The link the probes leave by (SO_BINDTODEVICE): one that ends in this PoP's dataplane, so
    // no other PoP can answer (controlplane/health/probe.h). Empty: the kernel's routes decide.
    std::string interface;
    bool http = false;     // also GET http_path from every VIP, expecting 200
    std::string http_host; // Host header; default: the VIP
    std::string http_path = "/";
    uint16_t http_port = 80;

    bool operator==(const HealthConfig&) const = default;
};

// [zones] compile_memory_limit, in MiB: what one zone compile (every reload) may hold, as the
// compiler accounts for it (controlplane/zone/memory_budget.h); a compile over it fails like any
// other and the snapshot served stays. The default fits ~30M records (a 1M-record zone takes
// about 220 MiB, bench/RESULTS.md) and keeps a runaway zone file from taking the host.
inline constexpr uint32_t kDefaultCompileMemoryMib = 8192;
inline constexpr uint32_t kMinCompileMemoryMib = 1;
inline constexpr uint32_t kMaxCompileMemoryMib = 1u << 20; // 1 TiB
inline constexpr unsigned kMibShift = 20;

struct ZonesConfig {
    uint32_t compile_memory_limit_mib = kDefaultCompileMemoryMib;

    uint64_t compile_memory_limit_bytes() const {
        return uint64_t{compile_memory_limit_mib} << kMibShift;
    }
    bool operator==(const ZonesConfig&) const = default;
};

struct Config {
    std::string file; // the configuration file, as given
    std::string pop_name;
    std::string runtime_dir = "/run/ringcast"; // snapshot, stats and sockets live here
    DataplaneConfig dataplane;
    TcpConfig tcp;
    AdminConfig admin;
    MetricsConfig metrics;
    HealthConfig health;
    std::vector<zone::ZoneSource> zones; // relative paths resolved against the config's directory
    ZonesConfig zone_compile;            // [zones]
    // [[site]] tables, in file order; roots resolved like zone files. A root's existence is the
    // content compiler's to check (at start-up and on every reload), not the parser's.
    std::vector<content::SiteSource> sites;
    BgpConfig bgp;
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
// content::kMaxHostLength in all, no trailing dot; or a bracketed lowercase IPv6 literal.
bool is_site_host(const std::string& host);

// A PCI address ("0000:01:00.0" or "01:00.0") is attached with -a; anything else is a vdev.
bool is_pci_address(const std::string& device);

// The name DPDK gives the port of a [dataplane] ports entry: a vdev's name (before its first
// comma), a PCI address with its domain ("01:00.0" is "0000:01:00.0").
std::string dpdk_port_name(const std::string& device);

// Whether [dataplane] port `device` gets an exception TAP: exception_port = "tap" and the port
// is not a net_af_xdp port whose XDP VIP filter already passes non-VIP frames to the kernel.
bool needs_exception_tap(const DataplaneConfig& dataplane, const std::string& device);

// The kernel name of the one exception TAP, where exception_addresses go; "" if there is not
// exactly one (the config rejects exception_addresses then).
std::string exception_address_interface(const DataplaneConfig& dataplane);

} // namespace ringcast::config
