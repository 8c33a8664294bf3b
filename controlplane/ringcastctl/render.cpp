#include "controlplane/ringcastctl/render.h"

#include "controlplane/admin/counter_view.h"

#include <ctime>
#include <fmt/format.h>

namespace ringcast::ctl {
namespace {

using nlohmann::json;

std::string utc(int64_t unix_seconds) {
    const time_t t = static_cast<time_t>(unix_seconds);
    tm when{};
    gmtime_r(&t, &when);
    char text[32];
    strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &when);
    return text;
}

std::string text(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it == object.end()) return "-";
    return it->is_string() ? it->get<std::string>() : it->dump();
}

void render_zone_table(const json& zones, std::ostream& out) {
    out << fmt::format("{:<28} {:>12} {:>9} {:>9}  {}\n", "ORIGIN", "SERIAL", "RECORDS", "NAMES",
                       "FILE");
    for (const json& z : zones)
        out << fmt::format("{:<28} {:>12} {:>9} {:>9}  {}\n", text(z, "origin"), text(z, "serial"),
                           text(z, "records"), text(z, "names"), text(z, "file"));
}

} // namespace

std::string format_duration(int64_t seconds) {
    if (seconds < 0) seconds = 0;
    const int64_t d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60,
                  s = seconds % 60;
    if (d > 0) return fmt::format("{}d {}h", d, h);
    if (h > 0) return fmt::format("{}h {}m", h, m);
    if (m > 0) return fmt::format("{}m {}s", m, s);
    return fmt::format("{}s", s);
}

