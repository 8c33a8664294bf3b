// The ringcastctl command table. Each command declares its own arguments on a CLI11 subcommand
// and hands back the function that runs it; run() only parses and dispatches. Admin commands
// spoken over ringcastd's Unix socket (status, stats, reload...) join the table the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <ostream>
#include <span>

namespace ringcast::ctl {

// Runs a parsed command, writing results to `out` and problems to `err`; returns the exit code.
using Handler = std::function<int(std::ostream& out, std::ostream& err)>;

struct Command {
    const char* name;
    const char* help;
    // Adds the command's options and positionals to `sub`; the returned handler reads them.
    Handler (*attach)(CLI::App& sub);
};

std::span<const Command> commands();

// The whole program: parse `argv`, run the chosen command. Usage errors exit with kExitUsage.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace ringcast::ctl
