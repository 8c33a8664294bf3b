// controlplane/bgp's pure parts: BIRD's reply protocol and codes, the generated include file,
// the ExaBGP and GoBGP command lines, session-state parsing, [bgp] configuration, and the
// announce state machine (against a sidecar that records the batches it is given).
#include "controlplane/bgp/announcer.h"
#include "controlplane/bgp/atomic_file.h"
#include "controlplane/bgp/bird_driver.h"
#include "controlplane/bgp/exabgp_driver.h"
#include "controlplane/bgp/gobgp_driver.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>

using namespace ringcast;
using namespace ringcast::bgp;
namespace fs = std::filesystem;

namespace {

BirdReply parse_one(const std::string& bytes) {
    BirdReplyParser parser;
    REQUIRE(parser.feed(bytes));
    REQUIRE(parser.complete());
    return parser.take();
}

struct TempDir {
    fs::path dir;
    TempDir() {
        char pattern[] = "/tmp/ringcast-bgp-test.XXXXXX";
        dir = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(dir); }
};

bool load(const TempDir& t, const std::string& bgp, config::Config& out,
          std::vector<std::string>& errors) {
    std::ofstream(t.dir / "ringcast.toml") << R"([pop]
name = "pop-t"
[dataplane]
ports = ["net_null0"]
vips = ["203.0.113.53"]
[[zone]]
origin = "example.net."
file = "example.net.zone"
)" << bgp;
    return config::load_config((t.dir / "ringcast.toml").string(), out, errors);
}

