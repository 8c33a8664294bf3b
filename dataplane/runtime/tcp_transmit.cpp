#include "dataplane/runtime/tcp_transmit.h"

#include "dataplane/net/tcp.h"

#include <rte_ethdev.h>

namespace ringcast::runtime {

MbufSegmentSink::MbufSegmentSink(SharedState& state, uint16_t queue, stats::LcoreCounters& counters)
    : state_(state), queue_(queue), counters_(counters), staged_(state.ports.size()) {}

void MbufSegmentSink::send(const tcp::OutSegment& segment) {
    const size_t port = segment.link.port;
    if (port >= staged_.size()) return;
    rte_mbuf* m = rte_pktmbuf_alloc(state_.pool);
    if (m == nullptr) {
        counters_.count_drop(stats::DropReason::tx_no_mbuf);
        return;
    }
    const uint32_t length =
        net::frame_tcp_segment(segment, state_.port_config[port].port_mac,
                               rte_pktmbuf_mtod(m, uint8_t*), rte_pktmbuf_tailroom(m));
    if (length == 0) {
        counters_.count_drop(stats::DropReason::tx_no_mbuf);
        rte_pktmbuf_free(m);
        return;
    }
    m->data_len = static_cast<uint16_t>(length);
    m->pkt_len = length;
    Staged& staged = staged_[port];
    staged.mbufs[staged.count++] = m;
    if (staged.count == staged.mbufs.size()) flush_port(port);
}

void MbufSegmentSink::flush_port(size_t port) {
    Staged& staged = staged_[port];
    if (staged.count == 0) return;
    const uint16_t sent =
        rte_eth_tx_burst(state_.ports[port].id, queue_, staged.mbufs.data(), staged.count);
    uint64_t bytes = 0;
    for (uint16_t i = 0; i < sent; ++i)
        bytes += staged.mbufs[i]->pkt_len;
    for (uint16_t i = sent; i < staged.count; ++i) {
        counters_.count_drop(stats::DropReason::tx_ring_full);
        rte_pktmbuf_free(staged.mbufs[i]); // TCP retransmits what the ring refused
    }
    counters_.add(stats::Counter::tx_packets, sent);
    counters_.add(stats::Counter::tx_bytes, bytes);
    staged.count = 0;
}

void MbufSegmentSink::flush() {
    for (size_t port = 0; port < staged_.size(); ++port)
        flush_port(port);
}

} // namespace ringcast::runtime