void render_status(const json& reply, std::ostream& out) {
    const json daemon = reply.value("daemon", json::object());
    const json snapshot = reply.value("snapshot", json::object());
    const json dataplane = reply.value("dataplane", json::object());
    const json reload = reply.value("reload", json::object());

    out << fmt::format("ringcastd  {} (pid {}), PoP {}, up {}\n", text(daemon, "version"),
                       text(daemon, "pid"), text(daemon, "pop"),
                       format_duration(daemon.value("uptime_seconds", int64_t{0})));
    out << fmt::format("snapshot   generation {}, {} zone(s), {} bytes, built {} ({} ago)\n",
                       text(snapshot, "generation"), text(snapshot, "zones"),
                       text(snapshot, "bytes"), utc(snapshot.value("created_unix", int64_t{0})),
                       format_duration(snapshot.value("age_seconds", int64_t{0})));
    // What the dataplane serves can lag what was compiled after a restart (ringcastd/catch_up.h);
    // otherwise the dataplane line below shows the generation it serves.
    if (snapshot.value("catch_up_pending", false)) {
        std::string retry;
        if (snapshot.contains("catch_up_failures"))
            retry = fmt::format("; {} load(s) failed, last: {}; next attempt in {} ms",
                                text(snapshot, "catch_up_failures"),
                                text(snapshot, "catch_up_last_error"),
                                text(snapshot, "catch_up_next_attempt_in_ms"));
        out << fmt::format("           CATCH-UP PENDING: the dataplane serves generation {}, "
                           "not {}{}\n",
                           text(snapshot, "serving_generation"), text(snapshot, "generation"),
                           retry);
    }

    const json content = reply.value("content", json::object());
    out << fmt::format("content    generation {}, {} site(s), {} object(s), {} body bytes\n",
                       text(content, "generation"), content.value("sites", json::array()).size(),
                       text(content, "objects"), text(content, "body_bytes"));
    for (const json& site : content.value("sites", json::array()))
        out << fmt::format("site       {}: {} object(s), {} bytes ({})\n",
                           site.value("hosts", json::array()).dump(), text(site, "objects"),
                           text(site, "body_bytes"), text(site, "root"));

    std::string state = text(dataplane, "state");
    if (dataplane.contains("pid")) state += fmt::format(", pid {}", text(dataplane, "pid"));
    if (dataplane.value("state", "") == "running")
        state +=
            fmt::format(", {}, up {}", dataplane.value("healthy", false) ? "healthy" : "UNHEALTHY",
                        format_duration(dataplane.value("uptime_seconds", int64_t{0})));
    if (dataplane.contains("next_restart_in_ms"))
        state += fmt::format(", restart in {} ms", text(dataplane, "next_restart_in_ms"));
    out << fmt::format("dataplane  {}; {} restart(s)\n", state, text(dataplane, "restarts"));
    if (dataplane.contains("last_exit"))
        out << fmt::format("           last exit: {} at {}\n", text(dataplane, "last_exit"),
                           utc(dataplane.value("last_exit_unix", int64_t{0})));
    if (dataplane.contains("generation"))
        out << fmt::format("           serving generation {}, content generation {}, {} TCP "
                           "connection(s) open\n",
                           text(dataplane, "generation"),
                           text(dataplane.value("content", json::object()), "generation"),
                           text(dataplane, "tcp_connections_open"));
    if (dataplane.contains("exception_addresses")) {
        const json& exception = dataplane["exception_addresses"];
        std::string addresses;
        for (const json& a : exception.value("addresses", json::array()))
            addresses += (addresses.empty() ? "" : " ") + a.get<std::string>();
        std::string state = text(exception, "state");
        if (exception.contains("error")) state = "FAILED: " + text(exception, "error");
        out << fmt::format("           exception TAP {}: {} ({})\n", text(exception, "interface"),
                           addresses, state);
    }
    if (dataplane.contains("stalled_lcores") && !dataplane["stalled_lcores"].empty())
        out << fmt::format("           stalled lcores: {}\n", dataplane["stalled_lcores"].dump());
    if (dataplane.contains("lcores"))
        out << fmt::format("lcores     {}\n", dataplane["lcores"].dump());
    for (const json& port : dataplane.value("ports", json::array()))
        out << fmt::format("port       {} {}, {} queue(s){}\n", text(port, "name"),
                           text(port, "mac"), text(port, "queues"),
                           port.value("rss", false) ? ", RSS" : "");

    std::string last = "none yet";
    if (reload.contains("last")) {
        const json& l = reload["last"];
        last = fmt::format("{} {} at {} ({} ms)", text(l, "what"),
                           l.value("ok", false) ? "ok" : "REJECTED",
                           utc(l.value("finished_unix", int64_t{0})), text(l, "duration_ms"));
        if (l.contains("error")) last += ": " + text(l, "error");
    }
    // The reasons of the refused requests, those that happened (reload_tally.h).
    std::string reasons;
    const json failures = reload.value("failures", json::object());
    for (const auto& [reason, count] : failures.items())
        if (count.is_number_unsigned() && count.get<uint64_t>() > 0)
            reasons += fmt::format("{}{} {}", reasons.empty() ? " (" : ", ", reason,
                                   count.get<uint64_t>());
    if (!reasons.empty()) reasons += ")";
    out << fmt::format("reload     {}; {} ok, {} rejected{}{}\n", last, text(reload, "ok"),
                       text(reload, "rejected"), reasons,
                       reload.value("in_progress", false)
                           ? fmt::format("; running: {}", text(reload, "running"))
                           : "");
    const json health = reply.value("health", json::object());
    if (health.contains("probes")) {
        out << fmt::format("health     {}; {} re-check(s){}\n",
                           health.value("healthy", false) ? "healthy" : "UNHEALTHY",
                           text(health, "rechecks"),
                           health.value("last_recheck_reason", "").empty()
                               ? ""
                               : fmt::format(", last on {}", text(health, "last_recheck_reason")));
        for (const json& probe : health["probes"]) {
            std::string last = "not checked yet";
            if (probe.contains("last")) {
                const json& l = probe["last"];
                last = fmt::format("{} in {:.1f} ms", l.value("ok", false) ? "ok" : "FAILED",
                                   static_cast<double>(l.value("latency_us", int64_t{0})) / 1000);
                if (!l.value("error", "").empty()) last += ": " + text(l, "error");
            }
            out << fmt::format("           {} {}: {} ({} checks, {} failed)\n", text(probe, "name"),
                               probe.value("healthy", false) ? "up" : "DOWN", last,
                               text(probe, "checks"), text(probe, "failures"));
        }
    }
    out << fmt::format("admin      {}\n", text(daemon, "admin_socket"));
    if (daemon.contains("metrics"))
        out << fmt::format("metrics    http://{}/metrics\n", text(daemon, "metrics"));
    render_bgp(reply.value("bgp", json::object()), out);
}

