// The counters as ringcastctl stats, --json and Prometheus show them: all three from the same
// tables in dataplane/stats/counters.h.
#include "controlplane/admin/counter_view.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace ringcast;
using nlohmann::json;

namespace {

admin::CounterSample two_lcores() {
    admin::CounterSample sample;
    auto& a = sample.lcores.emplace_back();
    a.lcore = 1;
    a.counters.add(stats::Counter::rx_packets, 10);
    a.counters.count_drop(stats::DropReason::eth_truncated);
    a.counters.count_rcode(3);
    auto& b = sample.lcores.emplace_back();
    b.lcore = 2;
    b.counters.add(stats::Counter::rx_packets, 5);
    b.counters.count_rcode(0);
    return sample;
}

} // namespace

TEST_CASE("counters: the dataplane's stats reply is read by name") {
    const json reply = json::parse(R"({"ok":true,"lcores":[
        {"lcore":2,"counters":{"rx_packets":7,"not_a_counter_yet":1},"drops":{"udp_truncated":3},
         "rcodes":{"NXDOMAIN":4}},
        {"lcore":1,"counters":{"tx_packets":9}}]})");
    admin::CounterSample sample;
    std::string error;
    REQUIRE(admin::counters_from_json(reply, sample, error));
    REQUIRE(sample.lcores.size() == 2);
    CHECK(sample.lcores[0].lcore == 1); // sorted
    CHECK(sample.lcores[0].counters.get(stats::Counter::tx_packets) == 9);
    CHECK(sample.lcores[1].counters.get(stats::Counter::rx_packets) == 7);
    CHECK(sample.lcores[1].counters.get(stats::DropReason::udp_truncated) == 3);
    CHECK(sample.lcores[1].counters.dns_rcode[3] == 4);
    CHECK(sample.total().get(stats::Counter::rx_packets) == 7);
}

TEST_CASE("counters: a reply of the wrong shape is an error") {
    admin::CounterSample sample;
    std::string error;
    CHECK_FALSE(admin::counters_from_json(json::parse(R"({"ok":true})"), sample, error));
    CHECK_FALSE(
        admin::counters_from_json(json::parse(R"({"lcores":[{"counters":{}}]})"), sample, error));
    CHECK_FALSE(admin::counters_from_json(json::parse(R"({"lcores":[{"lcore":1,"drops":[]}]})"),
                                          sample, error));
}

TEST_CASE("counters: JSON out reads back the same, with a total") {
    const admin::CounterSample sample = two_lcores();
    const json out = admin::counters_to_json(sample);
    CHECK(out["total"]["counters"]["rx_packets"] == 15);
    CHECK(out["total"]["drops"]["eth_truncated"] == 1);
    CHECK(out["total"]["rcodes"]["NXDOMAIN"] == 1);
    CHECK(out["lcores"].size() == 2);
    // Every counter of the tables is present, also when zero.
    CHECK(out["total"]["counters"].size() == stats::kCounterCount);
    CHECK(out["total"]["drops"].size() == stats::kDropReasonCount);
    admin::CounterSample back;
    std::string error;
    REQUIRE(admin::counters_from_json(out, back, error));
    CHECK(back.total().get(stats::Counter::rx_packets) == 15);
}

TEST_CASE("counters: Prometheus text is well formed, one HELP and TYPE per family") {
    const std::string text = admin::render_counters_prometheus(two_lcores());
    const std::regex sample_line(
        R"(^[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\} [0-9]+$)");
    const std::regex help_line(R"(^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    const std::regex type_line(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) counter$)");
    std::set<std::string> families;
    std::istringstream lines(text);
    std::string line;
    size_t samples = 0;
    while (std::getline(lines, line)) {
        std::smatch m;
        if (std::regex_match(line, m, type_line)) {
            CHECK(families.insert(m[1]).second); // never declared twice
            continue;
        }
        if (std::regex_match(line, help_line)) continue;
        INFO(line);
        CHECK(std::regex_match(line, sample_line));
        ++samples;
    }
    CHECK(families.count("ringcast_rx_packets_total") == 1);
    CHECK(families.count("ringcast_drops_total") == 1);
    CHECK(families.count("ringcast_dns_responses_total") == 1);
    CHECK(samples == 2 * (stats::kCounterCount + stats::kDropReasonCount + stats::kRcodeSlots +
                          stats::kQtypeSlots + stats::kXdpVerdictCount));
    CHECK(families.count("ringcast_dns_queries_total") == 1);
    CHECK(families.count("ringcast_xdp_verdicts_total") == 1);
    CHECK(text.find("ringcast_rx_packets_total{lcore=\"2\"} 5\n") != std::string::npos);
    CHECK(text.find("ringcast_drops_total{reason=\"eth_truncated\",lcore=\"1\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("ringcast_dns_responses_total{rcode=\"NXDOMAIN\",lcore=\"1\"} 1\n") !=
          std::string::npos);
    CHECK(text.find("# HELP ringcast_rx_packets_total Frames received from the port\n") !=
          std::string::npos);
}

TEST_CASE("counters: the table shows lcores and the total, and only drops that happened") {
    const std::string text = admin::render_counters_text(two_lcores());
    CHECK(text.find("lcore 1") != std::string::npos);
    CHECK(text.find("lcore 2") != std::string::npos);
    CHECK(text.find("total") != std::string::npos);
    CHECK(std::regex_search(text, std::regex(R"(\nrx_packets +10 +5 +15\n)")));
    CHECK(std::regex_search(text, std::regex(R"(\n  eth_truncated +1 +0 +1\n)")));
    CHECK(text.find("udp_truncated") == std::string::npos);
    CHECK(std::regex_search(text, std::regex(R"(\n  NOERROR +0 +1 +1\n)")));
}

// Regression: an RCODE past the table (an extended RCODE such as 4095) was counted as NOERROR.
TEST_CASE("counters: an RCODE without a slot of its own is counted as OTHER, not NOERROR") {
    admin::CounterSample sample;
    auto& lcore = sample.lcores.emplace_back();
    lcore.lcore = 1;
    lcore.counters.count_rcode(4095);
    lcore.counters.count_rcode(24);
    lcore.counters.count_rcode(23); // BADCOOKIE, the last named one
    const std::string text = admin::render_counters_prometheus(sample);
    CHECK(text.find("ringcast_dns_responses_total{rcode=\"NOERROR\",lcore=\"1\"} 0\n") !=
          std::string::npos);
    CHECK(text.find("ringcast_dns_responses_total{rcode=\"OTHER\",lcore=\"1\"} 2\n") !=
          std::string::npos);
    CHECK(text.find("ringcast_dns_responses_total{rcode=\"BADCOOKIE\",lcore=\"1\"} 1\n") !=
          std::string::npos);
    const json out = admin::counters_to_json(sample);
    CHECK(out["total"]["rcodes"]["OTHER"] == 2);
    CHECK(out["total"]["rcodes"]["NOERROR"] == 0);
}
