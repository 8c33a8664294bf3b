#include "controlplane/ringcastd/admin_commands.h"

#include "controlplane/ringcastd/daemon.h"

#include <fmt/format.h>

namespace ringcast::daemon {
namespace {

using nlohmann::json;

json with_ok(json fields) {
    json reply = admin::ok_reply();
    for (auto& [key, value] : fields.items())
        reply[key] = value;
    return reply;
}

ReloadObserver observer_for(const Responder& responder, bool progress) {
    ReloadObserver observer;
    if (progress) observer.progress = [responder](const std::string& m) { responder.progress(m); };
    observer.done = [responder](const json& reply) { responder.reply(reply); };
    return observer;
}

void cmd_help(Daemon&, const CommandArgs&, const Responder& responder) {
    json commands = json::array();
    for (const AdminCommand& command : admin_commands()) {
        json args = json::array();
        for (const char* arg : command.args)
            args.push_back(arg);
        commands.push_back({{"name", command.name}, {"args", args}, {"help", command.help}});
    }
    responder.reply(with_ok({{"commands", commands}}));
}

void cmd_status(Daemon& daemon, const CommandArgs&, const Responder& responder) {
    responder.reply(with_ok(daemon.status()));
}

void cmd_zones(Daemon& daemon, const CommandArgs&, const Responder& responder) {
    responder.reply(with_ok(daemon.zones()));
}

void cmd_stats(Daemon& daemon, const CommandArgs&, const Responder& responder) {
    daemon.stats([responder](const json& reply) { responder.reply(reply); });
}

void cmd_reload(Daemon& daemon, const CommandArgs& args, const Responder& responder) {
    daemon.reload("", observer_for(responder, args.progress));
}

void cmd_reload_zone(Daemon& daemon, const CommandArgs& args, const Responder& responder) {
    daemon.reload(args.values.at(0), observer_for(responder, args.progress));
}

void cmd_stop(Daemon& daemon, const CommandArgs&, const Responder& responder) {
    daemon.stop(responder);
}

void cmd_drain(Daemon& daemon, const CommandArgs&, const Responder& responder) {
    responder.reply(daemon.set_drain(true));
}

void cmd_undrain(Daemon& daemon, const CommandArgs&, const Responder& responder) {
    responder.reply(daemon.set_drain(false));
}

const AdminCommand kCommands[] = {
    {"help", {}, "List the commands of this socket", cmd_help},
    {"status",
     {},
     "Daemon version and uptime, PoP name, snapshot generation and age, dataplane health, "
     "ports, lcores, restarts, last reload",
     cmd_status},
    {"stats", {}, "The dataplane's counters per lcore and in total", cmd_stats},
    {"zones", {}, "The zones being served: origin, serial, records, names, file", cmd_zones},
    {"reload",
     {},
     "Re-read the configuration's zones, compile and swap in a new snapshot; replies when the "
     "dataplane serves it, or with the errors (the old data keeps being served)",
     cmd_reload},
    {"reload-zone", {"origin"}, "Re-read one zone and swap in a new snapshot", cmd_reload_zone},
    {"drain",
     {},
     "Drain this PoP: re-announce with the graceful-shutdown community (RFC 8326) and the "
     "drain prepends for drain_seconds, then withdraw; persists across restarts",
     cmd_drain},
    {"undrain", {}, "End a drain: announce again after the hold-down (if healthy)", cmd_undrain},
    {"stop",
     {},
     "Stop the dataplane and ringcastd; replies once the dataplane has exited",
     cmd_stop},
};

} // namespace

std::span<const AdminCommand> admin_commands() {
    return kCommands;
}

void dispatch_admin(Daemon& daemon, const admin::Request& request, const Responder& responder) {
    const AdminCommand* command = nullptr;
    for (const AdminCommand& candidate : kCommands)
        if (request.cmd == candidate.name) command = &candidate;
    if (!command)
        return responder.reply(admin::error_reply(
            admin::code::kUnknownCommand,
            fmt::format("unknown command \"{}\" (send \"help\" for the list)", request.cmd)));

    CommandArgs args;
    const size_t wanted = command->args.size();
    if (request.positional.size() > wanted)
        return responder.reply(
            admin::error_reply(admin::code::kBadRequest,
                               fmt::format("{} takes {} argument(s)", command->name, wanted)));
    for (size_t i = 0; i < wanted; ++i) {
        const char* name = command->args[i];
        if (i < request.positional.size()) {
            args.values.push_back(request.positional[i]);
            continue;
        }
        const auto value = request.args.find(name);
        if (value == request.args.end() || !value->is_string())
            return responder.reply(admin::error_reply(
                admin::code::kBadRequest,
                fmt::format("{} needs the string argument \"{}\"", command->name, name)));
        args.values.push_back(value->get<std::string>());
    }
    const auto progress = request.args.find("progress");
    args.progress =
        progress != request.args.end() && progress->is_boolean() && progress->get<bool>();
    command->handler(daemon, args, responder);
}

} // namespace ringcast::daemon
