// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0
// The XDP exception path: on an AF_XDP port, only what the dataplane answers goes to its
// sockets; everything else (BGP and SSH to the host's own addresses, neighbour discovery for
// them, other EtherTypes) continues into the kernel's stack. ringcast-dataplane attaches it
// through DPDK's af_xdp PMD (xdp_prog=) and fills rc_vip4 / rc_vip6 from its VIP list.
//
// To the dataplane: IPv4 and IPv6 frames whose destination is a VIP; ARP packets whose target
// protocol address is a VIP (RFC 826); neighbour solicitations whose target is a VIP (RFC 4861
// §4.3: they go to the target's solicited-node group, so the destination alone does not say).
// One 802.1Q or 802.1ad tag is looked through and kept: a tagged frame goes where its inner
// packet would (the kernel's VLAN interface for the host's traffic; the dataplane, which serves
// untagged frames only, counts a tagged VIP frame as eth_unsupported_type).
// libbpf's BPF-side headers need the kernel's types first: kept in this order.
// clang-format off
#include "dataplane/xdp/vip_filter_abi.h"

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
// clang-format on

#define ETH_TYPE_VLAN 0x8100          // IEEE 802.1Q
#define ETH_TYPE_QINQ 0x88a8          // IEEE 802.1ad service tag
#define ARP_HARDWARE_ETHERNET 1       // RFC 826 ar$hrd
#define ND_NEIGHBOUR_SOLICITATION 135 // RFC 4861 §4.3

struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, RC_XDP_MAX_QUEUES);
    __type(key, __u32);
    __type(value, __u32);
} xsks_map SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, RC_XDP_MAX_VIPS);
    __type(key, __u32); // network byte order
    __type(value, __u8);
} rc_vip4 SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, RC_XDP_MAX_VIPS);
    __type(key, struct rc_xdp_vip6);
    __type(value, __u8);
} rc_vip6 SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, RC_XDP_VERDICT_COUNT);
    __type(key, __u32);
    __type(value, __u64);
} rc_xdp_verdicts SEC(".maps");

struct vlan_tag {
    __be16 tci;
    __be16 inner_type;
};

// RFC 826 for Ethernet and IPv4: the only ARP the dataplane answers.
struct arp_ethernet_ipv4 {
    __be16 hardware_type;
    __be16 protocol_type;
    __u8 hardware_length;
    __u8 protocol_length;
    __be16 opcode;
    __u8 sender_mac[ETH_ALEN];
    __u8 sender_ip[4];
    __u8 target_mac[ETH_ALEN];
    __u8 target_ip[4];
} __attribute__((packed));

// RFC 4861 §4.3, up to the target address (options follow).
struct neighbour_solicitation {
    __u8 type;
    __u8 code;
    __be16 checksum;
    __be32 reserved;
    struct rc_xdp_vip6 target;
};

static __always_inline int verdict(__u32 which, int action) {
    __u64* count = bpf_map_lookup_elem(&rc_xdp_verdicts, &which);
    if (count) *count += 1; // per CPU: no other writer
    return action;
}

// A queue without a socket in xsks_map (the dataplane not up yet, or fewer dataplane queues than
// the NIC has) falls back to XDP_PASS: the frame is the kernel's rather than lost.
static __always_inline int to_dataplane(struct xdp_md* ctx, __u32 which) {
    const int action = bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
    return verdict(action == XDP_REDIRECT ? which : RC_XDP_pass_no_socket, action);
}

static __always_inline int is_vip6(const struct rc_xdp_vip6* address) {
    struct rc_xdp_vip6 key; // map keys are read from the stack, not from packet memory
    __builtin_memcpy(&key, address, sizeof(key));
    return bpf_map_lookup_elem(&rc_vip6, &key) != 0;
}

SEC("xdp")
int rc_vip_filter(struct xdp_md* ctx) {
    void* data = (void*)(long)ctx->data;
    void* end = (void*)(long)ctx->data_end;

    struct ethhdr* eth = data;
    if ((void*)(eth + 1) > end) return verdict(RC_XDP_pass_truncated, XDP_PASS);
    __be16 type = eth->h_proto;
    void* l3 = eth + 1;
    if (type == bpf_htons(ETH_TYPE_VLAN) || type == bpf_htons(ETH_TYPE_QINQ)) {
        struct vlan_tag* tag = l3;
        if ((void*)(tag + 1) > end) return verdict(RC_XDP_pass_truncated, XDP_PASS);
        type = tag->inner_type;
        l3 = tag + 1;
    }

    if (type == bpf_htons(ETH_P_IP)) {
        struct iphdr* ip = l3;
        if ((void*)(ip + 1) > end) return verdict(RC_XDP_pass_truncated, XDP_PASS);
        __u32 destination = ip->daddr;
        if (bpf_map_lookup_elem(&rc_vip4, &destination))
            return to_dataplane(ctx, RC_XDP_redirect_ipv4);
        return verdict(RC_XDP_pass_ipv4, XDP_PASS);
    }

    if (type == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr* ip6 = l3;
        if ((void*)(ip6 + 1) > end) return verdict(RC_XDP_pass_truncated, XDP_PASS);
        if (is_vip6((const struct rc_xdp_vip6*)&ip6->daddr))
            return to_dataplane(ctx, RC_XDP_redirect_ipv6);
        // A solicitation carries no extension headers in practice; one that does is the
        // kernel's (the dataplane processes none, RFC 4861 §7.1.1 aside).
        if (ip6->nexthdr == IPPROTO_ICMPV6) {
            struct neighbour_solicitation* ns = (void*)(ip6 + 1);
            if ((void*)(ns + 1) <= end && ns->type == ND_NEIGHBOUR_SOLICITATION &&
                is_vip6(&ns->target))
                return to_dataplane(ctx, RC_XDP_redirect_nd);
        }
        return verdict(RC_XDP_pass_ipv6, XDP_PASS);
    }

    if (type == bpf_htons(ETH_P_ARP)) {
        struct arp_ethernet_ipv4* arp = l3;
        if ((void*)(arp + 1) > end) return verdict(RC_XDP_pass_truncated, XDP_PASS);
        if (arp->hardware_type != bpf_htons(ARP_HARDWARE_ETHERNET) ||
            arp->protocol_type != bpf_htons(ETH_P_IP) || arp->hardware_length != ETH_ALEN ||
            arp->protocol_length != 4)
            return verdict(RC_XDP_pass_arp, XDP_PASS);
        __u32 target;
        __builtin_memcpy(&target, arp->target_ip, sizeof(target));
        if (bpf_map_lookup_elem(&rc_vip4, &target)) return to_dataplane(ctx, RC_XDP_redirect_arp);
        return verdict(RC_XDP_pass_arp, XDP_PASS);
    }

    return verdict(RC_XDP_pass_non_ip, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
