#include "dataplane/runtime/lcore_loop.h"

#include "dataplane/dns/tcp_stream.h"
#include "dataplane/http/stream_handler.h"
#include "dataplane/net/burst_prefetch.h"
#include "dataplane/net/tcp.h"
#include "dataplane/net/udp.h"
#include "dataplane/runtime/exception_port.h"
#include "dataplane/runtime/tcp_transmit.h"
#include "dataplane/stats/counter_read.h"
#include "dataplane/tcp/port_dispatch.h"

#include <ctime>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

namespace ringcast::runtime {
namespace {

net::RxChecksumStatus rx_checksum_status(const rte_mbuf* m) {
    net::RxChecksumStatus status;
    const uint64_t ip = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
    const uint64_t l4 = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
    status.ip_good = ip == RTE_MBUF_F_RX_IP_CKSUM_GOOD;
    status.ip_bad = ip == RTE_MBUF_F_RX_IP_CKSUM_BAD;
    status.l4_good = l4 == RTE_MBUF_F_RX_L4_CKSUM_GOOD;
    status.l4_bad = l4 == RTE_MBUF_F_RX_L4_CKSUM_BAD;
    return status;
}

void request_tx_offloads(rte_mbuf* m, const net::TxOffloadRequest& tx) {
    m->ol_flags = 0; // the RX flags must not leak into TX
    if (!tx.ipv4_header && !tx.udp) return;
    m->l2_len = tx.l2_len;
    m->l3_len = tx.l3_len;
    m->ol_flags |= tx.ipv6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4;
    if (tx.ipv4_header) m->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
    if (tx.udp) m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
}

std::string_view pop_name(const dns::ResponderConfig& config) {
    return {config.pop_name, dns::pop_name_length(config)};
}

// One lcore's TCP: the engine, where its segments go, and the streams above it.
struct LcoreTcp {
    MbufSegmentSink sink;
    dns::TcpStreamHandler dns;
    http::HttpStreamHandler http;
    tcp::PortDispatch streams;
    tcp::Engine engine;

    LcoreTcp(SharedState& state, uint16_t queue, unsigned lcore, stats::LcoreCounters& counters)
        : sink(state, queue, counters), dns(state.port_config.front().dns, counters),
          http(pop_name(state.port_config.front().dns), lcore, counters),
          engine(state.tcp, sink, (add_streams(), streams), counters) {}

    void use(const snapshot::View* zones, content::SharedContent* content, int64_t unix_now) {
        dns.use_snapshot(zones);
        http.use_content(content, unix_now);
    }

  private:
    int add_streams() {
        streams.add(net::kDnsPort, dns);
        streams.add(net::kHttpPort, http);
        return 0;
    }
};

// The TSC for intervals, the wall clock (read once) for HTTP's Date and conditionals.
struct LcoreClock {
    uint64_t tsc_per_us = std::max<uint64_t>(1, rte_get_tsc_hz() / 1'000'000);
    uint64_t start_us = rte_rdtsc() / tsc_per_us;
    int64_t start_unix = static_cast<int64_t>(std::time(nullptr));