bool any_error(const std::vector<std::string>& errors, const std::string& part) {
    for (const std::string& e : errors)
        if (e.find(part) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("BIRD replies: multi-line, continuation, final line, spontaneous lines") {
    const BirdReply welcome = parse_one("0001 BIRD 2.0.12 ready.\n");
    CHECK(welcome.final_code() == bird_code::kWelcome);

    const BirdReply configured =
        parse_one("0002-Reading configuration from /etc/bird/bird.conf\n0003 Reconfigured\n");
    REQUIRE(configured.lines.size() == 2);
    CHECK(configured.lines[0].code == bird_code::kReadingConfiguration);
    CHECK(configured.final_code() == bird_code::kReconfigured);
    CHECK(configure_accepted(configured));
    CHECK_FALSE(configured.is_error());

    const BirdReply table = parse_one("+0000 spontaneous\n2002-Name Proto\n1002-upstream BGP\n"
                                      " continued\n0000 \n");
    REQUIRE(table.lines.size() == 4);
    CHECK(table.lines[2].code == bird_code::kProtocolList); // the continuation keeps its code
    CHECK(table.lines[2].text == "continued");
    CHECK(table.final_code() == 0);
}

TEST_CASE("BIRD replies arrive in pieces; the next reply's bytes are kept") {
    BirdReplyParser parser;
    REQUIRE(parser.feed("0002-Reading conf"));
    CHECK_FALSE(parser.complete());
    REQUIRE(parser.feed("iguration\n8002 /etc/bird.conf:3:1 syntax error\n0001 next"));
    REQUIRE(parser.complete());
    const BirdReply refused = parser.take();
    CHECK(refused.final_code() == 8002);
    CHECK(refused.is_error());
    CHECK_FALSE(configure_accepted(refused));
    CHECK(refused.text().find("syntax error") != std::string::npos);
    CHECK_FALSE(parser.complete());
    REQUIRE(parser.feed(" ready.\n"));
    REQUIRE(parser.complete());
    CHECK(parser.take().final_code() == bird_code::kWelcome);
}

TEST_CASE("configure's reply codes: which mean BIRD took the configuration") {
    for (int code : {3, 4, 5, 18, 19, 20}) {
        const BirdReply r = parse_one(fmt::format("{:04} x\n", code));
        CHECK(configure_accepted(r));
    }
    for (int code : {0, 6, 16, 8001, 8002, 8006, 9001}) {
        const BirdReply r = parse_one(fmt::format("{:04} x\n", code));
        CHECK_FALSE(configure_accepted(r));
    }
}

TEST_CASE("Not BIRD's protocol, or too long: an error, not a reply") {
    BirdReplyParser a;
    CHECK_FALSE(a.feed("HTTP/1.1 400 Bad Request\n"));
    CHECK(a.error().find("not BIRD's control protocol") != std::string::npos);
    BirdReplyParser b;
    CHECK_FALSE(b.feed(" continuation first\n"));
    BirdReplyParser c;
    CHECK_FALSE(c.feed(std::string(kMaxBirdReplyBytes + 1, 'x')));
}

TEST_CASE("show protocols: the session state of the configured protocol") {
    auto row = [](const std::string& line) {
        return parse_one("2002-Name       Proto      Table      State  Since         Info\n" +
                         line + "\n0000 \n");
    };
    SessionInfo s = parse_bird_protocol_row(
        row("1002-upstream   BGP        ---        up     14:20:00.123  Established"), "upstream");
    CHECK(s.state == SessionState::established);
    CHECK(s.info == "Established");
    s = parse_bird_protocol_row(
        row("1002-upstream   BGP        ---        start  2026-12-07 14:20:00  Active        "
            "Socket: Connection refused"),
        "upstream");
    CHECK(s.state == SessionState::connecting);
    CHECK(s.info == "Active Socket: Connection refused");
    s = parse_bird_protocol_row(row("1002-upstream   BGP  ---  down  14:20:00.123"), "upstream");
    CHECK(s.state == SessionState::down);
    s = parse_bird_protocol_row(row("1002-other   BGP  ---  up  14:20:00.123  Established"),
                                "upstream");
    CHECK(s.state == SessionState::unknown);
    s = parse_bird_protocol_row(parse_one("8003 No protocols match\n"), "upstream");
    CHECK(s.state == SessionState::unknown);
    CHECK(s.info == "BIRD has no protocol upstream");
}

TEST_CASE("The BIRD include file: static routes with communities and prepends, per family") {
    const std::vector<Announcement> batch{
        {"203.0.113.0/24", {"64500:100", "65535:0"}, {"64500:1:2"}, 2},
        {"2001:db8:ffff::/48", {}, {}, 0},
    };
    const std::string text = bird_include(batch, 64500);
    CHECK(text ==
          R"(# Generated by ringcastd; rewritten on every announce, drain and withdraw: do not edit.
protocol static ringcast4 {
    ipv4;
    route 203.0.113.0/24 blackhole {
        bgp_community.add((64500,100));
        bgp_community.add((65535,0));
        bgp_large_community.add((64500,1,2));
        bgp_path.prepend(64500);
        bgp_path.prepend(64500);
    };
}
protocol static ringcast6 {
    ipv6;
    route 2001:db8:ffff::/48 blackhole {
    };
}
)");
    // Withdrawn: both protocols stay, empty, so the operator's export filters keep parsing.
    const std::string empty = bird_include({}, 64500);
    CHECK(empty.find("protocol static ringcast4 {\n    ipv4;\n}") != std::string::npos);
    CHECK(empty.find("route") == std::string::npos);
}

TEST_CASE("Drain adds 65535:0 (RFC 8326) and the drain prepends") {
    config::BgpPrefix p{"203.0.113.0/24", {"64500:100"}, {"64500:1:2"}, 1, 3};
    const Announcement normal = announcement_for(p, false);
    CHECK(normal.communities == std::vector<std::string>{"64500:100"});
    CHECK(normal.prepend == 1);
    const Announcement drained = announcement_for(p, true);
    CHECK(drained.communities == std::vector<std::string>{"64500:100", "65535:0"});
    CHECK(drained.large_communities == std::vector<std::string>{"64500:1:2"});
    CHECK(drained.prepend == 4);
}

TEST_CASE("ExaBGP and GoBGP command lines") {
    const Announcement a{"203.0.113.0/24", {"64500:100", "65535:0"}, {"64500:1:2"}, 2};
    CHECK(exabgp_announce(a, 64500) ==
          "announce route 203.0.113.0/24 next-hop self community [64500:100 65535:0] "
          "large-community [64500:1:2] as-path [64500 64500 64500]");
    CHECK(exabgp_announce({"2001:db8:ffff::/48", {}, {}, 0}, 64500) ==
          "announce route 2001:db8:ffff::/48 next-hop self");
    CHECK(exabgp_withdraw("203.0.113.0/24") == "withdraw route 203.0.113.0/24 next-hop self");
    const auto del = gobgp_del_args("2001:db8:ffff::/48");
    CHECK(del == std::vector<std::string>{"-a", "ipv6", "del", "2001:db8:ffff::/48"});
    const auto add = gobgp_add_args({"203.0.113.0/24", {"64500:100"}, {}, 0});
    CHECK(add == std::vector<std::string>{"-a", "ipv4", "add", "203.0.113.0/24", "community",
                                          "64500:100"});
}

TEST_CASE("ExaBGP and GoBGP neighbor summaries") {
    const std::string exa = "Peer            AS        up/down state       |     #sent     #recvd\n"
                            "198.51.100.1    64501     0:00:12 established          1          0\n";
    CHECK(parse_exabgp_summary(exa, "198.51.100.1").state == SessionState::established);
    CHECK(parse_exabgp_summary(exa, "198.51.100.1").uptime_seconds == 12);
    CHECK(parse_exabgp_summary(exa, "198.51.100.9").state == SessionState::unknown);
    const std::string go = "Peer            AS  Up/Down State       |#Received  Accepted\n"
                           "198.51.100.1 64501 00:00:12 Establ      |        0         0\n"
                           "198.51.100.3 64503    never Active      |        0         0\n";
    CHECK(parse_gobgp_neighbors(go, "198.51.100.1").state == SessionState::established);
    CHECK(parse_gobgp_neighbors(go, "198.51.100.1").uptime_seconds == 12);
    CHECK(parse_uptime("1:02:03") == 3723);
    CHECK(parse_uptime("never") == -1);
    CHECK(parse_uptime("1:60:00") == -1);
    CHECK(parse_uptime("12:00") == -1);
    CHECK(parse_gobgp_neighbors(go, "198.51.100.3").state == SessionState::connecting);
}

TEST_CASE("[bgp] configuration: defaults, per-prefix overrides, validation") {
    TempDir t;
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(load(t, "", c, errors));
    CHECK_FALSE(c.bgp.enabled); // no [bgp]: no BGP at all

    REQUIRE(load(t, R"([bgp]
prefixes = ["203.0.113.0/24", {prefix = "2001:db8:ffff::/48", communities = ["64500:6"], prepend = 1}]
communities = ["64500:100"]
large_communities = ["64500:1:2"]
local_as = 64500
bird_socket = "bird.ctl"
drain_seconds = 5
hold_down_seconds = 2
)",
                 c, errors));
    CHECK(c.bgp.enabled);
    CHECK(c.bgp.sidecar == "bird");
    CHECK(c.bgp.protocol == "upstream");
    CHECK(c.bgp.drain_seconds == 5);
    CHECK(c.bgp.hold_down_seconds == 2);
    CHECK(c.bgp.global_withdrawal_guard);
    CHECK(c.bgp.bird_socket == (t.dir / "bird.ctl").string());
    REQUIRE(c.bgp.prefixes.size() == 2);
    CHECK(c.bgp.prefixes[0].communities == std::vector<std::string>{"64500:100"});
    CHECK(c.bgp.prefixes[0].large_communities == std::vector<std::string>{"64500:1:2"});
    CHECK(c.bgp.prefixes[0].prepend == 0);
    CHECK(c.bgp.prefixes[0].drain_prepend == 3); // the default
    CHECK(c.bgp.prefixes[1].communities == std::vector<std::string>{"64500:6"});
    CHECK(c.bgp.prefixes[1].large_communities == std::vector<std::string>{"64500:1:2"});
    CHECK(c.bgp.prefixes[1].prepend == 1);

    errors.clear();
    CHECK_FALSE(load(t, R"([bgp]
sidecar = "quagga"
prefixes = ["203.0.113.1/24", "203.0.113.0/33", "198.51.100.0/24", "198.51.100.0/24"]
communities = ["64500:70000", "x"]
large_communities = ["1:2"]
drain_seconds = -1
hold_down_seconds = 99999
prepend = 11
protocol = "bad name"
)",
                     c, errors));
    CHECK(any_error(errors, "sidecar: \"quagga\" is not one of bird, exabgp, gobgp"));
    CHECK(any_error(errors, "\"203.0.113.1/24\" has host bits set (meant 203.0.113.0/24?)"));
    CHECK(any_error(errors, "\"203.0.113.0/33\" is not an IPv4 or IPv6 prefix"));
    CHECK(any_error(errors, "198.51.100.0/24 is listed twice"));
    CHECK(any_error(errors, "\"64500:70000\" is not ASN:VALUE"));
    CHECK(any_error(errors, "\"x\" is not ASN:VALUE"));
    CHECK(any_error(errors, "\"1:2\" is not GLOBAL:LOCAL1:LOCAL2"));
    CHECK(any_error(errors, "drain_seconds: expected an integer from 0 to 3600"));
    CHECK(any_error(errors, "hold_down_seconds: expected an integer from 0 to 3600"));
    CHECK(any_error(errors, "prepend: expected an integer from 0 to 10"));
    CHECK(any_error(errors, "[bgp] protocol:"));

    errors.clear();
    CHECK_FALSE(load(t, "[bgp]\nprefixes = [\"203.0.113.0/24\"]\nprepend = 2\n", c, errors));
    CHECK(any_error(errors, "prepends need local_as"));
    errors.clear();
    CHECK_FALSE(load(t, "[bgp]\nsidecar = \"gobgp\"\n", c, errors));
    CHECK(any_error(errors, "[bgp] prefixes: at least one prefix is required"));
}

