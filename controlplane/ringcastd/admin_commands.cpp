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
    for (const admin::CommandSpec& spec : admin::command_specs()) {
        json args = json::array();
        if (spec.argument) args.push_back(spec.argument);
        commands.push_back({{"name", spec.name}, {"args", args}, {"help", spec.help}});
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
    {"help", cmd_help},   {"status", cmd_status},   {"stats", cmd_stats},
    {"zones", cmd_zones}, {"reload", cmd_reload},   {"reload-zone", cmd_reload_zone},
    {"drain", cmd_drain}, {"undrain", cmd_undrain}, {"stop", cmd_stop},
};

} // namespace

std::span<const AdminCommand> admin_commands() {
    return kCommands;
}

void dispatch_admin(Daemon& daemon, const admin::Request& request, const Responder& responder) {
    const admin::CommandSpec* spec = admin::find_command(request.cmd);
    const AdminCommand* command = nullptr;
    for (const AdminCommand& candidate : kCommands)
        if (request.cmd == candidate.name) command = &candidate;
    if (!spec || !command)
        return responder.reply(admin::error_reply(
            admin::code::kUnknownCommand,
            fmt::format("unknown command \"{}\" (send \"help\" for the list)", request.cmd)));

    CommandArgs args;
    const size_t wanted = spec->argument ? 1 : 0;
    if (request.positional.size() > wanted)
        return responder.reply(admin::error_reply(
            admin::code::kBadRequest, fmt::format("{} takes {} argument(s)", spec->name, wanted)));
    if (spec->argument) {
        if (!request.positional.empty()) {
            args.values.push_back(request.positional[0]);
        } else {
            const auto value = request.args.find(spec->argument);
            if (value == request.args.end() || !value->is_string())
                return responder.reply(admin::error_reply(
                    admin::code::kBadRequest, fmt::format("{} needs the string argument \"{}\"",
                                                          spec->name, spec->argument)));
            args.values.push_back(value->get<std::string>());
        }
    }
    const auto progress = request.args.find("progress");
    args.progress =
        progress != request.args.end() && progress->is_boolean() && progress->get<bool>();
    command->handler(daemon, args, responder);
}

} // namespace ringcast::daemon