    uint64_t now_us() const { return rte_rdtsc() / tsc_per_us; }
    int64_t unix_at(uint64_t us) const {
        return start_unix + static_cast<int64_t>((us - start_us) / 1'000'000);
    }
};

// Returns the number of frames received.
uint16_t poll_port(SharedState& state, size_t port_index, uint16_t queue,
                   stats::LcoreCounters& counters, LcoreTcp& tcp, uint64_t now, int64_t unix_now) {
    const Port& port = state.ports[port_index];
    const net::PipelineConfig& config = state.port_config[port_index];
    rte_mbuf* rx[kBurstSize];
    const uint16_t received = rte_eth_rx_burst(port.id, queue, rx, kBurstSize);
    if (received == 0) return 0;

    const snapshot::View& snapshot = *state.publisher.current_view();
    tcp.use(&snapshot, state.publisher.current_content(), unix_now);
    const net::L4Services services{&tcp.engine, now, static_cast<uint16_t>(port_index)};
    // Start every query's lookup before answering any: their cache misses overlap.
    static_assert(kBurstSize <= net::kMaxPrefetchBurst);
    net::BurstPrefetcher prefetcher(snapshot);
    for (uint16_t i = 0; i < received; ++i)
        prefetcher.add(rte_pktmbuf_mtod(rx[i], const uint8_t*), rx[i]->data_len);
    prefetcher.follow();

    rte_mbuf* tx[kBurstSize];
    rte_mbuf* dropped[kBurstSize];
    rte_mbuf* to_kernel[kBurstSize];
    uint16_t tx_count = 0;
    uint16_t drop_count = 0;
    uint16_t kernel_count = 0;
    uint64_t rx_bytes = 0;
    uint64_t tx_bytes = 0;
    for (uint16_t i = 0; i < received; ++i) {
        rte_mbuf* m = rx[i];
        rx_bytes += m->pkt_len;
        if (m->nb_segs != 1) {
            counters.count_drop(stats::DropReason::multi_segment);
            dropped[drop_count++] = m;
            continue;
        }
        net::Frame frame;
        frame.data = rte_pktmbuf_mtod(m, uint8_t*);
        frame.len = m->data_len;
        frame.capacity = static_cast<uint32_t>(m->buf_len - m->data_off);
        if (port.rx_checksum_offload) frame.rx_checksum = rx_checksum_status(m);
        frame.lookahead = prefetcher.lookahead(i);
        net::TxOffloadRequest offload;
        const net::Verdict verdict =
            net::handle_frame(config, snapshot, counters, frame, offload, services);
        if (verdict != net::Verdict::kTransmit) {
            if (verdict == net::Verdict::kToKernel) // only with an exception port configured
                to_kernel[kernel_count++] = m;
            else
                dropped[drop_count++] = m; // dropped, or consumed by TCP: the buffer is free
            continue;
        }
        m->data_len = static_cast<uint16_t>(frame.len);
        m->pkt_len = frame.len;
        request_tx_offloads(m, offload);
        tx_bytes += frame.len;
        tx[tx_count++] = m;
    }
    counters.add(stats::Counter::rx_packets, received);
    counters.add(stats::Counter::rx_bytes, rx_bytes);

    if (tx_count > 0) {
        const uint16_t sent = rte_eth_tx_burst(port.id, queue, tx, tx_count);
        for (uint16_t i = sent; i < tx_count; ++i) {
            tx_bytes -= tx[i]->pkt_len;
            counters.count_drop(stats::DropReason::tx_ring_full);
            dropped[drop_count++] = tx[i];
        }
        counters.add(stats::Counter::tx_packets, sent);
        counters.add(stats::Counter::tx_bytes, tx_bytes);
    }
    if (kernel_count > 0) send_to_kernel(port, queue, to_kernel, kernel_count, counters);
    if (drop_count > 0) rte_pktmbuf_free_bulk(dropped, drop_count);
    tcp.sink.flush();
    tcp.use(nullptr, nullptr, unix_now); // held no longer than the burst (RCU)
    return received;
}

// Every port's exception TAP, at most every kExceptionPollIntervalUs (a TAP read is a system
// call). A full burst keeps the next pass polling, so a backlog drains at loop speed.
uint32_t poll_exception_ports(const SharedState& state, uint16_t queue,
                              stats::LcoreCounters& counters, uint64_t now, uint64_t& next_poll) {
    if (now < next_poll) return 0;
    uint32_t received = 0;
    bool backlog = false;
    for (const Port& port : state.ports) {
        if (!port.has_exception) continue;
        const uint16_t n = forward_from_kernel(port, queue, counters);
        backlog |= n == kBurstSize;
        received += n;
    }
    next_poll = backlog ? now : now + kExceptionPollIntervalUs;
    return received;
}

} // namespace

// Called from the control and stats threads while the lcores count: read_live_counters() is
// the one way their counters are read from there.
stats::LcoreCounters SharedState::total() const {
    stats::LcoreCounters sum;
    for (const auto& c : counters)
        stats::add_live_counters(sum, c);
    sum.xdp_verdict = xdp.read_verdicts();
    return sum;
}

stats::LcoreCounters SharedState::lcore_counters(unsigned lcore) const {
    stats::LcoreCounters c = stats::read_live_counters(counters[lcore]);
    if (lcore == rte_get_main_lcore()) c.xdp_verdict = xdp.read_verdicts();
    return c;
}

void mark_lcores_launched(SharedState& state, uint64_t tsc) {
    unsigned lcore;
    RTE_LCORE_FOREACH(lcore) {
        uint64_t never = 0; // a worker that already looped keeps its own, later, stamp
        state.heartbeat[lcore].last_loop_tsc.compare_exchange_strong(never, tsc,
                                                                     std::memory_order_relaxed);
    }
}

int lcore_loop(void* arg) {
    auto* task = static_cast<LcoreTask*>(arg);
    SharedState& state = *task->state;
    const unsigned lcore = rte_lcore_id();
    stats::LcoreCounters& counters = state.counters[lcore];
    std::atomic<uint64_t>& heartbeat = state.heartbeat[lcore].last_loop_tsc;
    const size_t port_count = state.ports.size();
    // Sized once, here, on the lcore's own thread: no allocation in the loop.
    LcoreTcp tcp(state, task->queue, lcore, counters);
    heartbeat.store(rte_rdtsc(), std::memory_order_relaxed); // alive before the first burst
    const LcoreClock clock;
    state.publisher.lcore_online(lcore);
    uint32_t idle_passes = 0;
    uint64_t next_exception_poll = 0;
    while (!state.quit.load(std::memory_order_relaxed)) {
        uint32_t received = 0;
        const uint64_t now = clock.now_us();
        const int64_t unix_now = clock.unix_at(now);
        for (size_t p = 0; p < port_count; ++p)
            received += poll_port(state, p, task->queue, counters, tcp, now, unix_now);
        received += poll_exception_ports(state, task->queue, counters, now, next_exception_poll);
        // Timers may answer too (a 408, a resumed response): with the snapshots of this pass.
        tcp.use(state.publisher.current_view(), state.publisher.current_content(), unix_now);
        tcp.engine.sweep(now);
        tcp.use(nullptr, nullptr, unix_now);
        tcp.sink.flush();
        if (received != 0) {
            idle_passes = 0;
        } else if (state.idle_sleep_us != 0 && ++idle_passes >= kIdlePassesBeforeSleep) {
            rte_delay_us_sleep(state.idle_sleep_us);
            idle_passes = 0;
        }
        // Between bursts this lcore holds no snapshot pointer: the old one may be released.
        state.publisher.quiescent(lcore);
        state.heartbeat[lcore].tcp_connections_open.store(tcp.engine.open_connections(),
                                                          std::memory_order_relaxed);
        heartbeat.store(rte_rdtsc(), std::memory_order_relaxed);
    }
    state.publisher.lcore_offline(lcore);
    return 0;
}

} // namespace ringcast::runtime
