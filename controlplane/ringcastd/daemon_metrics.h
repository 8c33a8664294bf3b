// ringcastd's own metrics (the dataplane's counters come from admin/counter_view.h). Declared
// once in a table with their type and help, rendered in the Prometheus text format.
#pragma once

#include "controlplane/ringcastd/reload_tally.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ringcast::daemon {

struct DaemonMetrics {
    bool dataplane_up = false;
    uint64_t dataplane_restarts = 0;
    uint64_t snapshot_generation = 0; // compiled by ringcastd
    uint64_t serving_generation = 0;  // served by the dataplane (0: none running)
    bool catch_up_pending = false;    // the two differ while a dataplane runs
    int64_t snapshot_age_seconds = 0;
    ReloadTally reloads;
    int64_t uptime_seconds = 0;
    uint64_t admin_clients = 0;
    std::vector<std::pair<std::string, uint32_t>> zone_serials; // origin, SOA serial
    uint64_t content_sites = 0;
    uint64_t content_objects = 0;
    uint64_t content_body_bytes = 0;
    bool bgp_enabled = false; // [bgp] configured; the bgp metrics appear only then
    std::string bgp_state;    // withdrawn | announced | draining
    bool bgp_drain = false;
    bool bgp_guard_active = false;
    bool bgp_session_established = false;
    uint64_t bgp_apply_failures = 0;
    std::vector<std::string> bgp_prefixes;
};

std::string render_daemon_metrics(const DaemonMetrics& metrics);

} // namespace ringcast::daemon
