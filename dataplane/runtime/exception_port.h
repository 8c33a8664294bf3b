// The exception path for ports whose every frame reaches the dataplane (a PCI port; AF_PACKET,
// or AF_XDP without the VIP filter): per NIC port a kernel TAP interface (DPDK net_tap) carrying
// the port's MAC. Frames the pipeline finds not for a VIP (Verdict::kToKernel) are written to
// the TAP; what the kernel sends on the TAP goes out of the NIC port. The host's own addresses
// and its BGP speaker live on the TAP, so the kernel answers ARP/ND for them with the port's MAC.
//
// Lcore q owns queue q of the TAP in both directions, as it owns queue q of the NIC port: no
// lock, no ring between lcores. The kernel spreads its transmissions over the TAP's queues.
#pragma once

#include "dataplane/runtime/options.h"
#include "dataplane/runtime/port.h"
#include "dataplane/stats/counters.h"

#include <cstdint>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <string>
#include <vector>

namespace ringcast::runtime {

// Descriptors per TAP queue: the kernel's control traffic (BGP, ARP/ND, SSH) needs few.
inline constexpr uint16_t kExceptionDescriptors = 256;
// How often an lcore reads its TAP queues: each read is a read(2) on the TAP's fd, too dear for
// every pass of the loop; 50 µs adds nothing a BGP or TCP session notices.
inline constexpr uint64_t kExceptionPollIntervalUs = 50;

// Creates and starts the TAP of every port named in `specs` with the port's queue count, and
// accepts all multicast on that port (the kernel's neighbour discovery, LLDP). Fails when a
// spec names no port.
bool start_exception_ports(const std::vector<ExceptionPortSpec>& specs, rte_mempool* pool,
                           std::vector<Port>& ports, std::string& error);

void stop_exception_ports(const std::vector<Port>& ports);

// Writes `frames` (not for a VIP, untouched) to `port`'s TAP queue `queue`; the TAP owns the
// mbufs it takes, the rest are freed and counted exception_dropped.
void send_to_kernel(const Port& port, uint16_t queue, rte_mbuf** frames, uint16_t count,
                    stats::LcoreCounters& counters);

// One bounded burst from `port`'s TAP queue `queue` to the NIC port's TX queue `queue`, the same
// mbufs forwarded. Returns the number read from the TAP.
uint16_t forward_from_kernel(const Port& port, uint16_t queue, stats::LcoreCounters& counters);

} // namespace ringcast::runtime
