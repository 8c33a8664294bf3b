// One received frame in, at most one frame out, written in place: the per-packet path below the
// DPDK runtime. Pure code on a byte buffer, so it runs unchanged in unit tests without EAL.
#pragma once

#include "dataplane/dns/prefetch.h"
#include "dataplane/dns/responder.h"
#include "dataplane/net/vip_set.h"
#include "dataplane/snapshot/reader.h"
#include "dataplane/stats/counters.h"
#include "dataplane/tcp/engine.h"

#include <array>
#include <cstdint>

namespace ringcast::net {

using MacAddress = std::array<uint8_t, 6>;

// What the port can compute on transmit (from rte_eth_dev_info.tx_offload_capa).
struct TxChecksumCaps {
    bool ipv4_header = false;
    bool udp = false;
};

// What the port verified on receive (from the mbuf's RTE_MBUF_F_RX_*_CKSUM flags). A checksum
// neither known good nor known bad is verified in software.
struct RxChecksumStatus {
    bool ip_good = false;
    bool ip_bad = false;
    bool l4_good = false;
    bool l4_bad = false;
};

// Offloads the runtime must request on the outgoing mbuf. When a flag is set the pipeline has
// left the matching checksum field as the hardware expects it (0 for the IPv4 header, the
// pseudo-header sum for UDP).
//
// Mapping onto the mbuf (DPDK 22.11 names), only when ipv4_header or udp is set:
//   m->l2_len = l2_len; m->l3_len = l3_len;
//   m->ol_flags |= ipv6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4;
//   if (ipv4_header) m->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
//   if (udp)         m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
// The lengths and `ipv6` are filled in for every IP reply (l3_len is 0 for ARP), so the runtime
// may also use them for statistics; no flag is set unless PipelineConfig::tx_caps allowed it.
struct TxOffloadRequest {
    bool ipv4_header = false;
    bool udp = false;
    bool ipv6 = false;
    uint16_t l2_len = 0;
    uint16_t l3_len = 0;
};

struct PipelineConfig {
    MacAddress port_mac{};
    VipSet vips;
    TxChecksumCaps tx_caps;
    // Accept a UDP checksum field holding only the folded pseudo-header sum, as a Linux peer
    // with checksum offload sends it over a veth (the kernel's CHECKSUM_PARTIAL). Set for ports
    // on a virtual link, where no NIC exists to complete the sum; a real NIC's peers never send
    // that, and there it stays a corrupt checksum.
    bool accept_partial_checksums = false;
    // The port has an exception port (a kernel TAP): frames that are not for a VIP (ARP, ND and
    // IP for other addresses, EtherTypes the pipeline does not parse) go to the kernel with
    // Verdict::kToKernel instead of being dropped. Off on AF_XDP ports with the VIP filter, whose
    // XDP program has already passed those frames to the kernel.
    bool exception_path = false;
    dns::ResponderConfig dns;
};

// A frame in a single contiguous buffer: `len` bytes received, `capacity` bytes writable
// (capacity >= len). A reply may be shorter than the 60-byte Ethernet minimum (an ARP reply is
// 42 bytes): the port pads short frames on transmit.
struct Frame {
    uint8_t* data = nullptr;
    uint32_t len = 0;
    uint32_t capacity = 0;
    RxChecksumStatus rx_checksum;
    // What a BurstPrefetcher read of this frame ahead of it (used only if it matches).
    const dns::QueryLookahead* lookahead = nullptr;
};

// kConsumed: handed to a stateful service (TCP), which sends its own frames; the buffer is free.
// kToKernel: not for a VIP, and PipelineConfig::exception_path is set: the frame, untouched, is
// the kernel's (the runtime counts it when the exception port takes it).
enum class Verdict : uint8_t { kTransmit, kDrop, kConsumed, kToKernel };

// The per-lcore services that keep state between frames. A null engine: TCP is not served.
struct L4Services {
    tcp::Engine* tcp = nullptr;
    uint64_t now_us = 0; // the lcore's clock for this burst
    uint16_t port_index = 0;
};

// Handles one frame. kTransmit: the reply is in frame.data[0, frame.len), addressed back to the
// sender (source MAC and IP swapped in), and `tx` says which checksums to offload. kDrop: the
// reason has been counted in `counters`, exactly once. `tx` is reset on every call.
//
// Answered: ARP requests and IPv6 neighbour solicitations for a VIP, ICMP/ICMPv6 echo requests
// to a VIP, UDP to port 53 of a VIP (through dns::answer_udp). Not parsed, so dropped: VLAN tags,
// IPv4 fragments, IPv6 extension headers. With exception_path set, what is not for a VIP is
// kToKernel rather than a drop: ARP requests for other addresses and ARP replies, IPv4 to other
// addresses (fragments included), IPv6 to other addresses and groups (neighbour discovery and
// multicast listener messages included), neighbour solicitations for other targets and
// EtherTypes other than IPv4, IPv6 and ARP (LLDP, VLAN tags). Unicast to another MAC and
// malformed frames stay drops. IPv4 options are accepted and not echoed: replies
// always carry a 20-byte header. The runtime counts rx/tx packets and bytes; this counts
// protocol events and drops.
Verdict handle_frame(const PipelineConfig& config, const snapshot::View& snapshot,
                     stats::LcoreCounters& counters, Frame& frame, TxOffloadRequest& tx,
                     const L4Services& services = L4Services{});

} // namespace ringcast::net
