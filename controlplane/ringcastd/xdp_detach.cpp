#include "controlplane/ringcastd/xdp_detach.h"

#include "dataplane/util/unique_fd.h"
#include "dataplane/xdp/attached_program.h"
#include "dataplane/xdp/vip_filter_abi.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <fmt/format.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <xdp/libxdp.h>

namespace ringcast::daemon {
namespace {

// libxdp reports what it cannot find (no bpffs, no dispatcher) on stderr: for ringcastd these
// are answers, not problems.
int quiet_libxdp(enum libxdp_print_level, const char*, va_list) {
    return 0;
}

// libxdp's dispatcher whose every component is DPDK's own program (the dispatcher DPDK's PMD,
// through libxdp, puts in front of xsk_def_prog when a bpffs is mounted). Detaches it with
// libxdp so its bpffs state goes too. 1: detached, 0: not that, -1: failed.
int detach_dpdk_dispatcher(unsigned ifindex, const xdp::AttachedProgram& program,
                           std::string& error) {
    if (program.name != RC_XDP_LIBXDP_DISPATCHER_NAME) return 0;
    libxdp_set_print(quiet_libxdp);
    xdp_multiprog* mp = xdp_multiprog__get_from_ifindex(static_cast<int>(ifindex));
    if (libxdp_get_error(mp) != 0 || mp == nullptr) return 0;
    int components = 0;
    bool only_dpdk = !xdp_multiprog__is_legacy(mp);
    for (xdp_program* p = xdp_multiprog__next_prog(nullptr, mp); p && only_dpdk;
         p = xdp_multiprog__next_prog(p, mp)) {
        ++components;
        only_dpdk = std::strcmp(xdp_program__name(p), RC_XDP_DPDK_DEFAULT_PROGRAM_NAME) == 0;
    }
    int result = 0;
    if (only_dpdk && components > 0) {
        const int err = xdp_multiprog__detach(mp);
        if (err == 0) {
            result = 1;
        } else {
            error = fmt::format("cannot detach libxdp's dispatcher (id {}): {}", program.id,
                                std::strerror(-err));
            result = -1;
        }
    }
    xdp_multiprog__close(mp);
    return result;
}

// Detaches exactly `program`: XDP_FLAGS_REPLACE with its fd, so a program attached since it was
// inspected is never the one removed.
bool detach_program(unsigned ifindex, const xdp::AttachedProgram& program, std::string& error) {
    const UniqueFd fd(bpf_prog_get_fd_by_id(program.id));
    if (!fd) {
        if (errno == ENOENT) return true; // gone meanwhile
        error = fmt::format("cannot open XDP program {} (id {}): {}", program.name, program.id,
                            std::strerror(errno));
        return false;
    }
    bpf_xdp_attach_opts opts{};
    opts.sz = sizeof(opts);
    opts.old_prog_fd = fd.get();
    if (int err =
            bpf_xdp_detach(static_cast<int>(ifindex), program.mode | XDP_FLAGS_REPLACE, &opts);
        err != 0) {
        error = fmt::format("cannot detach XDP program {} (id {}): {}", program.name, program.id,
                            std::strerror(-err));
        return false;
    }
    return true;
}

} // namespace

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

bool detach_own_xdp(const std::string& ifname, bool dpdk_default_is_ours, DetachResult& out,
                    std::string& error) {
    out = DetachResult{};
    const unsigned ifindex = if_nametoindex(ifname.c_str());
    if (ifindex == 0) {
        error = fmt::format("{}: no such interface", ifname);
        return false;
    }
    std::vector<xdp::AttachedProgram> programs;
    if (!xdp::attached_programs(ifindex, programs, error)) {
        error = fmt::format("{}: {}", ifname, error);
        return false;
    }
    for (const xdp::AttachedProgram& program : programs) {
        if (xdp::is_vip_filter(program) ||
            (dpdk_default_is_ours && xdp::is_dpdk_default(program))) {
            if (!detach_program(ifindex, program, error)) {
                error = fmt::format("{}: {}", ifname, error);
                return false;
            }
            ++out.detached;
            continue;
        }
        if (dpdk_default_is_ours) {
            const int dispatcher = detach_dpdk_dispatcher(ifindex, program, error);
            if (dispatcher < 0) {
                error = fmt::format("{}: {}", ifname, error);
                return false;
            }
            if (dispatcher > 0) {
                ++out.detached;
                continue;
            }
        }
        out.left.push_back(fmt::format("{} (id {})", program.name, program.id));
    }
    return true;
}

} // namespace ringcast::daemon
