// ringcast-dataplane: the DPDK primary process. Loads the snapshot, brings up the ports, and runs
// the packet loop on every enabled lcore until SIGTERM/SIGINT (or ringcastd's death).
#include "dataplane/runtime/control_server.h"
#include "dataplane/runtime/exception_port.h"
#include "dataplane/runtime/lcore_loop.h"
#include "dataplane/runtime/options.h"
#include "dataplane/runtime/port.h"
#include "dataplane/runtime/stats_file.h"
#include "dataplane/runtime/telemetry.h"
#include "dataplane/stats/render.h"

#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <signal.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace ringcast;

runtime::SharedState* g_state = nullptr;

void on_stop_signal(int) {
    if (g_state) g_state->quit.store(true, std::memory_order_relaxed);
}

int fail(const std::string& message) {
    fmt::print(stderr, "ringcast-dataplane: {}\n", message);
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    const int eal_args = rte_eal_init(argc, argv);
    if (eal_args < 0)
        return fail(fmt::format("EAL initialisation failed: {}", rte_strerror(rte_errno)));
    argc -= eal_args;
    argv += eal_args;

    runtime::Options options;
    std::string error;
    if (!runtime::parse_options(argc - 1, argv + 1, options, error))
        return fail(fmt::format("{}\n{}", error, runtime::usage()));

    auto snapshot = snapshot::Snapshot::open_file(options.snapshot_path, error);
    if (!snapshot) return fail(error);
    const auto& header = snapshot->header();
    // The image's address lets an operator (or bench/zone_scaling.sh) find it in smaps.
    fmt::print("ringcast-dataplane: snapshot {} generation {}: {} zones, {} names, {} RRsets, "
               "{} bytes at {}\n",
               options.snapshot_path, header.generation, header.zone_count, header.node_count,
               header.rrset_count, header.file_size, static_cast<const void*>(&header));

    std::unique_ptr<content::Snapshot> content = content::Snapshot::empty();
    if (!options.content_path.empty()) {
        content = content::Snapshot::open_file(options.content_path, error);
        if (!content) return fail(error);
        const content::View& view = content->view();
        fmt::print("ringcast-dataplane: content {} generation {}: {} sites, {} objects, {} body "
                   "bytes\n",
                   options.content_path, view.generation(), view.site_count(), view.object_count(),
                   view.body_bytes());
    }

    static runtime::SharedState state; // large (per-lcore counters): not on the stack
    g_state = &state;
    if (!state.publisher.init(RTE_MAX_LCORE, std::move(snapshot), std::move(content), error))
        return fail(error);
    state.idle_sleep_us = options.idle_sleep_us;
    signal(SIGTERM, on_stop_signal);
    signal(SIGINT, on_stop_signal);

    const unsigned lcores = rte_lcore_count();
    // Each exception TAP holds its own queues' mbufs, like another port.
    const uint16_t port_count =
        static_cast<uint16_t>(rte_eth_dev_count_avail() + options.exception_ports.size());
    rte_mempool* pool = rte_pktmbuf_pool_create(
        "rc_mbufs", runtime::mbufs_needed(port_count, static_cast<uint16_t>(lcores), lcores),
        runtime::kMempoolCacheSize, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
        static_cast<int>(rte_socket_id()));
    if (!pool) return fail(fmt::format("mbuf pool: {}", rte_strerror(rte_errno)));
    if (!runtime::start_ports(static_cast<uint16_t>(lcores), pool, options.pipeline.vips,
                              state.ports, error))
        return fail(error);
    if (!runtime::start_exception_ports(options.exception_ports, pool, state.ports, error)) {
        runtime::stop_ports(state.ports);
        return fail(error);
    }
    state.pool = pool;
    state.tcp = options.tcp;
    fmt::print("ringcast-dataplane: TCP per lcore: {} connections, {} + {} buffer bytes each, "
               "{} MiB reserved\n",
               state.tcp.max_connections, state.tcp.rx_buffer, state.tcp.tx_buffer,
               uint64_t{state.tcp.max_connections} * (state.tcp.rx_buffer + state.tcp.tx_buffer) >>
                   20);
    // The ports are up, so DPDK has attached the XDP filter (when ringcastd asked for it): give
    // it the VIPs before the first burst. Until then VIP frames went to the kernel, which owns
    // no VIP and drops them.
    if (!state.xdp.attach(state.ports, options.pipeline.vips, error)) {
        runtime::stop_ports(state.ports);
        return fail(error);
    }
    // One secret for every lcore's SYN cookies and flow hashes, new at every start: a cookie
    // outlives no restart, as no connection does.
    if (RAND_bytes(reinterpret_cast<unsigned char*>(state.tcp.secret.key.data()),
                   sizeof(state.tcp.secret.key)) != 1)
        return fail("no randomness for the TCP cookie secret");
    for (const auto& port : state.ports) {
        net::PipelineConfig config = options.pipeline;
        config.port_mac = port.mac;
        config.tx_caps = port.tx_caps;
        config.accept_partial_checksums = port.on_veth;
        config.exception_path = port.has_exception;
        state.port_config.push_back(config);
        fmt::print("ringcast-dataplane: port {} {:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}, {} "
                   "queue(s){}{}{}\n",
                   port.name, port.mac[0], port.mac[1], port.mac[2], port.mac[3], port.mac[4],
                   port.mac[5], port.queues, port.rss ? ", RSS" : "",
                   port.tx_caps.udp ? ", UDP checksum offload" : "",
                   port.on_veth ? ", veth (partial checksums accepted)" : "");
    }

    std::vector<runtime::LcoreTask> tasks(RTE_MAX_LCORE);
    uint16_t queue = 0;
    unsigned lcore_id;
    RTE_LCORE_FOREACH_WORKER(lcore_id) {
        tasks[lcore_id] = {&state, ++queue};
        rte_eal_remote_launch(runtime::lcore_loop, &tasks[lcore_id], lcore_id);
    }
    runtime::register_telemetry(state);
    // Every lcore is alive from here: the main lcore enters its loop only after the control
    // server is up, and until an lcore's first pass its heartbeat (0) reads as a stalled lcore,
    // which ringcastd's first status, under load especially, could see. One that never loops
    // is still reported stalled kStalledLcoreMs from now.
    runtime::mark_lcores_launched(state, rte_rdtsc());
    runtime::ControlServer control(state);
    if (!options.control_path.empty() && !control.start(options.control_path, error)) {
        state.quit.store(true);
        rte_eal_mp_wait_lcore();
        runtime::stop_ports(state.ports);
        return fail(error);
    }
    runtime::StatsFileWriter stats_writer(state, options.stats_path,
                                          std::chrono::milliseconds(options.stats_interval_ms));
    fmt::print("ringcast-dataplane: serving on {} lcore(s)\n", lcores);
    std::fflush(stdout);

    runtime::LcoreTask main_task{&state, 0};
    runtime::lcore_loop(&main_task); // the main lcore serves queue 0 until told to stop
    rte_eal_mp_wait_lcore();
    control.stop();
    stats_writer.stop();

    fmt::print("ringcast-dataplane: stopping; counters:\n{}", stats::render_text(state.total()));
    runtime::stop_ports(state.ports);
    rte_eal_cleanup();
    return 0;
}
