// ringcastd's small pure parts: configuration keys, restart backoff, the AF_XDP interfaces it may
// touch, HTTP request heads, its own metrics.
#include "controlplane/config/config.h"
#include "controlplane/ringcastd/catch_up.h"
#include "controlplane/ringcastd/daemon_metrics.h"
#include "controlplane/ringcastd/dataplane_process.h"
#include "controlplane/ringcastd/interface_addresses.h"
#include "controlplane/ringcastd/metrics_server.h"
#include "controlplane/ringcastd/reload_tally.h"
#include "controlplane/ringcastd/restart_policy.h"
#include "controlplane/ringcastd/xdp_detach.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/socket.h>

using namespace ringcast;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct TempConfig {
    fs::path dir;
    // `dataplane`: more [dataplane] keys, `extra`: more sections after the zone.
    explicit TempConfig(const std::string& extra, const std::string& dataplane = "",
                        const std::string& ports = R"(["net_af_xdp0,iface=srv0"])") {
        char pattern[] = "/tmp/ringcast-config-test.XXXXXX";
        dir = mkdtemp(pattern);
        std::ofstream(dir / "ringcast.toml") << R"([pop]
name = "pop-t"
[paths]
runtime_dir = "run"
[dataplane]
ports = )" << ports << R"(
vips = ["203.0.113.53"]
)" << dataplane << R"(
[[zone]]
origin = "example.net."
file = "example.net.zone"
)" << extra;
    }
    ~TempConfig() { fs::remove_all(dir); }
    bool load(config::Config& out, std::vector<std::string>& errors) const {
        return config::load_config((dir / "ringcast.toml").string(), out, errors);
    }
};

} // namespace

TEST_CASE(
    "config: [admin] socket defaults to <runtime_dir>/admin.sock; no [metrics], no endpoint") {
    TempConfig t("");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    CHECK(c.admin.socket == (t.dir / "run" / "admin.sock").string());
    CHECK_FALSE(c.metrics.enabled);
}

