// ringcastctl's contract with scripts: exit codes, help from the command table, and --json.
#include "controlplane/admin/commands.h"
#include "controlplane/ringcastctl/commands.h"
#include "controlplane/ringcastctl/render.h"
#include "controlplane/ringcastd/admin_commands.h"
#include "tests/unit/support/ringcastctl_run.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace ringcast::ctl;

using ringcast::ctl::test::ctl;
using ringcast::ctl::test::Run;

TEST_CASE("ringcastctl: no daemon at the socket is exit 3, for every admin command") {
    for (const char* command : {"status", "stats", "zones", "reload", "drain", "undrain", "stop"}) {
        INFO(command);
        const Run r = ctl({"--socket", "/nonexistent/admin.sock", command});
        CHECK(r.code == kExitUnreachable);
        CHECK(r.err.find("cannot reach ringcastd at /nonexistent/admin.sock") != std::string::npos);
    }
    const Run after = ctl({"reload-zone", "example.net.", "--socket", "/nonexistent/a.sock"});
    CHECK(after.code == kExitUnreachable);
}

TEST_CASE("ringcastctl: usage errors are exit 2") {
    CHECK(ctl({"reload-zone"}).code == kExitUsage);
    CHECK(ctl({"status", "extra"}).code == kExitUsage);
    CHECK(ctl({"status", "--timeout", "-1"}).code == kExitUsage);
}

TEST_CASE("ringcastctl: help lists every command of the table and the exit codes") {
    const Run help = ctl({"--help"});
    CHECK(help.code == kExitOk);
    for (const Command& command : commands())
        CHECK(help.out.find(command.name) != std::string::npos);
    CHECK(help.out.find("3  ringcastd could not be reached") != std::string::npos);
    const Run sub = ctl({"stats", "--help"});
    CHECK(sub.code == kExitOk);
    CHECK(sub.out.find("--json") != std::string::npos);
}

TEST_CASE("one admin command table: ringcastd handles and ringcastctl offers each command") {
    const auto handled = [](const char* name) {
        for (const auto& command : ringcast::daemon::admin_commands())
            if (std::string_view(command.name) == name) return true;
        return false;
    };
    const auto offered = [](const char* name) {
        for (const Command& command : commands())
            if (std::string_view(command.name) == name) return !command.attach;
        return false;
    };
    for (const auto& spec : ringcast::admin::command_specs()) {
        INFO(spec.name);
        CHECK(handled(spec.name));
        // `help` is the socket's own listing; ringcastctl's --help lists the same table.
        if (std::string_view(spec.name) != "help") CHECK(offered(spec.name));
    }
    for (const auto& command : ringcast::daemon::admin_commands())
        CHECK(ringcast::admin::find_command(command.name) != nullptr);
    for (const Command& command : commands())
        if (!command.attach) CHECK(ringcast::admin::find_command(command.name) != nullptr);
    // The help text is the spec's, on both sides.
    const Run help = ctl({"reload-zone", "--help"});
    CHECK(help.out.find(ringcast::admin::find_command("reload-zone")->help) != std::string::npos);
    CHECK(help.out.find("ORIGIN") != std::string::npos);
}

TEST_CASE("ringcastctl: durations for humans") {
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(67) == "1m 7s");
    CHECK(format_duration(7500) == "2h 5m");
    CHECK(format_duration(3 * 86400 + 4 * 3600) == "3d 4h");
}

TEST_CASE("ringcastctl: the BGP lines of status") {
    std::ostringstream none;
    render_bgp(nlohmann::json{{"enabled", false}}, none);
    CHECK(none.str() == "bgp        not configured\n");

    nlohmann::json bgp{{"enabled", true}, {"sidecar", "bird"},      {"state", "draining"},
                       {"drain", true},   {"protocol", "upstream"}, {"drain_remaining_ms", 1200}};
    bgp["session"] = {{"state", "established"}, {"info", "Established"}};
    bgp["health"] = {{"healthy", false}, {"reason", "every probe fails"}};
    bgp["guard"] = {{"enabled", true}, {"active", true}, {"reason", "every probe fails"}};
    bgp["last_apply"] = {{"ok", false}, {"error", "BIRD refused the configuration (code 8002)"}};
    bgp["prefixes"] =
        nlohmann::json::array({{{"prefix", "203.0.113.0/24"}, {"state", "draining"}}});
    std::ostringstream out;
    render_bgp(bgp, out);
    const std::string text = out.str();
    CHECK(text.find("bgp        draining, withdrawing in 1200 ms via bird; drain ON") !=
          std::string::npos);
    CHECK(text.find("session upstream established (Established)") != std::string::npos);
    CHECK(text.find("health fails: every probe fails") != std::string::npos);
    CHECK(text.find("GUARD: staying announced, the failure looks global: every probe fails") !=
          std::string::npos);
    CHECK(text.find("last apply FAILED: BIRD refused the configuration (code 8002)") !=
          std::string::npos);
    CHECK(text.find("prefix     203.0.113.0/24           draining") != std::string::npos);
}

TEST_CASE("ringcastctl: status shows whether the exception TAP got its addresses") {
    nlohmann::json reply{{"dataplane",
                          {{"state", "running"},
                           {"restarts", 1},
                           {"exception_addresses",
                            {{"interface", "rc-exc0"},
                             {"addresses", {"198.51.100.2/24", "2001:db8:b::2/64"}},
                             {"state", "failed"},
                             {"error", "rc-exc0: No such device"}}}}}};
    std::ostringstream failed;
    render_status(reply, failed);
    CHECK(failed.str().find("exception TAP rc-exc0: 198.51.100.2/24 2001:db8:b::2/64 (FAILED: "
                            "rc-exc0: No such device)") != std::string::npos);
    reply["dataplane"]["exception_addresses"].erase("error");
    reply["dataplane"]["exception_addresses"]["state"] = "assigned";
    std::ostringstream assigned;
    render_status(reply, assigned);
    CHECK(assigned.str().find("exception TAP rc-exc0: 198.51.100.2/24 2001:db8:b::2/64 "
                              "(assigned)") != std::string::npos);
}
