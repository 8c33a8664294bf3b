// [health]: defaults, every key read, and bad values refused with the key named.
#include "controlplane/config/config.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace ringcast;
namespace fs = std::filesystem;

namespace {

bool load(const std::string& extra, config::Config& out, std::vector<std::string>& errors) {
    char pattern[] = "/tmp/ringcast-health-config.XXXXXX";
    const fs::path dir = mkdtemp(pattern);
    std::ofstream(dir / "ringcast.toml") << R"([pop]
name = "pop-t"
[dataplane]
ports = ["net_af_xdp0,iface=srv0"]
vips = ["203.0.113.53"]
[[zone]]
origin = "example.net."
file = "example.net.zone"
)" << extra;
    const bool ok = config::load_config((dir / "ringcast.toml").string(), out, errors);
    fs::remove_all(dir);
    return ok;
}

} // namespace

TEST_CASE("config: [health] defaults; dns_name defaults to the first zone's origin") {
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(load("", c, errors));
    CHECK_FALSE(c.health.enabled); // no [health]: no probes run
    CHECK(c.health.interval_ms == 500);
    CHECK(c.health.threshold_ms == 1000);
    CHECK(c.health.timeout_ms == 1500);
    CHECK(c.health.rise == 2);
    CHECK(c.health.fall == 2);
    CHECK(c.health.dns_name == "example.net.");
    CHECK(c.health.dns_type == "SOA");
    CHECK(c.health.interface.empty());
    CHECK_FALSE(c.health.http);
}

TEST_CASE("config: [health] keys are read") {
    config::Config c;
    std::vector<std::string> errors;
    REQUIRE(load(R"([health]
interval_ms = 250
threshold_ms = 2000
rise = 3
fall = 1
dns_name = "www.example.net"
dns_type = "A"
dns_port = 5353
interface = "probe0"
http = true
http_host = "www.example.net"
http_path = "/index.html"
http_port = 8080
)",
                 c, errors));
    CHECK(c.health.enabled);
    CHECK(c.health.interval_ms == 250);
    CHECK(c.health.threshold_ms == 2000);
    CHECK(c.health.timeout_ms == 2000); // raised to the threshold when not given
    CHECK(c.health.rise == 3);
    CHECK(c.health.fall == 1);
    CHECK(c.health.dns_name == "www.example.net");
    CHECK(c.health.dns_type == "A");
    CHECK(c.health.dns_port == 5353);
    CHECK(c.health.interface == "probe0");
    CHECK(c.health.http);
    CHECK(c.health.http_host == "www.example.net");
    CHECK(c.health.http_path == "/index.html");
    CHECK(c.health.http_port == 8080);
}

TEST_CASE("config: bad [health] values are errors naming the key") {
    struct Case {
        const char* toml;
        const char* error;
    };
    const Case cases[] = {
        {"interval_ms = 10", "[health] interval_ms: expected an integer from 50 to 60000"},
        {"interval_ms = \"fast\"", "[health] interval_ms: expected an integer"},
        {"threshold_ms = 0", "[health] threshold_ms: expected an integer from 1 to 60000"},
        {"timeout_ms = 500", "[health] timeout_ms: 500 is below threshold_ms (1000)"},
        {"rise = 0", "[health] rise: expected an integer from 1 to 100"},
        {"fall = 101", "[health] fall: expected an integer from 1 to 100"},
        {"dns_name = \"a..b\"", "[health] dns_name: \"a..b\" is not a domain name"},
        {"dns_type = \"ANY\"", "[health] dns_type: \"ANY\" is not one of"},
        {"dns_port = 0", "[health] dns_port: expected an integer from 1 to 65535"},
        {"interface = \"a-very-long-interface\"", "[health] interface:"},
        {"http = 1", "[health] http: expected true or false"},
        {"http_host = \"WWW\"", "[health] http_host: \"WWW\" is not a host name"},
        {"http_path = \"index.html\"", "[health] http_path: must start with /"},
        {"http_path = \"/a b\"", "[health] http_path: must start with /"},
    };
    for (const Case& c : cases) {
        INFO(c.toml);
        config::Config out;
        std::vector<std::string> errors;
        CHECK_FALSE(load(std::string("[health]\n") + c.toml + "\n", out, errors));
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].find(c.error) != std::string::npos);
    }
}
