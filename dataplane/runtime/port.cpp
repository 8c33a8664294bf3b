#include "dataplane/runtime/port.h"

#include "dataplane/runtime/exception_port.h"
#include "dataplane/runtime/lcore_loop.h"
#include "dataplane/util/unique_fd.h"

#include <cstring>
#include <fmt/format.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <rte_ethdev.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace ringcast::runtime {
namespace {

constexpr uint64_t kRssHashTypes = RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP;

// RFC 2464 §7 and RFC 4291 §2.7.1: the Ethernet group of each VIP's solicited-node address,
// so a NIC filtering multicast still delivers neighbour solicitations for the VIPs.
void subscribe_solicited_node_groups(const Port& port, const net::VipSet& vips) {
    std::vector<rte_ether_addr> groups;
    for (size_t i = 0; i < vips.v6_count; ++i) {
        rte_ether_addr mac{{0x33, 0x33, 0xff, vips.v6[i][13], vips.v6[i][14], vips.v6[i][15]}};
        groups.push_back(mac);
    }
    if (groups.empty()) return;
    if (rte_eth_dev_set_mc_addr_list(port.id, groups.data(),
                                     static_cast<uint32_t>(groups.size())) == 0)
        return;
    if (rte_eth_allmulticast_enable(port.id) != 0)
        fmt::print(stderr,
                   "port {}: cannot filter or accept multicast; IPv6 neighbour discovery "
                   "relies on the port delivering it anyway\n",
                   port.name);
}

// Whether the port sits on a Linux veth (AF_XDP and AF_PACKET ports report their kernel
// interface's index). Its peer is a kernel that may send checksums left partial for a NIC that
// is not there.
bool is_on_veth(const rte_eth_dev_info& info) {
    char ifname[IF_NAMESIZE] = {};
    if (info.if_index == 0 || if_indextoname(info.if_index, ifname) == nullptr) return false;
    const UniqueFd sock(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!sock) return false;
    ethtool_drvinfo drvinfo{};
    drvinfo.cmd = ETHTOOL_GDRVINFO;
    ifreq request{};
    std::memcpy(request.ifr_name, ifname, sizeof(request.ifr_name)); // both IF_NAMESIZE, NUL-padded
    request.ifr_data = reinterpret_cast<char*>(&drvinfo);
    if (ioctl(sock.get(), SIOCETHTOOL, &request) != 0) return false;
    return std::strcmp(drvinfo.driver, "veth") == 0;
}

bool start_port(uint16_t port_id, uint16_t queues, rte_mempool* pool, const net::VipSet& vips,
                Port& port, std::string& error) {
    port.id = port_id;
    char name[RTE_ETH_NAME_MAX_LEN] = {};
    rte_eth_dev_get_name_by_port(port_id, name);
    port.name = name;

    rte_eth_dev_info info{};
    if (int rc = rte_eth_dev_info_get(port_id, &info); rc != 0) {
        error = fmt::format("port {}: cannot read device info: {}", port.name, rte_strerror(-rc));
        return false;
    }
    if (info.max_rx_queues < queues || info.max_tx_queues < queues) {
        error = fmt::format("port {}: {} lcores need {} queue pairs, the port has {} RX / {} TX "
                            "(for net_af_xdp add queue_count={}, for net_af_packet qpairs={}, or "
                            "use fewer lcores)",
                            port.name, queues, queues, info.max_rx_queues, info.max_tx_queues,
                            queues, queues);
        return false;
    }

    port.on_veth = is_on_veth(info);

    rte_eth_conf conf{};
    port.rss = queues > 1 && (info.flow_type_rss_offloads & kRssHashTypes) != 0;
    if (port.rss) {
        conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
        conf.rx_adv_conf.rss_conf.rss_hf = info.flow_type_rss_offloads & kRssHashTypes;
    } else if (queues > 1) {
        // Software ports spread frames themselves (AF_XDP: the kernel NIC's own RSS over its
        // queues; AF_PACKET: socket fanout by flow hash), so they report no RSS of their own.
        fmt::print(stderr,
                   "port {}: no RSS offload; {} queues are fed by the port's own spreading\n",
                   port.name, queues);
    }
    if ((info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM) == RTE_ETH_RX_OFFLOAD_CHECKSUM) {
        conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_CHECKSUM;
        port.rx_checksum_offload = true;
    }
    if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
        conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
        port.tx_caps.ipv4_header = true;
    }
    if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
        conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
        port.tx_caps.udp = true;
    }

    if (int rc = rte_eth_dev_configure(port_id, queues, queues, &conf); rc != 0) {
        error = fmt::format("port {}: configure failed: {}", port.name, rte_strerror(-rc));
        return false;
    }
    uint16_t rx_descriptors = kRxDescriptors;
    uint16_t tx_descriptors = kTxDescriptors;
    rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &rx_descriptors, &tx_descriptors);
    const int socket = rte_eth_dev_socket_id(port_id);
    for (uint16_t q = 0; q < queues; ++q) {
        rte_eth_rxconf rxconf = info.default_rxconf;
        rxconf.offloads = conf.rxmode.offloads;
        if (int rc = rte_eth_rx_queue_setup(port_id, q, rx_descriptors, socket, &rxconf, pool);
            rc) {
            error = fmt::format("port {}: RX queue {} setup failed: {}", port.name, q,
                                rte_strerror(-rc));
            return false;
        }
        rte_eth_txconf txconf = info.default_txconf;
        txconf.offloads = conf.txmode.offloads;
        if (int rc = rte_eth_tx_queue_setup(port_id, q, tx_descriptors, socket, &txconf); rc) {
            error = fmt::format("port {}: TX queue {} setup failed: {}", port.name, q,
                                rte_strerror(-rc));
            return false;
        }
    }
    if (int rc = rte_eth_dev_start(port_id); rc != 0) {
        error = fmt::format("port {}: start failed: {}", port.name, rte_strerror(-rc));
        return false;
    }
    rte_ether_addr mac{};
    rte_eth_macaddr_get(port_id, &mac);
    std::memcpy(port.mac.data(), mac.addr_bytes, port.mac.size());
    port.queues = queues;
    subscribe_solicited_node_groups(port, vips);
    return true;
}

} // namespace

uint32_t mbufs_needed(uint16_t port_count, uint16_t queues, unsigned lcores) {
    const uint32_t per_queue = kRxDescriptors + kTxDescriptors + 2 * kBurstSize;
    const uint32_t total = port_count * queues * per_queue + lcores * kMempoolCacheSize;
    uint32_t n = kMinMbufPoolPowerOfTwo; // mempools are most memory-efficient at 2^n - 1 elements
    while (n - 1 < total)
        n *= 2;
    return n - 1;
}

bool start_ports(uint16_t queues, rte_mempool* pool, const net::VipSet& vips,
                 std::vector<Port>& ports, std::string& error) {
    uint16_t port_id;
    RTE_ETH_FOREACH_DEV(port_id) {
        Port port;
        if (!start_port(port_id, queues, pool, vips, port, error)) return false;
        ports.push_back(port);
    }
    if (ports.empty()) {
        error = "no ports: give a PCI address (-a) or a vdev (--vdev net_af_xdp0,iface=...)";
        return false;
    }
    return true;
}

void stop_ports(const std::vector<Port>& ports) {
    stop_exception_ports(ports);
    for (const auto& port : ports) {
        rte_eth_dev_stop(port.id);
        rte_eth_dev_close(port.id);
    }
}

} // namespace ringcast::runtime