void render_bgp(const json& bgp, std::ostream& out) {
    if (!bgp.value("enabled", false)) {
        out << "bgp        not configured\n";
        return;
    }
    std::string state = text(bgp, "state");
    if (bgp.contains("drain_remaining_ms"))
        state += fmt::format(", withdrawing in {} ms", text(bgp, "drain_remaining_ms"));
    if (bgp.contains("announce_in_ms"))
        state += fmt::format(", announcing after hold-down in {} ms", text(bgp, "announce_in_ms"));
    out << fmt::format("bgp        {} via {}; drain {}\n", state, text(bgp, "sidecar"),
                       bgp.value("drain", false) ? "ON (ringcastctl undrain ends it)" : "off");
    const json session = bgp.value("session", json::object());
    out << fmt::format("           session {} {} ({})\n", text(bgp, "protocol"),
                       text(session, "state"), text(session, "info"));
    const json health = bgp.value("health", json::object());
    if (!health.value("healthy", false))
        out << fmt::format("           health fails: {}\n", text(health, "reason"));
    const json guard = bgp.value("guard", json::object());
    if (guard.value("active", false))
        out << fmt::format("           GUARD: staying announced, the failure looks global: {}\n",
                           text(guard, "reason"));
    const json last = bgp.value("last_apply", json::object());
    if (last.is_object() && !last.empty() && !last.value("ok", true))
        out << fmt::format("           last apply FAILED: {}\n", text(last, "error"));
    for (const json& p : bgp.value("prefixes", json::array()))
        out << fmt::format("prefix     {:<24} {}\n", text(p, "prefix"), text(p, "state"));
}

void render_drain(const json& reply, std::ostream& out) {
    render_bgp(reply.value("bgp", json::object()), out);
}

void render_stats(const json& reply, std::ostream& out) {
    admin::CounterSample sample;
    std::string error;
    if (!admin::counters_from_json(reply, sample, error)) {
        out << "unreadable stats: " << error << '\n';
        return;
    }
    out << admin::render_counters_text(sample);
}

void render_zones(const json& reply, std::ostream& out) {
    render_zone_table(reply.value("zones", json::array()), out);
}

void render_reload(const json& reply, std::ostream& out) {
    out << fmt::format("generation {} served (was {}): compiled in {} ms, loaded in {} ms, {} "
                       "bytes\n",
                       text(reply, "generation"), text(reply, "previous_generation"),
                       text(reply, "compile_ms"), text(reply, "load_ms"),
                       text(reply, "snapshot_bytes"));
    if (reply.contains("note")) out << "note: " << text(reply, "note") << '\n';
    for (const json& warning : reply.value("warnings", json::array()))
        out << "warning: " << warning.get<std::string>() << '\n';
    render_zone_table(reply.value("zones", json::array()), out);
}

void render_stop(const json&, std::ostream& out) {
    out << "ringcastd stopped\n";
}

void render_error(const json& reply, std::ostream& err) {
    for (const json& e : reply.value("errors", json::array()))
        err << (e.is_string() ? e.get<std::string>() : e.dump()) << '\n';
    err << "error: " << reply.value("error", std::string("ringcastd said no")) << '\n';
}

} // namespace ringcast::ctl
