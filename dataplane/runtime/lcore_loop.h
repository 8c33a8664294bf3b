// The per-lcore run-to-completion loop: RX burst, handle each frame in place, TX burst back out
// the port it came from. Nothing is shared between lcores but read-only configuration and the
// published snapshot.
#pragma once

#include "dataplane/net/pipeline.h"
#include "dataplane/runtime/port.h"
#include "dataplane/runtime/snapshot_publisher.h"
#include "dataplane/runtime/xdp_filter.h"
#include "dataplane/stats/counters.h"
#include "dataplane/tcp/engine.h"

#include <atomic>
#include <cstdint>
#include <rte_lcore.h>
#include <vector>

namespace ringcast::runtime {

inline constexpr uint16_t kBurstSize = 32; // DPDK's customary burst; amortises the PMD call
// Consecutive empty passes over every port before an lcore with an idle sleep configured sleeps.
inline constexpr uint32_t kIdlePassesBeforeSleep = 256;

// Written by its lcore once per loop iteration; read by the control thread to tell a stuck
// lcore from an idle one.
struct alignas(64) LcoreHeartbeat {
    std::atomic<uint64_t> last_loop_tsc{0};
    std::atomic<uint32_t> tcp_connections_open{0}; // the lcore's engine, as of that iteration
};

struct SharedState {
    std::vector<Port> ports;
    rte_mempool* pool = nullptr; // where TCP segments' mbufs come from
    tcp::EngineConfig tcp;       // each lcore's engine; the cookie secret shared by all
    std::vector<net::PipelineConfig> port_config; // indexed like `ports`
    SnapshotPublisher publisher;
    // 0: poll without pause (a dedicated core per lcore). Otherwise sleep this long once idle:
    // on AF_XDP/AF_PACKET the kernel's receive work (ksoftirqd) may need the lcore's CPU, and a
    // loop that never yields starves the very traffic it waits for.
    uint32_t idle_sleep_us = 0;
    std::atomic<bool> quit{false};
    stats::LcoreCounters counters[RTE_MAX_LCORE];
    LcoreHeartbeat heartbeat[RTE_MAX_LCORE];
    XdpFilter xdp; // the VIP filter's maps on AF_XDP ports, when it is there

    // Every lcore's counters summed, with the XDP filter's verdicts read from its map.
    stats::LcoreCounters total() const;
    // Lcore `lcore`'s counters; the main lcore's carry the XDP filter's verdicts.
    stats::LcoreCounters lcore_counters(unsigned lcore) const;
};

struct LcoreTask {
    SharedState* state = nullptr;
    uint16_t queue = 0; // this lcore serves queue `queue` of every port
};

// rte_eal_remote_launch entry point; returns when state->quit is set.
int lcore_loop(void* task);

// Stamps `tsc` as the heartbeat of every lcore that has not looped yet, so that one about to
// enter lcore_loop() is not taken for a stalled one (control_server.cpp).
void mark_lcores_launched(SharedState& state, uint64_t tsc);

} // namespace ringcast::runtime
