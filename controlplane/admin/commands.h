// The admin socket's commands, written once: the name, the one argument a command takes and what
// it does. ringcastd dispatches on this table (its handlers are keyed by these names) and answers
// `help` from it; ringcastctl makes a subcommand of each, with the same help text.
#pragma once

#include <span>
#include <string_view>

namespace ringcast::admin {

struct CommandSpec {
    const char* name;
    // The one string argument (sent as {"origin": ...} or positionally), nullptr for none.
    const char* argument;
    const char* argument_help;
    const char* help;
};

std::span<const CommandSpec> command_specs();
const CommandSpec* find_command(std::string_view name); // nullptr: not a command

} // namespace ringcast::admin
