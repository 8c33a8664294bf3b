#include "controlplane/admin/counter_view.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>

namespace ringcast::admin {
namespace {

using nlohmann::json;
using stats::LcoreCounters;

// One group of counters in counters.h. `family` empty: every entry is its own Prometheus metric
// (ringcast_<name>_total) with its own help; otherwise all entries share the family and are told
// apart by `label`.
struct Section {
    const char* key;   // JSON object name
    const char* title; // heading in the text table; nullptr: no heading
    const char* family;
    const char* label;
    const char* family_help;
    size_t size;
    std::string_view (*name)(size_t);
    std::string_view (*help)(size_t);
    const uint64_t* (*values)(const LcoreCounters&);
};

const Section kSections[] = {
    {"counters", nullptr, "", "", "", stats::kCounterCount,
     [](size_t i) { return stats::kCounterInfo[i].name; },
     [](size_t i) { return stats::kCounterInfo[i].help; },
     [](const LcoreCounters& c) { return c.counter.data(); }},
    {"drops", "drops by reason", "ringcast_drops_total", "reason",
     "Frames dropped without an answer, by reason (each reason is described in "
     "dataplane/stats/counters.h and by `ringcastctl stats --json`)",
     stats::kDropReasonCount, [](size_t i) { return stats::kDropReasonInfo[i].name; },
     [](size_t i) { return stats::kDropReasonInfo[i].help; },
     [](const LcoreCounters& c) { return c.drop.data(); }},
    {"rcodes", "DNS responses by RCODE", "ringcast_dns_responses_total", "rcode",
     "DNS responses sent, by response code (extended RCODEs included)", stats::kRcodeSlots,
     [](size_t i) { return stats::rcode_name(i); },
     [](size_t) { return std::string_view("DNS responses sent with this RCODE"); },
     [](const LcoreCounters& c) { return c.dns_rcode.data(); }},
};

uint64_t* mutable_values(const Section& section, LcoreCounters& c) {
    return const_cast<uint64_t*>(section.values(c));
}

json section_json(const Section& section, const LcoreCounters& c) {
    json out = json::object();
    const uint64_t* values = section.values(c);
    for (size_t i = 0; i < section.size; ++i)
        out[std::string(section.name(i))] = values[i];
    return out;
}

json counters_json(const LcoreCounters& c) {
    json out = json::object();
    for (const Section& section : kSections)
        out[section.key] = section_json(section, c);
    return out;
}

} // namespace

LcoreCounters CounterSample::total() const {
    LcoreCounters sum;
    for (const LcoreSample& lcore : lcores)
        sum += lcore.counters;
    return sum;
}

bool counters_from_json(const json& reply, CounterSample& out, std::string& error) {
    out = CounterSample{};
    const auto lcores = reply.find("lcores");
    if (lcores == reply.end() || !lcores->is_array()) {
        error = "stats without an \"lcores\" array";
        return false;
    }
    for (const json& entry : *lcores) {
        if (!entry.is_object() || !entry.contains("lcore") ||
            !entry["lcore"].is_number_unsigned()) {
            error = "stats entry without an \"lcore\" number";
            return false;
        }
        LcoreSample& sample = out.lcores.emplace_back();
        sample.lcore = entry["lcore"].get<unsigned>();
        for (const Section& section : kSections) {
            const auto group = entry.find(section.key);
            if (group == entry.end()) continue;
            if (!group->is_object()) {
                error = fmt::format("stats \"{}\" is not an object", section.key);
                return false;
            }
            uint64_t* values = mutable_values(section, sample.counters);
            for (size_t i = 0; i < section.size; ++i) {
                const auto value = group->find(std::string(section.name(i)));
                if (value != group->end() && value->is_number_unsigned())
                    values[i] = value->get<uint64_t>();
            }
        }
    }
    std::sort(out.lcores.begin(), out.lcores.end(),
              [](const LcoreSample& a, const LcoreSample& b) { return a.lcore < b.lcore; });
    return true;
}

json counters_to_json(const CounterSample& sample) {
    json lcores = json::array();
    for (const LcoreSample& lcore : sample.lcores) {
        json entry = counters_json(lcore.counters);
        entry["lcore"] = lcore.lcore;
        lcores.push_back(std::move(entry));
    }
    return json{{"lcores", std::move(lcores)}, {"total", counters_json(sample.total())}};
}

std::string render_counters_text(const CounterSample& sample) {
    const LcoreCounters total = sample.total();
    size_t name_width = 0;
    for (const Section& section : kSections)
        for (size_t i = 0; i < section.size; ++i)
            name_width = std::max(name_width, section.name(i).size() + 2);
    constexpr size_t kColumn = 14;

    std::string out = fmt::format("{:<{}}", "", name_width);
    for (const LcoreSample& lcore : sample.lcores)
        out += fmt::format("{:>{}}", fmt::format("lcore {}", lcore.lcore), kColumn);
    out += fmt::format("{:>{}}\n", "total", kColumn);

    for (const Section& section : kSections) {
        const uint64_t* totals = section.values(total);
        const char* indent = section.title ? "  " : "";
        bool any = false;
        if (section.title) out += fmt::format("{}:\n", section.title);
        for (size_t i = 0; i < section.size; ++i) {
            // Plain counters are always listed; the long tails only when they counted something.
            if (section.title && totals[i] == 0) continue;
            any = true;
            out += fmt::format("{:<{}}", fmt::format("{}{}", indent, section.name(i)), name_width);
            for (const LcoreSample& lcore : sample.lcores)
                out += fmt::format("{:>{}}", section.values(lcore.counters)[i], kColumn);
            out += fmt::format("{:>{}}\n", totals[i], kColumn);
        }
        if (!any) out += "  (none)\n";
    }
    return out;
}

std::string render_counters_prometheus(const CounterSample& sample) {
    std::string out;
    auto header = [&out](std::string_view family, std::string_view help) {
        out += fmt::format("# HELP {} {}\n# TYPE {} counter\n", family, help, family);
    };
    for (const Section& section : kSections) {
        const bool shared = section.family[0] != '\0';
        if (shared) header(section.family, section.family_help);
        for (size_t i = 0; i < section.size; ++i) {
            const std::string family =
                shared ? section.family : fmt::format("ringcast_{}_total", section.name(i));
            if (!shared) header(family, section.help(i));
            const std::string label =
                shared ? fmt::format("{}=\"{}\",", section.label, section.name(i)) : "";
            for (const LcoreSample& lcore : sample.lcores)
                out += fmt::format("{}{{{}lcore=\"{}\"}} {}\n", family, label, lcore.lcore,
                                   section.values(lcore.counters)[i]);
        }
    }
    return out;
}

} // namespace ringcast::admin