TEST_CASE("canonical_prefix, communities") {
    std::string out;
    CHECK(config::canonical_prefix("2001:db8:ffff:1::/48", out));
    CHECK(out == "2001:db8:ffff::/48");
    CHECK(config::canonical_prefix("10.1.2.3/0", out));
    CHECK(out == "0.0.0.0/0");
    CHECK_FALSE(config::canonical_prefix("10.1.2.3", out));
    CHECK_FALSE(config::canonical_prefix("10.1.2.3/", out));
    CHECK_FALSE(config::canonical_prefix("2001:db8::/129", out));
    CHECK(config::is_community("65535:0"));
    CHECK_FALSE(config::is_community("65536:0"));
    CHECK_FALSE(config::is_community("1:2:3"));
    CHECK(config::is_large_community("4294967295:0:1"));
    CHECK_FALSE(config::is_large_community("4294967296:0:1"));
}

namespace {

// Records every batch; fails while `fail` is set.
class RecordingSidecar : public Sidecar {
  public:
    ApplyResult apply(const std::vector<Announcement>& batch) override {
        batches.push_back(batch);
        if (fail) return {false, "refused for the test", ""};
        return {true, "", "applied"};
    }
    SessionInfo session_state() override { return {SessionState::established, "Established"}; }
    std::string name() const override { return "recording"; }
    void resync() override { ++resyncs; }
    int resyncs = 0;
    std::vector<std::vector<Announcement>> batches;
    bool fail = false;
};

config::BgpConfig machine_config() {
    config::BgpConfig c;
    c.enabled = true;
    c.sidecar = "bird";
    c.prefixes = {{"203.0.113.0/24", {"64500:100"}, {}, 0, 2},
                  {"2001:db8:ffff::/48", {}, {}, 0, 2}};
    c.drain_seconds = 30;
    c.hold_down_seconds = 10;
    return c;
}

const HealthView kHealthy{true, false, ""};

} // namespace

