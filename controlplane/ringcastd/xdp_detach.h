// After a dataplane on an AF_XDP port dies by SIGKILL, its XDP program can stay attached to the
// interface (the PMD detaches it only on a clean close), and the next dataplane cannot attach
// its own. Before each start ringcastd detaches the XDP program ringcast left there, on the
// interfaces its own config names, and only that: a program of the operator's (a firewall, a
// sampler) is left attached, and said so in the log.
#pragma once

#include <string>
#include <vector>

namespace ringcast::daemon {

// The interfaces of the net_af_xdp ports: "net_af_xdp0,iface=srv0,queue_count=2" -> "srv0".
std::vector<std::string> af_xdp_interfaces(const std::vector<std::string>& ports);

struct DetachResult {
    int detached = 0;              // programs removed
    std::vector<std::string> left; // "name (id N)" of each program that is not ringcast's
};

// Detaches ringcast's own XDP programs from `ifname`: the VIP filter (known by its name and the
// maps it owns) and, when `dpdk_default_is_ours` (the filter is off, so DPDK loaded its own),
// DPDK's program xsk_def_prog, alone or as libxdp's dispatcher's only component. Anything else
// is left and named in `out.left`. False with `error` set when the kernel cannot be asked or a
// detach fails.
bool detach_own_xdp(const std::string& ifname, bool dpdk_default_is_ours, DetachResult& out,
                    std::string& error);

} // namespace ringcast::daemon
