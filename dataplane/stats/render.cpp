#include "dataplane/stats/render.h"

#include "dataplane/stats/counter_sections.h"

namespace ringcast::stats {

std::string render_text(const LcoreCounters& counters) {
    std::string out;
    for (const CounterSection& section : kCounterSections) {
        const uint64_t* values = section.values(counters);
        for (size_t i = 0; i < section.size; ++i)
            out.append(section.text_prefix)
                .append(section.name(i))
                .append(" ")
                .append(std::to_string(values[i]))
                .append("\n");
    }
    return out;
}

} // namespace ringcast::stats
