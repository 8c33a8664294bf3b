#include "controlplane/ringcastctl/commands.h"

#include "controlplane/ringcastctl/check_zone.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ringcast::ctl {

namespace {

Handler attach_check_zone(CLI::App& sub) {
    struct Args {
        std::string file;
        std::string origin;
    };
    auto args = std::make_shared<Args>();
    sub.add_option("FILE", args->file, "Master file (RFC 1035 format)")->required();
    sub.add_option("ORIGIN", args->origin, "Zone origin, e.g. example.net.")->required();
    return [args](std::ostream& out, std::ostream& err) {
        return check_zone(args->file, args->origin, out, err);
    };
}

const Command kCommands[] = {
    {"check-zone", "Check a zone file as ringcastd would load it (like kzonecheck)",
     attach_check_zone},
};

} // namespace

std::span<const Command> commands() {
    return kCommands;
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"ringcastctl: control and inspect a ringcast PoP", "ringcastctl"};
    app.set_version_flag("--version", RINGCAST_VERSION);
    app.require_subcommand(1);

    std::vector<std::pair<CLI::App*, Handler>> handlers;
    for (const Command& command : commands()) {
        CLI::App* sub = app.add_subcommand(command.name, command.help);
        handlers.emplace_back(sub, command.attach(*sub));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version arrive here too, with exit code 0.
        return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
    }
    for (auto& [sub, handler] : handlers)
        if (sub->parsed()) return handler(out, err);
    return kExitUsage; // not reached: require_subcommand(1) makes parse() throw
}

} // namespace ringcast::ctl