TEST_CASE("Announcer: hold-down, drain, undrain, withdraw; one apply per transition") {
    TempDir t;
    RecordingSidecar sidecar;
    std::vector<std::string> log;
    Announcer a(machine_config(), sidecar, (t.dir / "bgp-state.json").string(),
                [&log](std::string_view, const std::string& m) { log.push_back(m); });
    using namespace std::chrono_literals;
    const auto t0 = Announcer::Clock::now();

    a.tick(t0); // first tick: withdraws everything (the sidecar's state is unknown)
    REQUIRE(sidecar.batches.size() == 1);
    CHECK(sidecar.batches[0].empty());
    CHECK(a.state() == AnnounceState::withdrawn);

    a.set_health(kHealthy, t0 + 1s);
    a.tick(t0 + 5s);
    CHECK(a.state() == AnnounceState::withdrawn); // hold-down
    CHECK(sidecar.batches.size() == 1);
    REQUIRE(a.next_wakeup());
    CHECK(*a.next_wakeup() == t0 + 11s);
    a.tick(t0 + 11s);
    CHECK(a.state() == AnnounceState::announced);
    REQUIRE(sidecar.batches.size() == 2);
    REQUIRE(sidecar.batches[1].size() == 2); // both prefixes in one batch
    CHECK(sidecar.batches[1][0].communities == std::vector<std::string>{"64500:100"});
    a.tick(t0 + 12s);
    CHECK(sidecar.batches.size() == 2); // no churn

    std::string error;
    REQUIRE(a.set_drain(true, t0 + 20s, error));
    CHECK(a.state() == AnnounceState::draining);
    REQUIRE(sidecar.batches.size() == 3);
    CHECK(sidecar.batches[2][0].communities == std::vector<std::string>{"64500:100", "65535:0"});
    CHECK(sidecar.batches[2][0].prepend == 2);
    a.tick(t0 + 49s);
    CHECK(a.state() == AnnounceState::draining);
    a.tick(t0 + 50s);
    CHECK(a.state() == AnnounceState::withdrawn);
    CHECK(sidecar.batches.back().empty());

    // The flag survives a restart (a new Announcer on the same state file).
    {
        RecordingSidecar other;
        Announcer again(machine_config(), other, (t.dir / "bgp-state.json").string(),
                        [](std::string_view, const std::string&) {});
        CHECK(again.drained());
        again.set_health(kHealthy, t0);
        again.tick(t0 + 100s);
        CHECK(again.state() == AnnounceState::withdrawn);
    }

    REQUIRE(a.set_drain(false, t0 + 60s, error));
    a.tick(t0 + 65s);
    CHECK(a.state() == AnnounceState::withdrawn); // hold-down from the undrain
    a.tick(t0 + 70s);
    CHECK(a.state() == AnnounceState::announced);

    // Health fails (local): withdrawn at once.
    a.set_health({false, false, "probe timed out"}, t0 + 80s);
    CHECK(a.state() == AnnounceState::withdrawn);
    a.set_health(kHealthy, t0 + 81s);
    a.tick(t0 + 90s);
    CHECK(a.state() == AnnounceState::withdrawn);
    a.tick(t0 + 91s);
    CHECK(a.state() == AnnounceState::announced);

    // The dataplane dies: withdrawn at once.
    a.dataplane_down(t0 + 95s);
    CHECK(a.state() == AnnounceState::withdrawn);
    CHECK(sidecar.batches.back().empty());
}

