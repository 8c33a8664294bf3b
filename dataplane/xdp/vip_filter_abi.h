/* The contract between the XDP VIP filter (vip_filter.bpf.c, compiled by clang for BPF) and the
 * programs that find and fill its maps (ringcast-dataplane) or tell it apart from an operator's
 * own XDP program (ringcastd). Plain C: both the BPF object and the C++ code include it. */
#pragma once

#include <linux/types.h>

/* The names the kernel keeps (BPF_OBJ_NAME_LEN 16: at most 15 characters each). */
#define RC_XDP_PROGRAM_NAME "rc_vip_filter"
/* DPDK's af_xdp PMD looks this map up by name in an xdp_prog= object and puts the AF_XDP socket
 * of each of its queues in it, keyed by the kernel's rx queue index. */
#define RC_XDP_MAP_XSKS "xsks_map"
#define RC_XDP_MAP_VIP4 "rc_vip4"
#define RC_XDP_MAP_VIP6 "rc_vip6"
#define RC_XDP_MAP_VERDICTS "rc_xdp_verdicts"

/* The program DPDK's af_xdp PMD loads when it is given no xdp_prog= (libxdp's xsk_def_prog, or
 * libxdp's dispatcher running it): what ringcastd removes when the VIP filter is off. */
#define RC_XDP_DPDK_DEFAULT_PROGRAM_NAME "xsk_def_prog"
#define RC_XDP_LIBXDP_DISPATCHER_NAME "xdp_dispatcher"

/* VIPs per address family: the dataplane's net::kMaxVipsPerFamily must not exceed it. */
#define RC_XDP_MAX_VIPS 32
/* XSKMAP entries: rx queue indexes 0 .. RC_XDP_MAX_QUEUES - 1 can carry a dataplane socket. */
#define RC_XDP_MAX_QUEUES 256

/* The value of every VIP map entry: presence is what counts. */
#define RC_XDP_VIP_PRESENT 1

/* rc_vip6 key: an IPv6 address in network byte order. */
struct rc_xdp_vip6 {
    __u8 address[16];
};

/* X(name, help). Every frame the program sees ends in exactly one of these, counted per CPU in
 * the rc_xdp_verdicts array (BPF_MAP_TYPE_PERCPU_ARRAY, __u64 values). */
#define RC_XDP_VERDICTS(X)                                                                         \
    X(redirect_ipv4, "IPv4 frames to a VIP, sent to the dataplane's AF_XDP socket")                \
    X(redirect_ipv6, "IPv6 frames to a VIP, sent to the dataplane's AF_XDP socket")                \
    X(redirect_arp, "ARP packets whose target address is a VIP, sent to the dataplane")            \
    X(redirect_nd, "IPv6 neighbour solicitations whose target is a VIP, sent to the dataplane")    \
    X(pass_ipv4, "IPv4 frames to an address that is not a VIP, passed to the kernel")              \
    X(pass_ipv6, "IPv6 frames to an address that is not a VIP (the host's ND too), to the kernel") \
    X(pass_arp, "ARP packets for an address that is not a VIP, passed to the kernel")              \
    X(pass_non_ip, "Frames neither IPv4, IPv6 nor ARP, passed to the kernel")                      \
    X(pass_truncated, "Frames too short for the headers the filter reads, passed to the kernel")   \
    X(pass_no_socket, "VIP frames on an rx queue with no dataplane socket, passed to the kernel")

#define RC_XDP_VERDICT_ENUM(name, help) RC_XDP_##name,
enum rc_xdp_verdict { RC_XDP_VERDICTS(RC_XDP_VERDICT_ENUM) RC_XDP_VERDICT_COUNT };
#undef RC_XDP_VERDICT_ENUM
