// The XDP VIP filter (dataplane/xdp/vip_filter.bpf.c) as the kernel runs it: the built object is
// loaded with libbpf (so the verifier accepts it or the test fails) and run with
// BPF_PROG_TEST_RUN on frames built in memory. A real AF_XDP socket, bound to a veth in a network
// namespace of the test's own, sits in xsks_map at queue 0, so a VIP frame's verdict is a real
// XDP_REDIRECT. Needs root (BPF, namespaces); RINGCAST_XDP_PROGRAM names the object.
#include "dataplane/xdp/vip_filter_abi.h"
#include "tests/unit/support/packet_builder.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mman.h>
#include <xdp/xsk.h>

using namespace ringcast::test;

namespace {

const Mac kClientMac = mac("02:00:00:00:00:10");
const Mac kPortMac = mac("02:00:00:00:00:01");
const Ip4 kClient4 = ip4("203.0.113.10");
const Ip4 kVip4 = ip4("203.0.113.53");
const Ip4 kHost4 = ip4("203.0.113.2"); // the PoP host's own address on the same link
const Ip6 kClient6 = ip6("2001:db8:ffff::10");
const Ip6 kVip6 = ip6("2001:db8:ffff::53");
const Ip6 kHost6 = ip6("2001:db8:ffff::2");
constexpr uint16_t kBgpPort = 179; // RFC 4271 §8.2.1
constexpr uint16_t kSshPort = 22;
constexpr uint32_t kQueue = 0;
constexpr size_t kFrameSize = 4096;
constexpr size_t kUmemFrames = 64;

// RFC 4291 §2.7.1: ff02::1:ff00:0/104 plus the low 24 bits of `address`.
Ip6 solicited_node(const Ip6& address) {
    Ip6 group = ip6("ff02::1:ff00:0");
    std::copy(address.begin() + 13, address.end(), group.begin() + 13);
    return group;
}

Mac multicast_mac(const Ip6& group) { // RFC 2464 §7
    return {0x33, 0x33, group[12], group[13], group[14], group[15]};
}

// A 20-byte TCP SYN header (no checksum: the filter does not read it).
Bytes tcp_syn(uint16_t src_port, uint16_t dst_port) {
    Bytes tcp;
    put16(tcp, src_port);
    put16(tcp, dst_port);
    for (int i = 0; i < 8; ++i)
        tcp.push_back(0); // sequence and acknowledgement numbers
    tcp.push_back(5 << 4);
    tcp.push_back(0x02); // SYN
    put16(tcp, 65535);
    put16(tcp, 0);
    put16(tcp, 0);
    return tcp;
}

Bytes cut(Bytes frame, size_t length) {
    frame.resize(length);
    return frame;
}

Bytes udp4_to(const Ip4& dst, uint16_t port) {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, dst)
        .udp(40000, port)
        .payload(Bytes(12, 0))
        .build();
}

Bytes tcp4_to(const Ip4& dst, uint16_t port) {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv4(kClient4, dst)
        .ip_protocol(6)
        .payload(tcp_syn(50000, port))
        .build();
}

Bytes tcp6_to(const Ip6& dst, uint16_t port) {
    return PacketBuilder()
        .eth(kClientMac, kPortMac)
        .ipv6(kClient6, dst)
        .ip_protocol(6)
        .payload(tcp_syn(50000, port))
        .build();
}

Bytes solicitation_for(const Ip6& target) {
    const Ip6 group = solicited_node(target);
    return PacketBuilder()
        .eth(kClientMac, multicast_mac(group))
        .ipv6(kClient6, group)
        .ttl(255)
        .neighbour_solicitation(target)
        .nd_source_link_layer(kClientMac)
        .build();
}

Bytes arp_request_for(const Ip4& target) {
    return PacketBuilder()
        .eth(kClientMac, mac("ff:ff:ff:ff:ff:ff"))
        .arp_request(kClientMac, kClient4, target)
        .build();
}

