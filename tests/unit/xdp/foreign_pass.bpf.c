// SPDX-License-Identifier: BSD-3-Clause OR GPL-2.0
// An operator's own XDP program, as far as ringcast can tell: ringcastd must leave it attached.
#include <linux/bpf.h>

#include <bpf/bpf_helpers.h> // needs the kernel types above

SEC("xdp")
int operator_pass(struct xdp_md* ctx) {
    (void)ctx;
    return XDP_PASS;
}

char _license[] SEC("license") = "Dual BSD/GPL";
