// Bringing up the DPDK ports: one RX and one TX queue per lcore, RSS where the port has it,
// checksum offloads where it has them, multicast filters for IPv6 neighbour discovery.
#pragma once

#include "dataplane/net/pipeline.h"

#include <cstdint>
#include <rte_mempool.h>
#include <string>
#include <vector>

namespace ringcast::runtime {

inline constexpr uint16_t kRxDescriptors = 1024;
inline constexpr uint16_t kTxDescriptors = 1024;
// Each lcore's private cache of the mbuf pool (at most RTE_MEMPOOL_CACHE_MAX_SIZE): lcores take
// and return mbufs without touching the shared ring.
inline constexpr uint32_t kMempoolCacheSize = 256;
static_assert(kMempoolCacheSize <= RTE_MEMPOOL_CACHE_MAX_SIZE);
// The smallest pool mbufs_needed() sizes, as a power of two (the pool holds one less).
inline constexpr uint32_t kMinMbufPoolPowerOfTwo = 8192;

struct Port {
    uint16_t id = 0;
    std::string name;
    net::MacAddress mac{};
    net::TxChecksumCaps tx_caps;
    bool rx_checksum_offload = false;
    bool rss = false;
    bool on_veth = false; // a kernel veth: its peer may leave L4 checksums partial
    uint16_t queues = 0;
    // Its exception TAP (exception_port.h), when it has one.
    bool has_exception = false;
    uint16_t exception_id = 0;
    std::string exception_interface;
};

// Configures and starts every probed port with `queues` queue pairs. Fails with a message that
// says what to change when a port cannot have that many queues.
bool start_ports(uint16_t queues, rte_mempool* pool, const net::VipSet& vips,
                 std::vector<Port>& ports, std::string& error);

// Their exception TAPs too.
void stop_ports(const std::vector<Port>& ports);

// Enough mbufs for every descriptor of every queue, plus bursts in flight and per-lcore caches.
// `port_count` counts exception TAPs too (they hold fewer descriptors: a margin).
uint32_t mbufs_needed(uint16_t port_count, uint16_t queues, unsigned lcores);

} // namespace ringcast::runtime
