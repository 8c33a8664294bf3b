// Starting ringcast-dataplane as a child of ringcastd and waiting for it.
#pragma once

#include "controlplane/config/config.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace ringcast::daemon {

// The files the dataplane is started with, found once when ringcastd starts.
struct DataplaneFiles {
    std::string binary;      // ringcast-dataplane
    std::string xdp_program; // the XDP VIP filter object; empty: DPDK's own program
};

struct DataplaneLaunch {
    std::string binary;
    std::vector<std::string> argv; // argv[0] included
};

// The dataplane's command line: EAL arguments from the config, one -a/--vdev per port (a
// net_af_xdp port with xdp_prog=<files.xdp_program> when there is one), then "--" and the
// dataplane's own options, among them the control socket ringcastd connects to.
DataplaneLaunch dataplane_command(const config::Config& config, const DataplaneFiles& files,
                                  const std::string& snapshot_path, const std::string& content_path,
                                  const std::string& stats_path, const std::string& control_socket);

// Starts the dataplane. The child gets SIGTERM if ringcastd dies (PR_SET_PDEATHSIG), so no
// orphan keeps the NIC. Must be called from ringcastd's main thread: PDEATHSIG follows the
// thread that forked, not the process. Returns the pid, or -1 with `error` set.
pid_t spawn_dataplane(const DataplaneLaunch& launch, std::string& error);

} // namespace ringcast::daemon
