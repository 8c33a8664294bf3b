#include "controlplane/ringcastd/xdp_detach.h"

#include <bpf/libbpf.h>
#include <cstring>
#include <fmt/format.h>
#include <linux/if_link.h>
#include <net/if.h>

namespace ringcast::daemon {

std::vector<std::string> af_xdp_interfaces(const std::vector<std::string>& ports) {
    std::vector<std::string> interfaces;
    for (const std::string& port : ports) {
        if (port.rfind("net_af_xdp", 0) != 0) continue;
        size_t start = port.find(',');
        while (start != std::string::npos) {
            const size_t end = port.find(',', start + 1);
            const std::string arg = port.substr(
                start + 1, end == std::string::npos ? std::string::npos : end - start - 1);
            if (arg.rfind("iface=", 0) == 0 && arg.size() > 6) interfaces.push_back(arg.substr(6));
            start = end;
        }
    }
    return interfaces;
}

int detach_xdp(const std::string& ifname, std::string& error) {
    const unsigned ifindex = if_nametoindex(ifname.c_str());
    if (ifindex == 0) {
        error = fmt::format("{}: no such interface", ifname);
        return -1;
    }
    bpf_xdp_query_opts query{};
    query.sz = sizeof(query);
    int err = bpf_xdp_query(static_cast<int>(ifindex), 0, &query);
    if (err != 0) {
        error = fmt::format("{}: cannot query XDP: {}", ifname, std::strerror(-err));
        return -1;
    }
    // The detach must name the mode the program was attached in.
    int detached = 0;
    const std::pair<uint32_t, uint32_t> modes[] = {{query.drv_prog_id, XDP_FLAGS_DRV_MODE},
                                                   {query.skb_prog_id, XDP_FLAGS_SKB_MODE}};
    for (const auto& [prog_id, flags] : modes) {
        if (prog_id == 0) continue;
        err = bpf_xdp_detach(static_cast<int>(ifindex), flags, nullptr);
        if (err != 0) {
            error = fmt::format("{}: cannot detach XDP program {}: {}", ifname, prog_id,
                                std::strerror(-err));
            return -1;
        }
        ++detached;
    }
    return detached;
}

} // namespace ringcast::daemon
