#include "controlplane/admin/commands.h"

namespace ringcast::admin {
namespace {

constexpr CommandSpec kCommands[] = {
    {"help", nullptr, nullptr, "List the commands of this socket"},
    {"status", nullptr, nullptr,
     "Daemon version and uptime, PoP name, snapshot generation and age, dataplane health, pid, "
     "restarts and last exit, lcores, ports, last reload, health probes, BGP announce state"},
    {"stats", nullptr, nullptr,
     "Dataplane counters per lcore and in total: packets, DNS queries, responses by RCODE, "
     "drops by reason"},
    {"zones", nullptr, nullptr, "Zones being served: origin, SOA serial, records, names, file"},
    {"reload", nullptr, nullptr,
     "Re-read the configuration's zones and sites and swap in a new snapshot without dropping a "
     "query. Waits for the outcome: done once the dataplane serves it, or the file:line errors "
     "if it was rejected (the old data keeps being served)"},
    {"reload-zone", "origin", "Zone origin, e.g. example.net.",
     "Re-read one zone (the others stay as loaded) and swap in a new snapshot"},
    {"drain", nullptr, nullptr,
     "Drain this PoP: announce with the graceful-shutdown community 65535:0 (RFC 8326) and the "
     "drain prepends for drain_seconds, then withdraw. Persists across restarts until undrain"},
    {"undrain", nullptr, nullptr,
     "End a drain: the prefixes are announced again after the hold-down (if healthy)"},
    {"stop", nullptr, nullptr,
     "Stop the dataplane and ringcastd; replies once the dataplane has exited"},
};

} // namespace

std::span<const CommandSpec> command_specs() {
    return kCommands;
}

const CommandSpec* find_command(std::string_view name) {
    for (const CommandSpec& spec : kCommands)
        if (name == spec.name) return &spec;
    return nullptr;
}

} // namespace ringcast::admin
