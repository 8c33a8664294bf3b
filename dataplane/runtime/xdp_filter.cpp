#include "dataplane/runtime/xdp_filter.h"

#include "dataplane/xdp/attached_program.h"
#include "dataplane/xdp/vip_filter_abi.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <linux/bpf.h>
#include <rte_ethdev.h>
#include <string_view>

namespace ringcast::runtime {
namespace {

static_assert(net::kMaxVipsPerFamily <= RC_XDP_MAX_VIPS,
              "the XDP filter's VIP maps must hold every VIP the dataplane serves");
static_assert(sizeof(rc_xdp_vip6) == sizeof(net::Ipv6Address));

constexpr std::string_view kAfXdpDriver = "net_af_xdp";

// Opens map `name` of `program` after checking it has the layout this dataplane writes: an
// object built from another version of vip_filter_abi.h is refused, not misread.
bool open_map(const xdp::AttachedProgram& program, const char* name, uint32_t type,
              uint32_t key_size, uint32_t value_size, UniqueFd& out, std::string& error) {
    const xdp::MapInfo* map = program.map(name);
    if (!map || map->type != type || map->key_size != key_size || map->value_size != value_size) {
        error = fmt::format("XDP program {} ({}): map {} missing or not the layout of "
                            "dataplane/xdp/vip_filter_abi.h (rebuild the object)",
                            program.id, program.name, name);
        return false;
    }
    out.reset(bpf_map_get_fd_by_id(map->id));
    if (!out) {
        error = fmt::format("XDP map {} (id {}): {}", name, map->id, std::strerror(errno));
        return false;
    }
    return true;
}

// Writes the VIPs and removes what is not a VIP: a filter left attached by a dataplane with an
// older VIP list must not keep sending its addresses here.
template <typename Key, typename Keys>
bool fill_vips(int map_fd, const char* name, const Keys& keys, size_t count, std::string& error) {
    std::vector<Key> stale;
    Key key{}, next{};
    const void* previous = nullptr;
    while (bpf_map_get_next_key(map_fd, previous, &next) == 0) {
        bool wanted = false;
        for (size_t i = 0; i < count; ++i)
            wanted = wanted || std::memcmp(&keys[i], &next, sizeof(Key)) == 0;
        if (!wanted) stale.push_back(next);
        key = next;
        previous = &key;
    }
    for (const Key& old : stale)
        bpf_map_delete_elem(map_fd, &old);
    const uint8_t present = RC_XDP_VIP_PRESENT;
    for (size_t i = 0; i < count; ++i) {
        if (bpf_map_update_elem(map_fd, &keys[i], &present, BPF_ANY) != 0) {
            error = fmt::format("XDP map {}: cannot add VIP {}: {}", name, i, std::strerror(errno));
            return false;
        }
    }
    return true;
}

} // namespace

bool XdpFilter::attach(const std::vector<Port>& ports, const net::VipSet& vips,
                       std::string& error) {
    for (const Port& port : ports) {
        rte_eth_dev_info info{};
        if (rte_eth_dev_info_get(port.id, &info) != 0 || info.driver_name == nullptr ||
            kAfXdpDriver != info.driver_name || info.if_index == 0)
            continue;
        std::vector<xdp::AttachedProgram> programs;
        if (!xdp::attached_programs(info.if_index, programs, error)) {
            error = fmt::format("port {}: {}", port.name, error);
            return false;
        }
        const xdp::AttachedProgram* filter = nullptr;
        for (const auto& program : programs) {
            if (xdp::is_vip_filter(program)) {
                filter = &program;
            } else {
                // DPDK attached it (it attaches only where no program is): its own program,
                // or libxdp's dispatcher running it.
                fmt::print("ringcast-dataplane: port {}: XDP program {} (id {}) is not the VIP "
                           "filter: every frame on its queues comes here, none reaches the "
                           "kernel ([dataplane] xdp_vip_filter = false)\n",
                           port.name, program.name, program.id);
            }
        }
        if (!filter) continue;
        UniqueFd vip4, vip6, verdicts;
        if (!open_map(*filter, RC_XDP_MAP_VIP4, BPF_MAP_TYPE_HASH, sizeof(uint32_t),
                      sizeof(uint8_t), vip4, error) ||
            !open_map(*filter, RC_XDP_MAP_VIP6, BPF_MAP_TYPE_HASH, sizeof(rc_xdp_vip6),
                      sizeof(uint8_t), vip6, error) ||
            !open_map(*filter, RC_XDP_MAP_VERDICTS, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(uint32_t),
                      sizeof(uint64_t), verdicts, error))
            return false;
        if (!fill_vips<uint32_t>(vip4.get(), RC_XDP_MAP_VIP4, vips.v4, vips.v4_count, error) ||
            !fill_vips<rc_xdp_vip6>(vip6.get(), RC_XDP_MAP_VIP6, vips.v6, vips.v6_count, error)) {
            error = fmt::format("port {}: {}", port.name, error);
            return false;
        }
        fmt::print("ringcast-dataplane: port {}: XDP VIP filter (program id {}) sends {} IPv4 and "
                   "{} IPv6 VIP(s) here, everything else to the kernel\n",
                   port.name, filter->id, vips.v4_count, vips.v6_count);
        verdict_maps_.push_back(std::move(verdicts));
    }
    return true;
}

std::array<uint64_t, stats::kXdpVerdictCount> XdpFilter::read_verdicts() const {
    std::array<uint64_t, stats::kXdpVerdictCount> sum{};
    if (verdict_maps_.empty()) return sum;
    // A per-CPU map's lookup fills one value per possible CPU.
    const int cpus = libbpf_num_possible_cpus();
    if (cpus <= 0) return sum;
    std::vector<uint64_t> per_cpu(static_cast<size_t>(cpus));
    for (const UniqueFd& map : verdict_maps_) {
        for (uint32_t verdict = 0; verdict < stats::kXdpVerdictCount; ++verdict) {
            if (bpf_map_lookup_elem(map.get(), &verdict, per_cpu.data()) != 0) continue;
            for (uint64_t n : per_cpu)
                sum[verdict] += n;
        }
    }
    return sum;
}

} // namespace ringcast::runtime
