// What XDP program is attached to an interface, and whether it is ringcast's: the dataplane
// looks up the VIP filter's maps through it, ringcastd decides what it may detach.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::xdp {

struct MapInfo {
    std::string name;
    uint32_t id = 0;
    uint32_t type = 0; // BPF_MAP_TYPE_*
    uint32_t key_size = 0;
    uint32_t value_size = 0;
    uint32_t max_entries = 0;
};

struct AttachedProgram {
    uint32_t id = 0;
    uint32_t mode = 0; // the XDP_FLAGS_*_MODE it is attached in (a detach must name it)
    std::string name;  // as the kernel keeps it: at most 15 characters
    std::vector<MapInfo> maps;

    const MapInfo* map(std::string_view map_name) const;
};

// The programs attached to `ifindex`, one per mode (native, generic, offloaded); empty when there
// are none. False with `error` set when the kernel cannot be asked.
bool attached_programs(unsigned ifindex, std::vector<AttachedProgram>& out, std::string& error);

// ringcast's VIP filter (dataplane/xdp/vip_filter.bpf.c): its name and the maps it owns.
bool is_vip_filter(const AttachedProgram& program);

// The program DPDK's af_xdp PMD loads when given no xdp_prog= (libxdp's xsk_def_prog).
bool is_dpdk_default(const AttachedProgram& program);

} // namespace ringcast::xdp
