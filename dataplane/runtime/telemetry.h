// The dataplane's counters through DPDK telemetry (dpdk-telemetry.py, /ringcast/... commands),
// for operators who already scrape DPDK applications that way.
#pragma once

#include "dataplane/runtime/lcore_loop.h"

namespace ringcast::runtime {

// Registers /ringcast/<key> for every section of stats::kCounterSections (counters, drops,
// rcodes, qtypes), each summed over lcores.
void register_telemetry(const SharedState& state);

} // namespace ringcast::runtime
