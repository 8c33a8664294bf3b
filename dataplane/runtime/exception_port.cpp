#include "dataplane/runtime/exception_port.h"

#include "dataplane/runtime/lcore_loop.h"

#include <fmt/format.h>
#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

namespace ringcast::runtime {
namespace {

// The TAP's DPDK device name: net_tap's prefix, then the NIC port's id (unique per process).
std::string tap_device_name(const Port& port) {
    return fmt::format("net_tap_exc{}", port.id);
}

bool start_tap(const ExceptionPortSpec& spec, rte_mempool* pool, Port& port, std::string& error) {
    const std::string device = tap_device_name(port);
    // mac=: the kernel's frames carry the port's MAC, so the neighbours' ARP/ND entries for the
    // host's addresses and for the VIPs name the same station.
    const std::string args =
        fmt::format("iface={},mac={:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", spec.interface,
                    port.mac[0], port.mac[1], port.mac[2], port.mac[3], port.mac[4], port.mac[5]);
    if (int rc = rte_vdev_init(device.c_str(), args.c_str()); rc != 0) {
        error = fmt::format("port {}: cannot create the exception TAP {} ({}): {}", port.name,
                            spec.interface, args, rte_strerror(-rc));
        return false;
    }
    uint16_t tap_id;
    if (rte_eth_dev_get_port_by_name(device.c_str(), &tap_id) != 0) {
        error = fmt::format("port {}: TAP {} created but not found", port.name, device);
        return false;
    }
    port.exception_id = tap_id;
    port.has_exception = true;
    port.exception_interface = spec.interface;

    rte_eth_dev_info info{};
    if (int rc = rte_eth_dev_info_get(tap_id, &info); rc != 0) {
        error =
            fmt::format("TAP {}: cannot read device info: {}", spec.interface, rte_strerror(-rc));
        return false;
    }
    if (info.max_rx_queues < port.queues || info.max_tx_queues < port.queues) {
        error = fmt::format("TAP {}: {} lcores need {} queue pairs, net_tap has {} (use fewer "
                            "lcores)",
                            spec.interface, port.queues, port.queues, info.max_rx_queues);
        return false;
    }
    const rte_eth_conf conf{};
    if (int rc = rte_eth_dev_configure(tap_id, port.queues, port.queues, &conf); rc != 0) {
        error = fmt::format("TAP {}: configure failed: {}", spec.interface, rte_strerror(-rc));
        return false;
    }
    const int socket = rte_eth_dev_socket_id(tap_id);
    for (uint16_t q = 0; q < port.queues; ++q) {
        if (int rc =
                rte_eth_rx_queue_setup(tap_id, q, kExceptionDescriptors, socket, nullptr, pool);
            rc != 0) {
            error = fmt::format("TAP {}: RX queue {} setup failed: {}", spec.interface, q,
                                rte_strerror(-rc));
            return false;
        }
        if (int rc = rte_eth_tx_queue_setup(tap_id, q, kExceptionDescriptors, socket, nullptr);
            rc != 0) {
            error = fmt::format("TAP {}: TX queue {} setup failed: {}", spec.interface, q,
                                rte_strerror(-rc));
            return false;
        }
    }
    if (int rc = rte_eth_dev_start(tap_id); rc != 0) {
        error = fmt::format("TAP {}: start failed: {}", spec.interface, rte_strerror(-rc));
        return false;
    }
    // The kernel joins groups of its own (solicited-node groups of the host's addresses, all
    // nodes, LLDP's): the NIC's multicast filter cannot know them.
    if (rte_eth_allmulticast_enable(port.id) != 0)
        fmt::print(stderr,
                   "port {}: cannot accept all multicast; the kernel's neighbour discovery on "
                   "{} relies on the port delivering its groups anyway\n",
                   port.name, spec.interface);
    return true;
}

// Frames go out with no offload requested: the RX flags must not be read as TX requests.
void clear_offload_flags(rte_mbuf** frames, uint16_t count) {
    for (uint16_t i = 0; i < count; ++i)
        frames[i]->ol_flags = 0;
}

void free_unsent(rte_mbuf** frames, uint16_t sent, uint16_t count, stats::LcoreCounters& counters) {
    for (uint16_t i = sent; i < count; ++i)
        counters.count_drop(stats::DropReason::exception_dropped);
    if (sent < count) rte_pktmbuf_free_bulk(frames + sent, count - sent);
}

} // namespace

bool start_exception_ports(const std::vector<ExceptionPortSpec>& specs, rte_mempool* pool,
                           std::vector<Port>& ports, std::string& error) {
    for (const ExceptionPortSpec& spec : specs) {
        Port* port = nullptr;
        for (Port& p : ports)
            if (p.name == spec.device) port = &p;
        if (port == nullptr) {
            std::string names;
            for (const Port& p : ports)
                names += (names.empty() ? "" : ", ") + p.name;
            error = fmt::format("--exception-tap {}={}: no port {} (the ports are {})", spec.device,
                                spec.interface, spec.device, names);
            return false;
        }
        if (port->has_exception) {
            error = fmt::format("port {}: two exception TAPs given", port->name);
            return false;
        }
        if (!start_tap(spec, pool, *port, error)) return false;
        fmt::print("ringcast-dataplane: port {}: exception TAP {}, {} queue(s)\n", port->name,
                   spec.interface, port->queues);
    }
    return true;
}

void stop_exception_ports(const std::vector<Port>& ports) {
    for (const Port& port : ports) {
        if (!port.has_exception) continue;
        rte_eth_dev_stop(port.exception_id);
        rte_eth_dev_close(port.exception_id); // the kernel interface goes with its last fd
    }
}

void send_to_kernel(const Port& port, uint16_t queue, rte_mbuf** frames, uint16_t count,
                    stats::LcoreCounters& counters) {
    clear_offload_flags(frames, count);
    const uint16_t sent = rte_eth_tx_burst(port.exception_id, queue, frames, count);
    counters.add(stats::Counter::exception_to_kernel, sent);
    free_unsent(frames, sent, count, counters);
}

uint16_t forward_from_kernel(const Port& port, uint16_t queue, stats::LcoreCounters& counters) {
    rte_mbuf* frames[kBurstSize];
    const uint16_t received = rte_eth_rx_burst(port.exception_id, queue, frames, kBurstSize);
    if (received == 0) return 0;
    clear_offload_flags(frames, received);
    uint64_t bytes = 0;
    for (uint16_t i = 0; i < received; ++i)
        bytes += frames[i]->pkt_len;
    const uint16_t sent = rte_eth_tx_burst(port.id, queue, frames, received);
    for (uint16_t i = sent; i < received; ++i)
        bytes -= frames[i]->pkt_len;
    counters.add(stats::Counter::exception_from_kernel, sent);
    counters.add(stats::Counter::tx_packets, sent);
    counters.add(stats::Counter::tx_bytes, bytes);
    free_unsent(frames, sent, received, counters);
    return received;
}

} // namespace ringcast::runtime