// The filter loaded from the built object, its VIP maps filled as the dataplane fills them, and
// an AF_XDP socket at queue 0 of a veth in a network namespace of this process's own.
class Filter {
  public:
    Filter() {
        const char* path = std::getenv("RINGCAST_XDP_PROGRAM");
        REQUIRE(path != nullptr);
        REQUIRE(unshare(CLONE_NEWNET) == 0);
        REQUIRE(std::system("ip link add xdpt0 type veth peer name xdpt1 && "
                            "ip link set xdpt0 up && ip link set xdpt1 up") == 0);
        ifindex_ = if_nametoindex("xdpt0");
        REQUIRE(ifindex_ != 0);

        object_ = bpf_object__open_file(path, nullptr);
        REQUIRE(libbpf_get_error(object_) == 0);
        REQUIRE(bpf_object__load(object_) == 0); // the verifier accepts it
        bpf_program* program = bpf_object__find_program_by_name(object_, RC_XDP_PROGRAM_NAME);
        REQUIRE(program != nullptr);
        program_fd_ = bpf_program__fd(program);
        vip4_fd_ = map_fd(RC_XDP_MAP_VIP4);
        vip6_fd_ = map_fd(RC_XDP_MAP_VIP6);
        verdicts_fd_ = map_fd(RC_XDP_MAP_VERDICTS);

        const uint8_t present = RC_XDP_VIP_PRESENT;
        uint32_t vip4;
        std::memcpy(&vip4, kVip4.data(), sizeof(vip4));
        REQUIRE(bpf_map_update_elem(vip4_fd_, &vip4, &present, BPF_ANY) == 0);
        rc_xdp_vip6 vip6;
        std::memcpy(vip6.address, kVip6.data(), sizeof(vip6.address));
        REQUIRE(bpf_map_update_elem(vip6_fd_, &vip6, &present, BPF_ANY) == 0);

        open_socket();
    }

    ~Filter() {
        if (socket_) xsk_socket__delete(socket_);
        if (umem_) xsk_umem__delete(umem_);
        if (umem_area_ != MAP_FAILED) munmap(umem_area_, kFrameSize * kUmemFrames);
        bpf_object__close(object_);
    }

    // Runs the program on `frame` as received on queue kQueue of the veth; the XDP action.
    int run(const Bytes& frame) {
        Bytes data = frame;
        xdp_md context{};
        context.data_end = static_cast<uint32_t>(data.size());
        context.ingress_ifindex = ifindex_;
        context.rx_queue_index = kQueue;
        bpf_test_run_opts opts{};
        opts.sz = sizeof(opts);
        opts.data_in = data.data();
        opts.data_size_in = static_cast<uint32_t>(data.size());
        opts.ctx_in = &context;
        opts.ctx_size_in = sizeof(context);
        opts.repeat = 1;
        REQUIRE(bpf_prog_test_run_opts(program_fd_, &opts) == 0);
        return static_cast<int>(opts.retval);
    }

    uint64_t verdicts(rc_xdp_verdict verdict) const {
        std::vector<uint64_t> per_cpu(static_cast<size_t>(libbpf_num_possible_cpus()));
        const uint32_t key = verdict;
        REQUIRE(bpf_map_lookup_elem(verdicts_fd_, &key, per_cpu.data()) == 0);
        uint64_t sum = 0;
        for (uint64_t n : per_cpu)
            sum += n;
        return sum;
    }

    void remove_socket() {
        const uint32_t key = kQueue;
        REQUIRE(bpf_map_delete_elem(map_fd(RC_XDP_MAP_XSKS), &key) == 0);
    }

  private:
    int map_fd(const char* name) const {
        const int fd = bpf_object__find_map_fd_by_name(object_, name);
        REQUIRE(fd >= 0);
        return fd;
    }

