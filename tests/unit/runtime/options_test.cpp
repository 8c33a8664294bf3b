// ringcast-dataplane's command line (runtime/options.cpp, CLI11): what ringcastd passes lands in
// the Options, and every bad value is refused with a message naming the option.
#include "dataplane/runtime/options.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace ringcast;

namespace {

struct Parsed {
    bool ok = false;
    runtime::Options options;
    std::string error;
};

Parsed parse(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (std::string& arg : args)
        argv.push_back(arg.data());
    Parsed out;
    out.ok =
        runtime::parse_options(static_cast<int>(argv.size()), argv.data(), out.options, out.error);
    return out;
}

std::vector<std::string> minimal() {
    return {"--snapshot", "/run/s.bin", "--pop-name", "pop1", "--vip", "203.0.113.53"};
}

std::vector<std::string> with(std::vector<std::string> extra) {
    std::vector<std::string> args = minimal();
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

} // namespace

TEST_CASE("options: the minimal line, with the defaults kept") {
    const Parsed p = parse(minimal());
    REQUIRE(p.ok);
    CHECK(p.options.snapshot_path == "/run/s.bin");
    CHECK(std::string(p.options.pipeline.dns.pop_name, p.options.pipeline.dns.pop_name_len) ==
          "pop1");
    CHECK(p.options.pipeline.vips.v4_count == 1);
    CHECK(p.options.pipeline.vips.v6_count == 0);
    const runtime::Options defaults;
    CHECK(p.options.pipeline.dns.max_udp_payload == dns::kDefaultMaxUdpPayload);
    CHECK(p.options.stats_interval_ms == defaults.stats_interval_ms);
    CHECK(p.options.tcp.idle_timeout_us == defaults.tcp.idle_timeout_us);
    CHECK(p.options.content_path.empty());
}

TEST_CASE("options: every option ringcastd passes") {
    const Parsed p = parse(with({"--content",
                                 "/run/c.bin",
                                 "--control-socket",
                                 "/run/dp.sock",
                                 "--stats-file",
                                 "/run/stats",
                                 "--vip",
                                 "2001:db8:ffff::53",
                                 "--max-udp-payload",
                                 "4096",
                                 "--stats-interval-ms",
                                 "250",
                                 "--idle-sleep-us",
                                 "50",
                                 "--tcp-max-connections",
                                 "100",
                                 "--tcp-receive-buffer",
                                 "8192",
                                 "--tcp-send-buffer",
                                 "65536",
                                 "--tcp-idle-timeout-ms",
                                 "1500",
                                 "--tcp-time-wait-ms=2000"}));
    REQUIRE(p.ok);
    CHECK(p.options.content_path == "/run/c.bin");
    CHECK(p.options.control_path == "/run/dp.sock");
    CHECK(p.options.stats_path == "/run/stats");
    CHECK(p.options.pipeline.vips.v6_count == 1);
    CHECK(p.options.pipeline.dns.max_udp_payload == 4096);
    CHECK(p.options.stats_interval_ms == 250);
    CHECK(p.options.idle_sleep_us == 50);
    CHECK(p.options.tcp.max_connections == 100);
    CHECK(p.options.tcp.rx_buffer == 8192);
    CHECK(p.options.tcp.tx_buffer == 65536);
    CHECK(p.options.tcp.idle_timeout_us == 1'500'000);
    CHECK(p.options.tcp.time_wait_us == 2'000'000);
}

TEST_CASE("options: exception TAPs, one per port, none by default") {
    CHECK(parse(minimal()).options.exception_ports.empty());
    const Parsed p = parse(with(
        {"--exception-tap", "0000:01:00.0=rc-exc0", "--exception-tap", "net_af_packet1=rc-exc1"}));
    REQUIRE(p.ok);
    REQUIRE(p.options.exception_ports.size() == 2);
    CHECK(p.options.exception_ports[0].device == "0000:01:00.0");
    CHECK(p.options.exception_ports[0].interface == "rc-exc0");
    CHECK(p.options.exception_ports[1].device == "net_af_packet1");
    CHECK(p.options.exception_ports[1].interface == "rc-exc1");
}

TEST_CASE("options: refused, with the option named") {
    struct Case {
        std::vector<std::string> args;
        const char* names;
    };
    const std::vector<Case> cases = {
        {{"--pop-name", "pop1", "--vip", "203.0.113.53"}, "--snapshot"},
        {{"--snapshot", "s", "--vip", "203.0.113.53"}, "--pop-name"},
        {{"--snapshot", "s", "--pop-name", "pop1"}, "--vip"},
        {with({"--vip", "not-an-address"}), "--vip not-an-address"},
        {with({"--max-udp-payload", "511"}), "--max-udp-payload"},
        {with({"--max-udp-payload", "4097"}), "--max-udp-payload"},
        {with({"--idle-sleep-us", "1001"}), "--idle-sleep-us"},
        {with({"--idle-sleep-us", "-1"}), "--idle-sleep-us"},
        {with({"--tcp-max-connections", "0"}), "--tcp-max-connections"},
        {with({"--tcp-receive-buffer", "1023"}), "--tcp-receive-buffer"},
        {with({"--stats-interval-ms", "99"}), "--stats-interval-ms"},
        {with({"--tcp-idle-timeout-ms", "12x"}), "--tcp-idle-timeout-ms"},
        {with({"--exception-tap", "net_af_packet0"}), "--exception-tap net_af_packet0"},
        {with({"--exception-tap", "=rc-exc0"}), "--exception-tap =rc-exc0"},
        {with({"--exception-tap", "p0=rc-exception-port0"}), "--exception-tap p0="},
        {with({"--exception-tap", "p0=a,b"}), "--exception-tap p0=a,b"},
        {with({"--bogus", "1"}), "--bogus"},
        {with({"--snapshot"}), "--snapshot"},
        {with({"--pop-name", std::string(dns::kMaxPopNameLength + 1, 'p')}), "--pop-name"},
    };
    for (const Case& c : cases) {
        const Parsed p = parse(c.args);
        INFO(c.names << ": " << p.error);
        CHECK_FALSE(p.ok);
        CHECK(p.error.find(c.names) != std::string::npos);
    }
}

TEST_CASE("options: the usage names every option") {
    const std::string text = runtime::usage();
    for (const char* option :
         {"--snapshot", "--content", "--pop-name", "--vip", "--max-udp-payload", "--control-socket",
          "--stats-file", "--stats-interval-ms", "--idle-sleep-us", "--tcp-max-connections",
          "--tcp-receive-buffer", "--tcp-send-buffer", "--tcp-idle-timeout-ms",
          "--tcp-time-wait-ms"})
        CHECK(text.find(option) != std::string::npos);
}
