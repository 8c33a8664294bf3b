// The ringcastctl command table. Local commands (check-zone) declare their own help and arguments
// and run in-process; admin commands take their argument and help from admin::command_specs()
// (the table ringcastd dispatches on), are sent to ringcastd's socket, and their reply is
// printed for humans (render) or as JSON (--json).
// run() only builds the CLI from the table, parses and dispatches.
#pragma once

#include "controlplane/ringcastctl/exit_codes.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <ostream>
#include <span>

namespace ringcast::ctl {

// Runs a parsed command, writing results to `out` and problems to `err`; returns the exit code.
using Handler = std::function<int(std::ostream& out, std::ostream& err)>;

// Options given before (or after) the command name.
struct Globals {
    std::string socket; // --socket
    std::string config; // --config: the socket named in its [admin] section
    double timeout_seconds = 300;
    std::string
    socket_path() const; // --socket, else --config, else $RINGCAST_ADMIN_SOCKET, else the default
};

struct Command {
    const char* name;
    // Local command: its help, and what adds its options to `sub` and hands back the function
    // that runs it.
    const char* local_help;
    Handler (*attach)(CLI::App& sub, const Globals& globals);
    // Admin command (an admin::command_specs() name): its human output.
    void (*render)(const nlohmann::json& reply, std::ostream& out);
};

std::span<const Command> commands();

struct RunOptions {
    bool progress_terminal = false; // stderr is a terminal: show reload progress there
};

// The whole program: parse `argv`, run the chosen command. Usage errors exit with kExitUsage.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        RunOptions options = {});

} // namespace ringcast::ctl