TEST_CASE("Announcer: the global-withdrawal guard keeps the prefixes announced") {
    TempDir t;
    RecordingSidecar sidecar;
    std::vector<std::string> log;
    config::BgpConfig c = machine_config();
    c.hold_down_seconds = 0;
    Announcer a(c, sidecar, (t.dir / "s.json").string(),
                [&log](std::string_view, const std::string& m) { log.push_back(m); });
    using namespace std::chrono_literals;
    const auto t0 = Announcer::Clock::now();
    a.set_health(kHealthy, t0);
    CHECK(a.state() == AnnounceState::announced);
    a.set_health({false, true, "every probe target times out"}, t0 + 1s);
    CHECK(a.state() == AnnounceState::announced);
    CHECK(a.guard_active());
    CHECK(a.status(t0)["guard"]["reason"] == "every probe target times out");
    bool logged = false;
    for (const std::string& m : log)
        logged = logged || m.find("global-withdrawal guard") != std::string::npos;
    CHECK(logged);

    config::BgpConfig off = c;
    off.global_withdrawal_guard = false;
    RecordingSidecar other;
    Announcer b(off, other, (t.dir / "s2.json").string(),
                [](std::string_view, const std::string&) {});
    b.set_health(kHealthy, t0);
    b.set_health({false, true, "every probe target times out"}, t0 + 1s);
    CHECK(b.state() == AnnounceState::withdrawn);
    CHECK_FALSE(b.guard_active());
}

