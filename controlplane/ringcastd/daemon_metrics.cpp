#include "controlplane/ringcastd/daemon_metrics.h"

#include <fmt/format.h>
#include <string_view>

namespace ringcast::daemon {
namespace {

struct Metric {
    std::string_view name;
    std::string_view type;
    std::string_view help;
    void (*samples)(const DaemonMetrics&, std::string_view name, std::string& out);
};

void sample(std::string& out, std::string_view name, std::string_view labels, auto value) {
    out += labels.empty() ? fmt::format("{} {}\n", name, value)
                          : fmt::format("{}{{{}}} {}\n", name, labels, value);
}

// Label values are zone origins: escape what the exposition format requires (\, ", newline).
std::string escape_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out.push_back(c);
    }
    return out;
}

const Metric kMetrics[] = {
    {"ringcast_dataplane_up", "gauge", "1 when the dataplane answers its control socket",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.dataplane_up ? 1 : 0);
     }},
    {"ringcast_dataplane_restarts_total", "counter",
     "Times ringcastd restarted a dataplane that exited, hung or stalled",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.dataplane_restarts);
     }},
    {"ringcast_snapshot_generation", "gauge",
     "Generation of the snapshot ringcastd compiled last (the one the dataplane should serve)",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.snapshot_generation);
     }},
    {"ringcast_dataplane_serving_generation", "gauge",
     "Generation of the snapshot the dataplane serves (0 while none runs)",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.serving_generation);
     }},
    {"ringcast_catch_up_pending", "gauge",
     "1 while a restarted dataplane serves an older snapshot than the compiled one and ringcastd "
     "keeps retrying the load",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.catch_up_pending ? 1 : 0);
     }},
    {"ringcast_content_sites", "gauge", "Sites in the content snapshot being served",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.content_sites);
     }},
    {"ringcast_content_objects", "gauge", "Objects in the content snapshot being served",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.content_objects);
     }},
    {"ringcast_content_body_bytes", "gauge",
     "Body bytes (every encoding) in the content snapshot being served",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.content_body_bytes);
     }},
    {"ringcast_snapshot_age_seconds", "gauge", "Seconds since the served snapshot was built",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.snapshot_age_seconds);
     }},
    {"ringcast_reloads_total", "counter",
     "Reload requests by outcome (rejected: refused or failed, the old data kept serving)",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "result=\"ok\"", m.reloads.ok());
         sample(out, n, "result=\"rejected\"", m.reloads.failed());
     }},
    {"ringcast_reload_failures_total", "counter",
     "Reload requests refused or failed, by reason (the admin error code: busy, not_found, "
     "rejected, unavailable); they sum to ringcast_reloads_total{result=\"rejected\"}",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         for (size_t i = 0; i < kReloadFailureReasonCount; ++i)
             sample(out, n, fmt::format("reason=\"{}\"", kReloadFailureReasons[i]),
                    m.reloads.failed(i));
     }},
    {"ringcast_zone_serial", "gauge", "SOA serial of each zone being served",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         for (const auto& [origin, serial] : m.zone_serials)
             sample(out, n, fmt::format("zone=\"{}\"", escape_label(origin)), serial);
     }},
    {"ringcast_daemon_uptime_seconds", "gauge", "Seconds since ringcastd started",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.uptime_seconds);
     }},
    {"ringcast_admin_clients", "gauge", "Connections open on the admin socket",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.admin_clients);
     }},
};

constexpr const char* kAnnounceStates[] = {"withdrawn", "announced", "draining"};

const Metric kBgpMetrics[] = {
    {"ringcast_bgp_announce_state", "gauge",
     "1 for the announce state the PoP's prefix set is in (withdrawn, announced, draining)",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         for (const char* state : kAnnounceStates)
             sample(out, n, fmt::format("state=\"{}\"", state), m.bgp_state == state ? 1 : 0);
     }},
    {"ringcast_bgp_prefix_announced", "gauge",
     "1 while a prefix is announced (draining included), 0 when withdrawn",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         for (const std::string& prefix : m.bgp_prefixes)
             sample(out, n, fmt::format("prefix=\"{}\"", escape_label(prefix)),
                    m.bgp_state == "withdrawn" ? 0 : 1);
     }},
    {"ringcast_bgp_session_established", "gauge",
     "1 when the sidecar's session to the upstream is established",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.bgp_session_established ? 1 : 0);
     }},
    {"ringcast_bgp_drain", "gauge", "1 while an operator's drain is in force (ringcastctl drain)",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.bgp_drain ? 1 : 0);
     }},
    {"ringcast_bgp_guard_active", "gauge",
     "1 while the global-withdrawal guard keeps failing prefixes announced",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.bgp_guard_active ? 1 : 0);
     }},
    {"ringcast_bgp_apply_failures_total", "counter",
     "Batches the sidecar refused or did not acknowledge",
     [](const DaemonMetrics& m, std::string_view n, std::string& out) {
         sample(out, n, "", m.bgp_apply_failures);
     }},
};

} // namespace

std::string render_daemon_metrics(const DaemonMetrics& metrics) {
    std::string out;
    for (const Metric& metric : kMetrics) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", metric.name, metric.help, metric.name,
                           metric.type);
        metric.samples(metrics, metric.name, out);
    }
    if (!metrics.bgp_enabled) return out;
    for (const Metric& metric : kBgpMetrics) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", metric.name, metric.help, metric.name,
                           metric.type);
        metric.samples(metrics, metric.name, out);
    }
    return out;
}

} // namespace ringcast::daemon
