// The dataplane's counters through DPDK telemetry (dpdk-telemetry.py, /ringcast/... commands),
// for operators who already scrape DPDK applications that way.
#pragma once

#include "dataplane/runtime/lcore_loop.h"

namespace ringcast::runtime {

// Registers /ringcast/stats (summed counters), /ringcast/drops and /ringcast/rcodes.
void register_telemetry(const SharedState& state);

} // namespace ringcast::runtime
