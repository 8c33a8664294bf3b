#include "dataplane/stats/render.h"

namespace ringcast::stats {

std::string render_text(const LcoreCounters& counters) {
    std::string out;
    auto line = [&out](std::string_view prefix, std::string_view name, uint64_t value) {
        out.append(prefix).append(name).append(" ").append(std::to_string(value)).append("\n");
    };
    for (size_t i = 0; i < kCounterCount; ++i)
        line("", kCounterInfo[i].name, counters.counter[i]);
    for (size_t i = 0; i < kDropReasonCount; ++i)
        line("drop_", kDropReasonInfo[i].name, counters.drop[i]);
    for (size_t i = 0; i < kRcodeSlots; ++i)
        line("dns_rcode_", rcode_name(i), counters.dns_rcode[i]);
    return out;
}

} // namespace ringcast::stats
