// ringcastd's handler for each admin command. The commands themselves (names, arguments, help)
// are admin::command_specs(), shared with ringcastctl; `help` over the socket lists them.
#pragma once

#include "controlplane/admin/commands.h"
#include "controlplane/admin/protocol.h"
#include "controlplane/ringcastd/admin_server.h"

#include <span>

namespace ringcast::daemon {

class Daemon;

struct CommandArgs {
    std::vector<std::string> values; // the spec's argument, when it has one
    bool progress = false;           // the client asked for progress lines
};

struct AdminCommand {
    const char* name; // an admin::command_specs() name
    void (*handler)(Daemon& daemon, const CommandArgs& args, const Responder& responder);
};

std::span<const AdminCommand> admin_commands();

// Finds the command, checks its arguments and runs it; every failure is an error reply.
void dispatch_admin(Daemon& daemon, const admin::Request& request, const Responder& responder);

} // namespace ringcast::daemon
