// After a dataplane on an AF_XDP port dies by SIGKILL, its XDP program can stay attached to the
// interface (the PMD detaches it only on a clean close), and the next dataplane cannot attach
// its own. Before each start ringcastd detaches whatever XDP program is on the interfaces its own
// config names, and only those.
#pragma once

#include <string>
#include <vector>

namespace ringcast::daemon {

// The interfaces of the net_af_xdp ports: "net_af_xdp0,iface=srv0,queue_count=2" -> "srv0".
std::vector<std::string> af_xdp_interfaces(const std::vector<std::string>& ports);

// Detaches any XDP program (driver or generic mode) from `ifname`. Returns how many were
// detached, or -1 with `error` set.
int detach_xdp(const std::string& ifname, std::string& error);

} // namespace ringcast::daemon
