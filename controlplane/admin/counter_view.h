// The dataplane's counters as the control plane shows them. Everything here is driven by one
// table of sections built from dataplane/stats/counters.h (name + help of every counter, drop
// reason and RCODE), so `ringcastctl stats`, its --json and the Prometheus endpoint always show
// the same counters under the same names.
#pragma once

#include "dataplane/stats/counter_sections.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ringcast::admin {

struct LcoreSample {
    unsigned lcore = 0;
    stats::LcoreCounters counters;
};

struct CounterSample {
    std::vector<LcoreSample> lcores;
    stats::LcoreCounters total() const;
};

// Reads {"lcores":[{"lcore":1,"counters":{...},"drops":{...},"rcodes":{...}}]}: the dataplane's
// stats reply and the admin stats reply alike. Unknown names are ignored (a newer dataplane may
// count more), missing ones are 0. False with `error` set when the shape is wrong.
bool counters_from_json(const nlohmann::json& reply, CounterSample& out, std::string& error);

// {"lcores":[...same shape...],"total":{"counters":{...},"drops":{...},"rcodes":{...}}}
nlohmann::json counters_to_json(const CounterSample& sample);

// A table: one column per lcore plus the total; drop reasons and RCODEs only when non-zero.
std::string render_counters_text(const CounterSample& sample);

// Prometheus text exposition format 0.0.4, one series per lcore:
//   ringcast_rx_packets_total{lcore="1"} 42
//   ringcast_drops_total{reason="eth_truncated",lcore="1"} 0
//   ringcast_dns_responses_total{rcode="NOERROR",lcore="1"} 17
std::string render_counters_prometheus(const CounterSample& sample);

} // namespace ringcast::admin