TEST_CASE("config: text in memory loads as the same file would, paths resolved beside it") {
    TempConfig t("[metrics]\nlisten = \"[::1]:9253\"\n");
    const fs::path path = t.dir / "ringcast.toml";
    std::ifstream in(path);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    config::Config from_file, from_text;
    std::vector<std::string> errors;
    REQUIRE(t.load(from_file, errors));
    REQUIRE(config::load_config_text(text, path.string(), from_text, errors));
    CHECK(errors.empty());
    CHECK(from_text.pop_name == from_file.pop_name);
    CHECK(from_text.runtime_dir == (t.dir / "run").string());
    CHECK(from_text.admin.socket == from_file.admin.socket);
    CHECK(from_text.dataplane.ports == from_file.dataplane.ports);
    REQUIRE(from_text.zones.size() == 1);
    CHECK(from_text.zones[0].file == (t.dir / "example.net.zone").string());
    CHECK(from_text.metrics.listen.to_string() == "[::1]:9253");

    // A syntax error names the path given and the line.
    CHECK_FALSE(config::load_config_text("[pop]\nname = \"x\"\n[dataplane\n", "/etc/r.toml",
                                         from_text, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rfind("/etc/r.toml:3: ", 0) == 0);
}

TEST_CASE("config: [admin] socket and [metrics] listen are read, relative paths resolved") {
    TempConfig t("[admin]\nsocket = \"ctl/admin.sock\"\n[metrics]\nlisten = \"[::1]:9253\"\n");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    CHECK(c.admin.socket == (t.dir / "ctl" / "admin.sock").string());
    REQUIRE(c.metrics.enabled);
    CHECK(c.metrics.listen.host == "::1");
    CHECK(c.metrics.listen.port == 9253);
    CHECK(c.metrics.listen.to_string() == "[::1]:9253");
}

TEST_CASE("config: a bad [metrics] listen is an error naming the key") {
    TempConfig t("[metrics]\nlisten = \"localhost:9253\"\n");
    config::Config c;
    std::vector<std::string> errors;
    CHECK_FALSE(t.load(c, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("[metrics] listen") != std::string::npos);
}

TEST_CASE("config: [zones] compile_memory_limit is in MiB, 8192 by default") {
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(TempConfig("").load(c, errors));
    CHECK(c.zone_compile.compile_memory_limit_mib == config::kDefaultCompileMemoryMib);
    REQUIRE(TempConfig("[zones]\ncompile_memory_limit = 300\n").load(c, errors));
    CHECK(c.zone_compile.compile_memory_limit_bytes() == uint64_t{300} << 20);
}

TEST_CASE("config: a bad [zones] compile_memory_limit is an error naming the key and range") {
    for (const char* value : {"0", "-5", "1048577", "\"512M\"", "1.5"}) {
        INFO(value);
        config::Config c;
        std::vector<std::string> errors;
        CHECK_FALSE(TempConfig(std::string("[zones]\ncompile_memory_limit = ") + value + "\n")
                        .load(c, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find("[zones] compile_memory_limit: expected an integer from 1 to "
                             "1048576") != std::string::npos);
    }
}

TEST_CASE("config: a required string given empty is an error naming the key") {
    // config_fuzz found `origin = ""` accepted (tests/fuzz/regressions/config/).
    for (const char* zone : {"[[zone]]\norigin = \"\"\nfile = \"b.zone\"\n",
                             "[[zone]]\norigin = \"example.org.\"\nfile = \"\"\n"}) {
        INFO(zone);
        config::Config c;
        std::vector<std::string> errors;
        CHECK_FALSE(TempConfig(zone).load(c, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find(": empty (a non-empty string is required)") != std::string::npos);
    }
}

TEST_CASE("config: [[site]] tables are read, roots resolved against the config's folder") {
    TempConfig t(R"([[site]]
hosts = ["www.example.net", "example.net"]
root = "content/www"
cache_control = "public, max-age=3600"
[[site]]
hosts = ["static.example.org"]
root = "/srv/static"
)");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    REQUIRE(c.sites.size() == 2);
    CHECK(c.sites[0].hosts == std::vector<std::string>{"www.example.net", "example.net"});
    // Not checked at parse time: the content compiler reports a missing root.
    CHECK(c.sites[0].root == (t.dir / "content" / "www").string());
    CHECK(c.sites[0].cache_control == "public, max-age=3600");
    CHECK(c.sites[1].root == "/srv/static");
    CHECK(c.sites[1].cache_control.empty());

    TempConfig none("");
    REQUIRE(none.load(c, errors));
    CHECK(c.sites.empty());
}

TEST_CASE("config: bad [[site]] tables are errors naming the key and the value") {
    struct Case {
        const char* toml;
        const char* error;
    };
    const Case cases[] = {
        {"[[site]]\nroot = \"www\"\n", "[site] hosts: missing"},
        {"[[site]]\nhosts = []\nroot = \"www\"\n", "[site] hosts: at least one host name"},
        {"[[site]]\nhosts = [\"WWW.example.net\"]\nroot = \"www\"\n",
         "[site] hosts: \"WWW.example.net\" must be lowercase"},
        {"[[site]]\nhosts = [\"www.example.net.\"]\nroot = \"www\"\n",
         "[site] hosts: \"www.example.net.\" is not a host name"},
        {"[[site]]\nhosts = [\"a_b.example\"]\nroot = \"www\"\n", "is not a host name"},
        {"[[site]]\nhosts = [\"-a.example\"]\nroot = \"www\"\n", "is not a host name"},
        {"[[site]]\nhosts = [\"www.example.net\"]\n", "[site] root: missing"},
        {"[[site]]\nhosts = [\"a.example\"]\nroot = \"a\"\n[[site]]\nhosts = [\"b.example\", "
         "\"a.example\"]\nroot = \"b\"\n",
         "[site] hosts: \"a.example\" is already served by the site of a.example"},
        {"[[site]]\nhosts = [\"a.example\"]\nroot = \"a\"\ncache_control = \"x\\r\\nSet-Cookie: "
         "y\"\n",
         "[site] cache_control: only visible ASCII"},
        {"[site]\nhosts = [\"a.example\"]\nroot = \"a\"\n", "[[site]]: expected an array"},
        {"[[site]]\nhosts = \"a.example\"\nroot = \"a\"\n",
         "[site] hosts: expected an array of strings"},
    };
    for (const Case& c : cases) {
        INFO(c.toml);
        TempConfig t(c.toml);
        config::Config out;
        std::vector<std::string> errors;
        CHECK_FALSE(t.load(out, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find(c.error) != std::string::npos);
        CHECK(errors[0].find(t.dir.string()) == 0); // the file is named
    }
    CHECK(config::is_site_host("a.b-c.example"));
    CHECK(config::is_site_host("localhost"));
    CHECK_FALSE(config::is_site_host(std::string(64, 'a') + ".example"));
    CHECK_FALSE(config::is_site_host("a..example"));
    CHECK_FALSE(config::is_site_host(""));
}

TEST_CASE("config: the XDP VIP filter is on by default, with the built-in program") {
    TempConfig t("");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    CHECK(c.dataplane.xdp_vip_filter);
    CHECK(c.dataplane.xdp_program.empty()); // ringcastd finds it beside itself
}

TEST_CASE("config: [dataplane] xdp_program and xdp_vip_filter are read, the path resolved") {
    TempConfig t("", "xdp_program = \"bpf/filter.o\"\nxdp_vip_filter = false\n");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    CHECK_FALSE(c.dataplane.xdp_vip_filter);
    CHECK(c.dataplane.xdp_program == (t.dir / "bpf" / "filter.o").string());
}

TEST_CASE("config: bad XDP keys are errors naming the key") {
    const std::pair<std::string, std::string> cases[] = {
        {"xdp_vip_filter = \"yes\"\n", "[dataplane] xdp_vip_filter: expected true or false"},
        {"xdp_vip_filter = 1\n", "[dataplane] xdp_vip_filter: expected true or false"},
        {"xdp_program = \"\"\n", "[dataplane] xdp_program: must not be empty"},
        {"xdp_program = 7\n", "[dataplane] xdp_program: expected a string"},
        {"xdp_program = \"/opt/a,b.o\"\n", "a path with a comma cannot be passed to DPDK"},
    };
    for (const auto& [keys, message] : cases) {
        TempConfig t("", keys);
        config::Config c;
        std::vector<std::string> errors;
        CHECK_FALSE(t.load(c, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find(message) != std::string::npos);
    }
    TempConfig own_prog("", "", R"(["net_af_xdp0,iface=srv0,xdp_prog=/tmp/mine.o"])");
    config::Config c;
    std::vector<std::string> errors;
    CHECK_FALSE(own_prog.load(c, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("set the XDP program with [dataplane] xdp_program") != std::string::npos);
}

TEST_CASE("the dataplane's command line names the XDP filter on net_af_xdp ports only") {
    TempConfig t("", "", R"(["net_af_xdp0,iface=srv0", "net_af_packet0,iface=srv1"])");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    auto devices = [&](const daemon::DataplaneFiles& files) {
        const auto launch =
            daemon::dataplane_command(c, files, "snap", "content", "stats", "control");
        std::vector<std::string> out;
        for (size_t i = 0; i + 1 < launch.argv.size(); ++i)
            if (launch.argv[i] == "--vdev") out.push_back(launch.argv[i + 1]);
        return out;
    };
    CHECK(devices({"/usr/sbin/ringcast-dataplane", "/usr/sbin/vip_filter.bpf.o"}) ==
          std::vector<std::string>{"net_af_xdp0,iface=srv0,xdp_prog=/usr/sbin/vip_filter.bpf.o",
                                   "net_af_packet0,iface=srv1"});
    // The filter off: DPDK's own program, no xdp_prog.
    CHECK(devices({"/usr/sbin/ringcast-dataplane", ""}) ==
          std::vector<std::string>{"net_af_xdp0,iface=srv0", "net_af_packet0,iface=srv1"});
}

TEST_CASE("config: no exception port by default; \"tap\" names a TAP per port that needs one") {
    TempConfig off("", "", R"(["net_af_packet0,iface=srv0"])");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(off.load(c, errors));
    CHECK(c.dataplane.exception_port == "none");
    CHECK_FALSE(config::needs_exception_tap(c.dataplane, c.dataplane.ports[0]));

    TempConfig t("", "exception_port = \"tap\"\n",
                 R"(["net_af_xdp0,iface=srv0", "net_af_packet0,iface=srv1", "01:00.0"])");
    REQUIRE(t.load(c, errors));
    CHECK(c.dataplane.exception_interfaces ==
          std::vector<std::string>{"rc-exc0", "rc-exc1", "rc-exc2"});
    auto taps = [&](const daemon::DataplaneFiles& files) {
        const auto launch =
            daemon::dataplane_command(c, files, "snap", "content", "stats", "control");
        std::vector<std::string> out;
        for (size_t i = 0; i + 1 < launch.argv.size(); ++i)
            if (launch.argv[i] == "--exception-tap") out.push_back(launch.argv[i + 1]);
        return out;
    };
    // The af_xdp port's filter passes non-VIP frames to the kernel itself: no TAP for it.
    CHECK(taps({"/usr/sbin/ringcast-dataplane", "/usr/sbin/vip_filter.bpf.o"}) ==
          std::vector<std::string>{"net_af_packet0=rc-exc1", "0000:01:00.0=rc-exc2"});

    TempConfig named("", "exception_port = \"tap\"\nexception_interfaces = [\"host0\"]\n",
                     R"(["0000:3b:00.1"])");
    REQUIRE(named.load(c, errors));
    CHECK(taps({"/usr/sbin/ringcast-dataplane", ""}) ==
          std::vector<std::string>{"0000:3b:00.1=host0"});
}

TEST_CASE("config: bad exception port keys are errors naming the key") {
    const std::pair<std::string, std::string> cases[] = {
        {"exception_port = \"virtio\"\n", "[dataplane] exception_port: \"virtio\": expected"},
        {"exception_port = true\n", "[dataplane] exception_port: expected a string"},
        {"exception_port = \"tap\"\nexception_interfaces = [\"a\", \"b\"]\n",
         "[dataplane] exception_interfaces: 2 names for 1 ports"},
        {"exception_port = \"tap\"\nexception_interfaces = [\"rc-exception-port0\"]\n",
         "\"rc-exception-port0\": an interface name is 1 to 15"},
        {"exception_port = \"tap\"\nexception_interfaces = [\"a/b\"]\n", "\"a/b\": an interface"},
    };
    for (const auto& [keys, message] : cases) {
        INFO(keys);
        TempConfig t("", keys, R"(["net_af_packet0,iface=srv0"])");
        config::Config c;
        std::vector<std::string> errors;
        CHECK_FALSE(t.load(c, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find(message) != std::string::npos);
    }
    TempConfig twice("", "exception_port = \"tap\"\nexception_interfaces = [\"x\", \"x\"]\n",
                     R"(["net_af_packet0,iface=a", "net_af_packet1,iface=b"])");
    config::Config c;
    std::vector<std::string> errors;
    CHECK_FALSE(twice.load(c, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("\"x\" is listed twice") != std::string::npos);
    // Only af_xdp ports with the filter: nothing would get the TAP asked for.
    TempConfig filtered("", "exception_port = \"tap\"\n");
    errors.clear();
    CHECK_FALSE(filtered.load(c, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("no port needs one") != std::string::npos);
}

TEST_CASE("config: exception_addresses go on the one exception TAP") {
    TempConfig t("",
                 "exception_port = \"tap\"\nexception_interfaces = [\"host0\"]\n"
                 "exception_addresses = [\"198.51.100.2/24\", \"2001:db8:b::2/64\"]\n",
                 R"(["net_af_packet0,iface=srv0"])");
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(t.load(c, errors));
    CHECK(c.dataplane.exception_addresses ==
          std::vector<std::string>{"198.51.100.2/24", "2001:db8:b::2/64"});
    CHECK(config::exception_address_interface(c.dataplane) == "host0");
    const auto v6 = config::parse_interface_address("2001:db8:b::2/64");
    REQUIRE(v6);
    CHECK(v6->family == AF_INET6);
    CHECK(v6->prefix_length == 64);
    CHECK(v6->bytes[15] == 2); // host bits kept, unlike a route's prefix
    // An af_xdp port with the filter gets no TAP, so the PCI port's is still the only one.
    TempConfig mixed("", "exception_port = \"tap\"\nexception_addresses = [\"192.0.2.9/24\"]\n",
                     R"(["net_af_xdp0,iface=srv0", "01:00.0"])");
    REQUIRE(mixed.load(c, errors));
    CHECK(config::exception_address_interface(c.dataplane) == "rc-exc1");
}

TEST_CASE("config: bad exception_addresses are errors naming the key and the address") {
    const std::pair<std::string, std::string> cases[] = {
        {"exception_addresses = [\"198.51.100.2/24\"]\n", "only with exception_port = \"tap\""},
        {"exception_port = \"tap\"\nexception_addresses = [\"198.51.100.2\"]\n",
         "\"198.51.100.2\": expected an IPv4 address/1-32"},
        {"exception_port = \"tap\"\nexception_addresses = [\"198.51.100.2/33\"]\n",
         "\"198.51.100.2/33\": expected"},
        {"exception_port = \"tap\"\nexception_addresses = [\"2001:db8::2/129\"]\n",
         "\"2001:db8::2/129\": expected"},
        {"exception_port = \"tap\"\nexception_addresses = [\"198.51.100.2/0\"]\n",
         "\"198.51.100.2/0\": expected"},
        {"exception_port = \"tap\"\nexception_addresses = [\"198.51.100.300/24\"]\n",
         "\"198.51.100.300/24\": expected"},
        {"exception_port = \"tap\"\nexception_addresses = [\"host/24\"]\n",
         "\"host/24\": expected"},
        {"exception_port = \"tap\"\nexception_addresses = [\"198.51.100.2/24\", "
         "\"198.51.100.2/25\"]\n",
         "\"198.51.100.2/25\": the address is listed twice"},
        {"exception_port = \"tap\"\nexception_addresses = [\"2001:db8:b::2/64\", "
         "\"2001:db8:b:0::2/64\"]\n",
         "\"2001:db8:b:0::2/64\": the address is listed twice"},
        {"exception_port = \"tap\"\nexception_addresses = [\"203.0.113.53/24\"]\n",
         "\"203.0.113.53/24\" is a VIP"},
        {"exception_port = \"tap\"\nexception_addresses = 5\n",
         "[dataplane] exception_addresses: expected"},
    };
    for (const auto& [keys, message] : cases) {
        INFO(keys);
        TempConfig t("", keys, R"(["net_af_packet0,iface=srv0"])");
        config::Config c;
        std::vector<std::string> errors;
        CHECK_FALSE(t.load(c, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find(message) != std::string::npos);
    }
    // Two TAPs: which one holds the host's addresses is not guessed.
    TempConfig two("", "exception_port = \"tap\"\nexception_addresses = [\"198.51.100.2/24\"]\n",
                   R"(["net_af_packet0,iface=a", "net_af_packet1,iface=b"])");
    config::Config c;
    std::vector<std::string> errors;
    CHECK_FALSE(two.load(c, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("more than one port has an exception TAP") != std::string::npos);
}

TEST_CASE("assigning addresses to an interface that is not there names it and fails") {
    const auto address = config::parse_interface_address("198.51.100.2/24");
    REQUIRE(address);
    const std::string error = daemon::assign_interface_addresses("rc-none0", {*address});
    CHECK(error.find("rc-none0: No such device") == 0);
}

TEST_CASE("config: listen addresses") {
    struct Case {
        const char* text;
        bool ok;
        const char* host;
        uint16_t port;
    };
    const Case cases[] = {
        {"127.0.0.1:9253", true, "127.0.0.1", 9253},
        {"[::1]:80", true, "::1", 80},
        {"0.0.0.0:65535", true, "0.0.0.0", 65535},
        {"127.0.0.1", false, "", 0},
        {"127.0.0.1:0", false, "", 0},
        {"127.0.0.1:65536", false, "", 0},
        {"::1:9253", false, "", 0},
        {"[::1]9253", false, "", 0},
        {"example.net:80", false, "", 0},
        {"127.0.0.1:9x", false, "", 0},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        config::ListenAddress address;
        std::string error;
        REQUIRE(config::parse_listen_address(c.text, address, error) == c.ok);
        if (!c.ok) {
            CHECK_FALSE(error.empty());
            continue;
        }
        CHECK(address.host == c.host);
        CHECK(address.port == c.port);
    }
}

TEST_CASE("restart backoff: 1 s doubling to 30 s") {
    using std::chrono::milliseconds;
    CHECK(daemon::restart_delay(1) == milliseconds(1000));
    CHECK(daemon::restart_delay(2) == milliseconds(2000));
    CHECK(daemon::restart_delay(5) == milliseconds(16000));
    CHECK(daemon::restart_delay(6) == milliseconds(30000));
    CHECK(daemon::restart_delay(1000) == milliseconds(30000));
}

TEST_CASE("XDP detach touches only the interfaces of configured net_af_xdp ports") {
    const std::vector<std::string> ports = {"net_af_xdp0,iface=srv0",
                                            "net_af_xdp1,start_queue=0,iface=srv1,queue_count=2",
                                            "net_af_packet0,iface=srv2",
                                            "0000:01:00.0",
                                            "net_af_xdp2",
                                            "net_af_xdp3,iface="};
    CHECK(daemon::af_xdp_interfaces(ports) == std::vector<std::string>{"srv0", "srv1"});
}

TEST_CASE("HTTP request heads") {
    using Parse = daemon::HttpRequestHead::Parse;
    auto head = daemon::parse_http_request("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
    CHECK(head.parse == Parse::complete);
    CHECK(head.method == "GET");
    CHECK(head.path == "/metrics");
    CHECK(daemon::parse_http_request("GET /metrics HTTP/1.1\r\nHost").parse == Parse::incomplete);
    CHECK(daemon::parse_http_request("GET /metrics\r\n\r\n").parse == Parse::malformed);
    CHECK(daemon::parse_http_request("GET metrics HTTP/1.0\r\n\r\n").parse == Parse::malformed);
    CHECK(daemon::parse_http_request("GET / SPDY/3\r\n\r\n").parse == Parse::malformed);
    CHECK(daemon::parse_http_request(std::string(daemon::kMaxHttpRequest + 1, 'x')).parse ==
          Parse::malformed);
}

TEST_CASE("ringcastd's own metrics: HELP and TYPE for each, zone labels escaped") {
    daemon::DaemonMetrics m;
    m.dataplane_up = true;
    m.dataplane_restarts = 2;
    m.zone_serials = {{"example.net.", 7}, {"we\"ird.", 1}};
    const std::string text = daemon::render_daemon_metrics(m);
    CHECK(text.find("# TYPE ringcast_dataplane_up gauge\nringcast_dataplane_up 1\n") !=
          std::string::npos);
    CHECK(text.find("ringcast_dataplane_restarts_total 2\n") != std::string::npos);
    CHECK(text.find("ringcast_zone_serial{zone=\"example.net.\"} 7\n") != std::string::npos);
    CHECK(text.find("ringcast_zone_serial{zone=\"we\\\"ird.\"} 1\n") != std::string::npos);
    CHECK(text.find("ringcast_reloads_total{result=\"rejected\"} 0\n") != std::string::npos);
}

TEST_CASE("catch-up: a failed load is retried with a doubling delay until the dataplane takes it") {
    using std::chrono::milliseconds;
    daemon::CatchUp catch_up;
    const daemon::Generations compiled{7, 3};
    const auto t0 = daemon::CatchUp::Clock::time_point{};
    CHECK_FALSE(catch_up.pending(compiled)); // no dataplane: nothing to load into
    CHECK(catch_up.to_json(compiled, t0)["serving_generation"].is_null());

    catch_up.dataplane_ready({6, 3}); // restarted on the snapshot before the last reload
    REQUIRE(catch_up.pending(compiled));
    CHECK(catch_up.pending({6, 4})); // content behind alone is behind too
    // Each failure waits twice as long, up to the cap; it never gives up.
    std::vector<milliseconds> delays;
    for (int i = 0; i < 8; ++i)
        delays.push_back(catch_up.failed("snapshot unreadable", t0));
    CHECK(delays[0] == daemon::kFirstCatchUpRetry);
    CHECK(delays[1] == 2 * daemon::kFirstCatchUpRetry);
    CHECK(delays[2] == 4 * daemon::kFirstCatchUpRetry);
    CHECK(delays.back() == daemon::kMaxCatchUpRetry);
    CHECK(catch_up.failures() == 8);
    CHECK(catch_up.pending(compiled));
    const json pending = catch_up.to_json(compiled, t0);
    CHECK(pending["serving_generation"] == 6);
    CHECK(pending["catch_up_pending"] == true);
    CHECK(pending["catch_up_failures"] == 8);
    CHECK(pending["catch_up_last_error"] == "snapshot unreadable");
    CHECK(pending["catch_up_next_attempt_in_ms"] == milliseconds(daemon::kMaxCatchUpRetry).count());

    catch_up.loaded(compiled);
    CHECK_FALSE(catch_up.pending(compiled));
    CHECK(catch_up.failures() == 0);
    const json done = catch_up.to_json(compiled, t0);
    CHECK(done["serving_generation"] == 7);
    CHECK(done["catch_up_pending"] == false);
    CHECK_FALSE(done.contains("catch_up_failures"));
    // The next trouble starts the backoff over.
    catch_up.dataplane_ready({6, 3});
    CHECK(catch_up.failed("again", t0) == daemon::kFirstCatchUpRetry);
    catch_up.dataplane_down();
    CHECK_FALSE(catch_up.pending(compiled));
}

TEST_CASE("reload tally: every refused request is a failure, under its admin error code") {
    daemon::ReloadTally tally;
    tally.record(admin::ok_reply());
    tally.record(admin::error_reply(admin::code::kBusy, "a reload is in progress"));
    tally.record(admin::error_reply(admin::code::kNotFound, "no zone example.com. is configured"));
    tally.record(admin::error_reply(admin::code::kRejected, "1 error(s)"));
    tally.record(admin::error_reply(admin::code::kUnavailable, "ringcastd is stopping"));
    tally.record(admin::error_reply("a_code_added_later", "?")); // counted, as rejected
    CHECK(tally.ok() == 1);
    CHECK(tally.failed() == 5);
    const json failures = tally.failures_json();
    CHECK(failures == json{{"busy", 1}, {"not_found", 1}, {"rejected", 2}, {"unavailable", 1}});

    daemon::DaemonMetrics m;
    m.reloads = tally;
    const std::string text = daemon::render_daemon_metrics(m);
    CHECK(text.find("ringcast_reloads_total{result=\"ok\"} 1\n") != std::string::npos);
    CHECK(text.find("ringcast_reloads_total{result=\"rejected\"} 5\n") != std::string::npos);
    CHECK(text.find("# TYPE ringcast_reload_failures_total counter\n") != std::string::npos);
    CHECK(text.find("ringcast_reload_failures_total{reason=\"busy\"} 1\n") != std::string::npos);
    CHECK(text.find("ringcast_reload_failures_total{reason=\"not_found\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("ringcast_reload_failures_total{reason=\"rejected\"} 2\n") !=
          std::string::npos);
}

TEST_CASE("ringcastd's metrics: the BGP announce state, prefixes, session, drain, guard") {
    daemon::DaemonMetrics m;
    CHECK(daemon::render_daemon_metrics(m).find("ringcast_bgp_") == std::string::npos);
    m.bgp_enabled = true;
    m.bgp_state = "draining";
    m.bgp_drain = true;
    m.bgp_session_established = true;
    m.bgp_apply_failures = 3;
    m.bgp_prefixes = {"203.0.113.0/24", "2001:db8:ffff::/48"};
    const std::string text = daemon::render_daemon_metrics(m);
    CHECK(text.find("ringcast_bgp_announce_state{state=\"draining\"} 1\n") != std::string::npos);
    CHECK(text.find("ringcast_bgp_announce_state{state=\"announced\"} 0\n") != std::string::npos);
    CHECK(text.find("ringcast_bgp_prefix_announced{prefix=\"2001:db8:ffff::/48\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("ringcast_bgp_session_established 1\n") != std::string::npos);
    CHECK(text.find("ringcast_bgp_drain 1\n") != std::string::npos);
    CHECK(text.find("ringcast_bgp_guard_active 0\n") != std::string::npos);
    CHECK(text.find("ringcast_bgp_apply_failures_total 3\n") != std::string::npos);
    m.bgp_state = "withdrawn";
    CHECK(daemon::render_daemon_metrics(m).find(
              "ringcast_bgp_prefix_announced{prefix=\"203.0.113.0/24\"} 0\n") != std::string::npos);
}
