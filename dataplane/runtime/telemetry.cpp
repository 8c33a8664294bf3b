#include "dataplane/runtime/telemetry.h"

#include <rte_telemetry.h>

#include <string>

namespace ringcast::runtime {
namespace {

const SharedState* g_state = nullptr; // telemetry callbacks take no user pointer

template <typename Fill>
int reply_dict(rte_tel_data* data, Fill fill) {
    if (!g_state) return -1;
    rte_tel_data_start_dict(data);
    fill(data, g_state->total());
    return 0;
}

int telemetry_stats(const char*, const char*, rte_tel_data* data) {
    return reply_dict(data, [](rte_tel_data* d, const stats::LcoreCounters& c) {
        for (size_t i = 0; i < stats::kCounterCount; ++i)
            rte_tel_data_add_dict_u64(d, std::string(stats::kCounterInfo[i].name).c_str(), c.counter[i]);
    });
}

int telemetry_drops(const char*, const char*, rte_tel_data* data) {
    return reply_dict(data, [](rte_tel_data* d, const stats::LcoreCounters& c) {
        for (size_t i = 0; i < stats::kDropReasonCount; ++i)
            rte_tel_data_add_dict_u64(d, std::string(stats::kDropReasonInfo[i].name).c_str(), c.drop[i]);
    });
}

int telemetry_rcodes(const char*, const char*, rte_tel_data* data) {
    return reply_dict(data, [](rte_tel_data* d, const stats::LcoreCounters& c) {
        for (size_t i = 0; i < stats::kRcodeSlots; ++i)
            rte_tel_data_add_dict_u64(d, std::string(stats::rcode_name(i)).c_str(), c.dns_rcode[i]);
    });
}

} // namespace

void register_telemetry(const SharedState& state) {
    g_state = &state;
    rte_telemetry_register_cmd("/ringcast/stats", telemetry_stats,
                               "Packet, ARP/ND, ICMP and DNS counters summed over lcores");
    rte_telemetry_register_cmd("/ringcast/drops", telemetry_drops,
                               "Dropped frames by reason, summed over lcores");
    rte_telemetry_register_cmd("/ringcast/rcodes", telemetry_rcodes,
                               "DNS responses sent by RCODE, summed over lcores");
}

} // namespace ringcast::runtime