    void open_socket() {
        umem_area_ = mmap(nullptr, kFrameSize * kUmemFrames, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        REQUIRE(umem_area_ != MAP_FAILED);
        REQUIRE(xsk_umem__create(&umem_, umem_area_, kFrameSize * kUmemFrames, &fill_, &completion_,
                                 nullptr) == 0);
        xsk_socket_config config{};
        config.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS;
        config.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS;
        config.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD; // the filter is the program
        config.bind_flags = XDP_COPY;
        REQUIRE(xsk_socket__create(&socket_, "xdpt0", kQueue, umem_, &rx_, &tx_, &config) == 0);
        const int fd = xsk_socket__fd(socket_);
        const uint32_t key = kQueue;
        REQUIRE(bpf_map_update_elem(map_fd(RC_XDP_MAP_XSKS), &key, &fd, BPF_ANY) == 0);
    }

    bpf_object* object_ = nullptr;
    int program_fd_ = -1, vip4_fd_ = -1, vip6_fd_ = -1, verdicts_fd_ = -1;
    unsigned ifindex_ = 0;
    void* umem_area_ = MAP_FAILED;
    xsk_umem* umem_ = nullptr;
    xsk_socket* socket_ = nullptr;
    xsk_ring_prod fill_{}, tx_{};
    xsk_ring_cons completion_{}, rx_{};
};

// Runs `frame` and checks both the action and that exactly `verdict` was counted once.
void expect(Filter& filter, const Bytes& frame, int action, rc_xdp_verdict verdict) {
    const uint64_t before = filter.verdicts(verdict);
    uint64_t all_before = 0;
    for (int v = 0; v < RC_XDP_VERDICT_COUNT; ++v)
        all_before += filter.verdicts(static_cast<rc_xdp_verdict>(v));
    CHECK(filter.run(frame) == action);
    CHECK(filter.verdicts(verdict) == before + 1);
    uint64_t all_after = 0;
    for (int v = 0; v < RC_XDP_VERDICT_COUNT; ++v)
        all_after += filter.verdicts(static_cast<rc_xdp_verdict>(v));
    CHECK(all_after == all_before + 1); // one verdict per frame
}

} // namespace

