#include "dataplane/xdp/attached_program.h"

#include "dataplane/util/unique_fd.h"
#include "dataplane/xdp/vip_filter_abi.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

namespace ringcast::xdp {
namespace {

// A program owns a handful of maps; more than this and it is not one ringcast knows anyway.
constexpr uint32_t kMaxMapsInspected = 64;

bool inspect(uint32_t id, uint32_t mode, AttachedProgram& out, std::string& error) {
    out.id = id;
    out.mode = mode;
    const UniqueFd prog(bpf_prog_get_fd_by_id(id));
    if (!prog) {
        error = fmt::format("XDP program {}: cannot open it: {}", id, std::strerror(errno));
        return false;
    }
    // First the count of maps, then their ids (the kernel fills at most nr_map_ids of them).
    bpf_prog_info info{};
    uint32_t length = sizeof(info);
    if (bpf_obj_get_info_by_fd(prog.get(), &info, &length) != 0) {
        error = fmt::format("XDP program {}: cannot read its info: {}", id, std::strerror(errno));
        return false;
    }
    out.name = info.name;
    std::vector<uint32_t> map_ids(std::min(info.nr_map_ids, kMaxMapsInspected));
    if (!map_ids.empty()) {
        bpf_prog_info with_maps{};
        with_maps.nr_map_ids = static_cast<uint32_t>(map_ids.size());
        with_maps.map_ids = reinterpret_cast<uint64_t>(map_ids.data());
        length = sizeof(with_maps);
        if (bpf_obj_get_info_by_fd(prog.get(), &with_maps, &length) != 0) {
            error =
                fmt::format("XDP program {}: cannot read its maps: {}", id, std::strerror(errno));
            return false;
        }
        map_ids.resize(std::min<size_t>(map_ids.size(), with_maps.nr_map_ids));
    }
    for (uint32_t map_id : map_ids) {
        const UniqueFd map(bpf_map_get_fd_by_id(map_id));
        if (!map) continue; // freed meanwhile
        bpf_map_info map_info{};
        length = sizeof(map_info);
        if (bpf_obj_get_info_by_fd(map.get(), &map_info, &length) != 0) continue;
        out.maps.push_back({map_info.name, map_id, map_info.type, map_info.key_size,
                            map_info.value_size, map_info.max_entries});
    }
    return true;
}

} // namespace

const MapInfo* AttachedProgram::map(std::string_view map_name) const {
    for (const MapInfo& m : maps)
        if (m.name == map_name) return &m;
    return nullptr;
}

bool attached_programs(unsigned ifindex, std::vector<AttachedProgram>& out, std::string& error) {
    out.clear();
    bpf_xdp_query_opts query{};
    query.sz = sizeof(query);
    if (int err = bpf_xdp_query(static_cast<int>(ifindex), 0, &query); err != 0) {
        error = fmt::format("cannot query XDP: {}", std::strerror(-err));
        return false;
    }
    const std::pair<uint32_t, uint32_t> modes[] = {{query.drv_prog_id, XDP_FLAGS_DRV_MODE},
                                                   {query.skb_prog_id, XDP_FLAGS_SKB_MODE},
                                                   {query.hw_prog_id, XDP_FLAGS_HW_MODE}};
    for (const auto& [id, mode] : modes) {
        if (id == 0) continue;
        AttachedProgram program;
        if (!inspect(id, mode, program, error)) return false;
        out.push_back(std::move(program));
    }
    return true;
}

bool is_vip_filter(const AttachedProgram& program) {
    return program.name == RC_XDP_PROGRAM_NAME && program.map(RC_XDP_MAP_XSKS) &&
           program.map(RC_XDP_MAP_VIP4) && program.map(RC_XDP_MAP_VIP6) &&
           program.map(RC_XDP_MAP_VERDICTS);
}

bool is_dpdk_default(const AttachedProgram& program) {
    return program.name == RC_XDP_DPDK_DEFAULT_PROGRAM_NAME && program.map(RC_XDP_MAP_XSKS);
}

} // namespace ringcast::xdp
