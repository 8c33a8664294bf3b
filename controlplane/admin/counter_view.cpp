#include "controlplane/admin/counter_view.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>

namespace ringcast::admin {
namespace {

using nlohmann::json;
using stats::LcoreCounters;

using stats::CounterSection;
using stats::kCounterSections;

json section_json(const CounterSection& section, const LcoreCounters& c) {
    json out = json::object();
    const uint64_t* values = section.values(c);
    for (size_t i = 0; i < section.size; ++i)
        out[std::string(section.name(i))] = values[i];
    return out;
}

json counters_json(const LcoreCounters& c) {
    json out = json::object();
    for (const CounterSection& section : kCounterSections)
        out[std::string(section.key)] = section_json(section, c);
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
        for (const CounterSection& section : kCounterSections) {
            const auto group = entry.find(std::string(section.key));
            if (group == entry.end()) continue;
            if (!group->is_object()) {
                error = fmt::format("stats \"{}\" is not an object", section.key);
                return false;
            }
            uint64_t* values = section.mutable_values(sample.counters);
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
    for (const CounterSection& section : kCounterSections)
        for (size_t i = 0; i < section.size; ++i)
            name_width = std::max(name_width, section.name(i).size() + 2);
    constexpr size_t kColumn = 14;

    std::string out = fmt::format("{:<{}}", "", name_width);
    for (const LcoreSample& lcore : sample.lcores)
        out += fmt::format("{:>{}}", fmt::format("lcore {}", lcore.lcore), kColumn);
    out += fmt::format("{:>{}}\n", "total", kColumn);

    for (const CounterSection& section : kCounterSections) {
        const uint64_t* totals = section.values(total);
        const bool titled = !section.title.empty();
        const char* indent = titled ? "  " : "";
        bool any = false;
        if (titled) out += fmt::format("{}:\n", section.title);
        for (size_t i = 0; i < section.size; ++i) {
            // Plain counters are always listed; the long tails only when they counted something.
            if (titled && totals[i] == 0) continue;
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
    for (const CounterSection& section : kCounterSections) {
        const bool shared = !section.family.empty();
        if (shared) header(section.family, section.help);
        for (size_t i = 0; i < section.size; ++i) {
            const std::string family = shared ? std::string(section.family)
                                              : fmt::format("ringcast_{}_total", section.name(i));
            if (!shared) header(family, section.entry_help(i));
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