TEST_CASE("Announcer: a failed apply keeps the state and is retried") {
    TempDir t;
    RecordingSidecar sidecar;
    config::BgpConfig c = machine_config();
    c.hold_down_seconds = 0;
    Announcer a(c, sidecar, (t.dir / "s.json").string(),
                [](std::string_view, const std::string&) {});
    using namespace std::chrono_literals;
    const auto t0 = Announcer::Clock::now();
    sidecar.fail = true;
    a.set_health(kHealthy, t0);
    CHECK(a.state() == AnnounceState::withdrawn);
    CHECK(a.apply_failures() == 1);
    a.tick(t0 + 1s);
    CHECK(sidecar.batches.size() == 1); // not before kApplyRetry
    sidecar.fail = false;
    a.tick(t0 + kApplyRetry);
    CHECK(a.state() == AnnounceState::announced);
    CHECK(a.status(t0)["last_apply"]["ok"] == true);
}

TEST_CASE("Announcer: a drain the state file cannot record changes nothing") {
    RecordingSidecar sidecar;
    Announcer a(machine_config(), sidecar, "/nonexistent-dir/s.json",
                [](std::string_view, const std::string&) {});
    std::string error;
    CHECK_FALSE(a.set_drain(true, Announcer::Clock::now(), error));
    CHECK(error.find("/nonexistent-dir/s.json") != std::string::npos);
    CHECK_FALSE(a.drained());
}

TEST_CASE("write_file_atomically replaces the whole file") {
    TempDir t;
    const std::string path = (t.dir / "f").string();
    std::string error, text;
    bool missing = false;
    REQUIRE(read_whole_file(path, text, missing, error));
    CHECK(missing);
    REQUIRE(write_file_atomically(path, "one\n", error));
    REQUIRE(write_file_atomically(path, "two\n", error));
    REQUIRE(read_whole_file(path, text, missing, error));
    CHECK(text == "two\n");
    CHECK(std::distance(fs::directory_iterator(t.dir), fs::directory_iterator()) == 1);
}

TEST_CASE("Announcer: a session coming (back) up gets the whole state again") {
    TempDir t;
    RecordingSidecar sidecar;
    config::BgpConfig c = machine_config();
    c.hold_down_seconds = 0;
    Announcer a(c, sidecar, (t.dir / "s.json").string(),
                [](std::string_view, const std::string&) {});
    const auto t0 = Announcer::Clock::now();
    a.set_session({SessionState::established, "Established"}, t0);
    CHECK(sidecar.resyncs == 0); // nothing applied yet: nothing to say again
    a.set_health(kHealthy, t0);
    REQUIRE(a.state() == AnnounceState::announced);
    const size_t applied = sidecar.batches.size();
    a.set_session({SessionState::established, "Established"}, t0);
    CHECK(sidecar.batches.size() == applied); // still up: no churn
    a.set_session({SessionState::unknown, "ExaBGP is not running"}, t0);
    a.set_session({SessionState::established, "Established"}, t0);
    CHECK(sidecar.resyncs == 1);
    REQUIRE(sidecar.batches.size() == applied + 1);
    CHECK(sidecar.batches.back().size() == 2);
    // Down and up between two polls: seen only as a younger session.
    a.set_session({SessionState::established, "established", 100}, t0);
    a.set_session({SessionState::established, "established", 105}, t0 + std::chrono::seconds(5));
    CHECK(sidecar.resyncs == 1); // aged as expected: the same session
    a.set_session({SessionState::established, "established", 2}, t0 + std::chrono::seconds(10));
    CHECK(sidecar.resyncs == 2);
}
