#include "dataplane/runtime/telemetry.h"

#include "dataplane/stats/counter_sections.h"

#include <rte_telemetry.h>
#include <string>

namespace ringcast::runtime {
namespace {

const SharedState* g_state = nullptr; // telemetry callbacks take no user pointer

// "/ringcast/<section key>": that section's counters summed over lcores.
int telemetry_section(const char* cmd, const char*, rte_tel_data* data) {
    if (!g_state) return -1;
    const std::string_view key =
        std::string_view(cmd).substr(std::string_view("/ringcast/").size());
    for (const stats::CounterSection& section : stats::kCounterSections) {
        if (section.key != key) continue;
        const stats::LcoreCounters total = g_state->total();
        const uint64_t* values = section.values(total);
        rte_tel_data_start_dict(data);
        for (size_t i = 0; i < section.size; ++i)
            rte_tel_data_add_dict_u64(data, std::string(section.name(i)).c_str(), values[i]);
        return 0;
    }
    return -1;
}

} // namespace

void register_telemetry(const SharedState& state) {
    g_state = &state;
    for (const stats::CounterSection& section : stats::kCounterSections) {
        // DPDK keeps the pointers: the strings must live as long as the process.
        static std::string commands[stats::kCounterSectionCount];
        static std::string helps[stats::kCounterSectionCount];
        const size_t i = static_cast<size_t>(&section - stats::kCounterSections.data());
        commands[i] = "/ringcast/" + std::string(section.key);
        helps[i] = std::string(section.help) + ", summed over lcores";
        rte_telemetry_register_cmd(commands[i].c_str(), telemetry_section, helps[i].c_str());
    }
}

} // namespace ringcast::runtime
