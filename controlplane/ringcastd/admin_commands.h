// The commands of the admin socket, declared in one table (name, arguments, help, handler).
// `help` over the socket lists this table; ringcastctl has its own table for the CLI side.
#pragma once

#include "controlplane/admin/protocol.h"
#include "controlplane/ringcastd/admin_server.h"

#include <span>

namespace ringcast::daemon {

class Daemon;

struct CommandArgs {
    std::vector<std::string> values; // in the order of AdminCommand::args
    bool progress = false;           // the client asked for progress lines
};

struct AdminCommand {
    const char* name;
    std::vector<const char*> args; // required string arguments, by name
    const char* help;
    void (*handler)(Daemon& daemon, const CommandArgs& args, const Responder& responder);
};

std::span<const AdminCommand> admin_commands();

// Finds the command, checks its arguments and runs it; every failure is an error reply.
void dispatch_admin(Daemon& daemon, const admin::Request& request, const Responder& responder);

} // namespace ringcast::daemon
