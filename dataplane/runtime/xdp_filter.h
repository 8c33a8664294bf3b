// The XDP VIP filter on the dataplane's AF_XDP ports (dataplane/xdp/vip_filter.bpf.c). DPDK's
// af_xdp PMD loads and attaches it (ringcastd passes xdp_prog=); once the ports are up the
// dataplane finds it on each port's interface, writes its VIPs into the filter's maps, and keeps
// the verdict map to read for the stats. Nothing here runs on the packet path.
#pragma once

#include "dataplane/net/vip_set.h"
#include "dataplane/runtime/port.h"
#include "dataplane/stats/counters.h"
#include "dataplane/util/unique_fd.h"

#include <array>
#include <string>
#include <vector>

namespace ringcast::runtime {

class XdpFilter {
  public:
    // For every AF_XDP port: the VIP filter on its interface gets the VIPs; DPDK's own program
    // (the filter switched off) is left as it is, with a line saying so. Fails with `error` set
    // when the filter is there but its maps cannot be filled.
    bool attach(const std::vector<Port>& ports, const net::VipSet& vips, std::string& error);

    // The verdicts summed over every filtered port and every CPU (a map read per verdict and
    // port: for the control and stats threads only). Zeros when no port is filtered.
    std::array<uint64_t, stats::kXdpVerdictCount> read_verdicts() const;

    size_t filtered_ports() const { return verdict_maps_.size(); }

  private:
    std::vector<UniqueFd> verdict_maps_;
};

} // namespace ringcast::runtime
