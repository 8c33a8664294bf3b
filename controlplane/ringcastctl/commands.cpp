#include "controlplane/ringcastctl/commands.h"

#include "controlplane/admin/commands.h"
#include "controlplane/config/config.h"
#include "controlplane/ringcastctl/admin_client.h"
#include "controlplane/ringcastctl/check_zone.h"
#include "controlplane/ringcastctl/render.h"

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ringcast::ctl {

namespace {

constexpr const char* kDefaultSocket = "/run/ringcast/admin.sock";
constexpr const char* kSocketEnvironment = "RINGCAST_ADMIN_SOCKET";

Handler attach_check_zone(CLI::App& sub, const Globals&) {
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
    {"status", nullptr, nullptr, render_status},
    {"stats", nullptr, nullptr, render_stats},
    {"zones", nullptr, nullptr, render_zones},
    {"reload", nullptr, nullptr, render_reload},
    {"reload-zone", nullptr, nullptr, render_reload},
    {"drain", nullptr, nullptr, render_drain},
    {"undrain", nullptr, nullptr, render_drain},
    {"stop", nullptr, nullptr, render_stop},
    {"check-zone",
     "Check a zone file as ringcastd would load it (like kzonecheck); local, no daemon needed",
     attach_check_zone, nullptr},
};

// The CLI's name for an argument: its request key in capitals ("origin" -> "ORIGIN").
std::string argument_name(const char* key) {
    std::string name = key;
    for (char& c : name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
}

// An admin command: one request, its reply printed for humans or as JSON.
Handler attach_admin(const Command& command, const admin::CommandSpec& spec, CLI::App& sub,
                     const Globals& globals, const RunOptions& options) {
    struct Args {
        std::string value;
        bool json = false;
    };
    auto args = std::make_shared<Args>();
    if (spec.argument)
        sub.add_option(argument_name(spec.argument), args->value, spec.argument_help)->required();
    sub.add_flag("--json", args->json, "Print ringcastd's reply as JSON instead of a table");
    return [&command, &spec, &globals, args, options](std::ostream& out, std::ostream& err) {
        nlohmann::json request{{"cmd", command.name}};
        if (spec.argument) request[spec.argument] = args->value;
        if (options.progress_terminal) request["progress"] = true;
        const auto timeout =
            std::chrono::milliseconds(static_cast<int64_t>(globals.timeout_seconds * 1000));
        const AdminResult result =
            admin_call(globals.socket_path(), request, timeout,
                       [&err](const std::string& m) { err << "… " << m << std::endl; });
        if (!result.reached) {
            err << "ringcastctl: " << result.error << '\n';
            return kExitUnreachable;
        }
        const bool ok = result.reply.value("ok", false);
        if (args->json) {
            out << result.reply.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << '\n';
        } else if (ok) {
            command.render(result.reply, out);
        } else {
            render_error(result.reply, err);
        }
        return ok ? kExitOk : kExitFailure;
    };
}

constexpr const char* kFooter = R"(
The admin commands talk to ringcastd's Unix socket: --socket, else the [admin] socket of
--config, else $RINGCAST_ADMIN_SOCKET, else /run/ringcast/admin.sock.

Exit codes (every command):
  0  done
  1  ringcastd (or check-zone) said no: reload rejected, unknown zone, dataplane down...
  2  usage error
  3  ringcastd could not be reached: no socket, no reply within --timeout, connection lost)";

} // namespace

std::string Globals::socket_path() const {
    if (!socket.empty()) return socket;
    if (!config.empty()) {
        config::Config parsed;
        std::vector<std::string> errors;
        // A config with zone problems still names its socket; only the [admin] key matters here.
        config::load_config(config, parsed, errors);
        if (!parsed.admin.socket.empty()) return parsed.admin.socket;
    }
    if (const char* env = std::getenv(kSocketEnvironment); env && *env) return env;
    return kDefaultSocket;
}

std::span<const Command> commands() {
    return kCommands;
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
        RunOptions options) {
    CLI::App app{"ringcastctl: control and inspect a ringcast PoP", "ringcastctl"};
    app.set_version_flag("--version", RINGCAST_VERSION);
    app.require_subcommand(1);
    app.fallthrough(); // global options may also follow the command name
    app.footer(kFooter);

    Globals globals;
    app.add_option("-s,--socket", globals.socket, "ringcastd's admin socket");
    app.add_option("-c,--config", globals.config, "ringcastd's configuration (for its socket)");
    app.add_option("-t,--timeout", globals.timeout_seconds,
                   "Seconds to wait for a reply (default 300)")
        ->check(CLI::PositiveNumber);

    std::vector<std::pair<CLI::App*, Handler>> handlers;
    for (const Command& command : commands()) {
        if (command.attach) {
            CLI::App* sub = app.add_subcommand(command.name, command.local_help);
            handlers.emplace_back(sub, command.attach(*sub, globals));
            continue;
        }
        const admin::CommandSpec* spec = admin::find_command(command.name);
        if (!spec) continue; // a table mismatch: the unit test names it
        CLI::App* sub = app.add_subcommand(command.name, spec->help);
        handlers.emplace_back(sub, attach_admin(command, *spec, *sub, globals, options));
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