TEST_CASE("XDP VIP filter: what the dataplane answers goes to its socket, the rest to the kernel") {
    Filter filter;

    SECTION("VIP traffic: UDP and TCP over IPv4 and IPv6") {
        expect(filter, udp4_to(kVip4, 53), XDP_REDIRECT, RC_XDP_redirect_ipv4);
        expect(filter, tcp4_to(kVip4, 53), XDP_REDIRECT, RC_XDP_redirect_ipv4);
        expect(filter, tcp4_to(kVip4, 80), XDP_REDIRECT, RC_XDP_redirect_ipv4);
        expect(filter, tcp6_to(kVip6, 53), XDP_REDIRECT, RC_XDP_redirect_ipv6);
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, kPortMac)
                   .ipv6(kClient6, kVip6)
                   .udp(40000, 53)
                   .payload(Bytes(12, 0))
                   .build(),
               XDP_REDIRECT, RC_XDP_redirect_ipv6);
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, kPortMac)
                   .ipv4(kClient4, kVip4)
                   .icmp4_echo(1, 1)
                   .build(),
               XDP_REDIRECT, RC_XDP_redirect_ipv4);
    }

    SECTION("the host's own traffic on the same link: BGP, SSH, ping") {
        expect(filter, tcp4_to(kHost4, kBgpPort), XDP_PASS, RC_XDP_pass_ipv4);
        expect(filter, tcp4_to(kHost4, kSshPort), XDP_PASS, RC_XDP_pass_ipv4);
        expect(filter, tcp6_to(kHost6, kBgpPort), XDP_PASS, RC_XDP_pass_ipv6);
        expect(filter, udp4_to(kHost4, 53), XDP_PASS, RC_XDP_pass_ipv4);
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, kPortMac)
                   .ipv4(kClient4, kHost4)
                   .icmp4_echo(1, 1)
                   .build(),
               XDP_PASS, RC_XDP_pass_ipv4);
    }

    SECTION("ARP: for a VIP to the dataplane, for the host to the kernel") {
        expect(filter, arp_request_for(kVip4), XDP_REDIRECT, RC_XDP_redirect_arp);
        expect(filter, arp_request_for(kHost4), XDP_PASS, RC_XDP_pass_arp);
        ArpFields not_ipv4; // an ARP for another protocol: its target is not where IPv4's is
        not_ipv4.protocol_type = 0x86dd;
        not_ipv4.target_ip = kVip4;
        expect(filter, PacketBuilder().eth(kClientMac, kPortMac).arp(not_ipv4).build(), XDP_PASS,
               RC_XDP_pass_arp);
    }

    SECTION("neighbour solicitations: for a VIP to the dataplane, for the host to the kernel") {
        expect(filter, solicitation_for(kVip6), XDP_REDIRECT, RC_XDP_redirect_nd);
        expect(filter, solicitation_for(kHost6), XDP_PASS, RC_XDP_pass_ipv6);
        // Another ICMPv6 message to the VIP's solicited-node group is not a solicitation.
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, multicast_mac(solicited_node(kVip6)))
                   .ipv6(kClient6, solicited_node(kVip6))
                   .icmp6_echo(1, 1)
                   .build(),
               XDP_PASS, RC_XDP_pass_ipv6);
    }

    SECTION("one VLAN tag is looked through; non-IP goes to the kernel") {
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, kPortMac)
                   .vlan(7)
                   .ipv4(kClient4, kVip4)
                   .udp(40000, 53)
                   .payload(Bytes(12, 0))
                   .build(),
               XDP_REDIRECT, RC_XDP_redirect_ipv4);
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, kPortMac)
                   .vlan(7, 0x88a8)
                   .ipv4(kClient4, kHost4)
                   .ip_protocol(6)
                   .payload(tcp_syn(50000, kBgpPort))
                   .build(),
               XDP_PASS, RC_XDP_pass_ipv4);
        expect(filter, PacketBuilder().eth(kClientMac, kPortMac).payload(Bytes(46, 0)).build(),
               XDP_PASS, RC_XDP_pass_non_ip);
    }

    SECTION("truncated frames go to the kernel, whatever they claim") {
        // BPF_PROG_TEST_RUN takes no frame shorter than an Ethernet header: these are cut
        // right after it, or inside the header the filter reads next.
        expect(filter, cut(udp4_to(kVip4, 53), 14), XDP_PASS, RC_XDP_pass_truncated);
        expect(filter, cut(udp4_to(kVip4, 53), 14 + 12), XDP_PASS, RC_XDP_pass_truncated);
        expect(filter, cut(tcp6_to(kVip6, 53), 14 + 39), XDP_PASS, RC_XDP_pass_truncated);
        expect(filter, cut(arp_request_for(kVip4), 14 + 27), XDP_PASS, RC_XDP_pass_truncated);
        // A tag with nothing after it.
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, kPortMac)
                   .vlan(7)
                   .ipv4(kClient4, kVip4)
                   .truncate_to(16)
                   .build(),
               XDP_PASS, RC_XDP_pass_truncated);
        // A solicitation cut before its target: the kernel's (it drops it).
        expect(filter,
               PacketBuilder()
                   .eth(kClientMac, multicast_mac(solicited_node(kVip6)))
                   .ipv6(kClient6, solicited_node(kVip6))
                   .neighbour_solicitation(kVip6)
                   .truncate_to(14 + 40 + 10)
                   .build(),
               XDP_PASS, RC_XDP_pass_ipv6);
    }

    SECTION("a VIP frame on a queue without a dataplane socket is the kernel's, not lost") {
        filter.remove_socket();
        expect(filter, udp4_to(kVip4, 53), XDP_PASS, RC_XDP_pass_no_socket);
    }
}
