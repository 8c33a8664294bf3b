// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0
// An operator's own XDP program, as far as ringcast can tell: ringcastd must leave it attached.
// libbpf's BPF-side headers need the kernel's types first: kept in this order.
// clang-format off
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h>
// clang-format on

SEC("xdp")
int operator_pass(struct xdp_md* ctx) {
    (void)ctx;
    return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
