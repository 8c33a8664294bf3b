// The scheduler's verdicts: rise and fall counts, the latency threshold, every probe needed for
// a healthy PoP, a change reported once, an immediate re-check. Results are fed with record() or
// come from real probes on loopback run by ringcastd's event loop.
#include "controlplane/health/scheduler.h"
#include "controlplane/ringcastd/event_loop.h"
#include "controlplane/ringcastd/health_reactor.h"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ringcast;
using namespace std::chrono_literals;

namespace {

health::ProbeResult good(health::Clock::duration latency = 1ms) {
    return {true, latency, {}};
}
health::ProbeResult bad(const char* why = "timeout") {
    return {false, 1ms, why};
}
// The dataplane answered, wrongly: what every PoP serving the same data would answer.
health::ProbeResult wrong(const char* why = "rcode NXDOMAIN") {
    return {false, 1ms, why, true};
}

health::ProbeSpec dns_spec(const char* host, uint16_t port) {
    health::ProbeSpec spec;
    REQUIRE(health::Endpoint::parse(host, port, spec.target));
    REQUIRE(health::encode_dns_name("example.net.", spec.qname));
    return spec;
}

} // namespace

TEST_CASE("rise/fall: starts unhealthy, rises after `rise` good checks, falls after `fall` bad") {
    health::RiseFall state(2, 3);
    CHECK_FALSE(state.healthy());
    CHECK_FALSE(state.record(true));
    CHECK_FALSE(state.healthy());
    CHECK(state.record(true)); // the second good check in a row: healthy
    CHECK(state.healthy());
    CHECK_FALSE(state.record(false));
    CHECK_FALSE(state.record(false));
    CHECK(state.streak() == 2);
    CHECK_FALSE(state.record(true)); // a good check in between resets the count
    CHECK(state.streak() == 0);
    CHECK_FALSE(state.record(false));
    CHECK_FALSE(state.record(false));
    CHECK(state.healthy());
    CHECK(state.record(false)); // three bad in a row
    CHECK_FALSE(state.healthy());
    CHECK_FALSE(state.record(true));
    CHECK_FALSE(state.record(false)); // rising also needs consecutive good checks
    CHECK_FALSE(state.record(true));
    CHECK(state.record(true));
    CHECK(state.healthy());
}

TEST_CASE("rise/fall of 1: every check decides") {
    health::RiseFall state(1, 1);
    CHECK(state.record(true));
    CHECK(state.record(false));
    CHECK_FALSE(state.record(false));
    CHECK(state.record(true));
}

TEST_CASE("scheduler: healthy only when every probe is; a change is reported when it happens") {
    daemon::EventLoop loop;
    daemon::HealthReactor reactor(loop);
    health::Settings settings;
    settings.rise = 2;
    settings.fall = 2;
    std::vector<bool> changes;
    health::Scheduler scheduler(
        reactor, settings, {dns_spec("203.0.113.53", 53), dns_spec("2001:db8:ffff::53", 53)},
        [&](const health::HealthReport& r) { changes.push_back(r.healthy); });
    const auto& report = scheduler.report();
    REQUIRE(report.probes.size() == 2);
    CHECK(report.probes[0].name == "dns 203.0.113.53:53");
    CHECK(report.probes[1].name == "dns [2001:db8:ffff::53]:53");
    CHECK_FALSE(report.healthy);

    scheduler.record(0, good());
    scheduler.record(0, good());
    CHECK(report.probes[0].healthy);
    CHECK_FALSE(report.healthy); // the IPv6 probe has not risen yet
    scheduler.record(1, good());
    scheduler.record(1, good());
    CHECK(report.healthy);
    CHECK(changes == std::vector<bool>{false, true});

    scheduler.record(1, bad("rcode SERVFAIL"));
    CHECK(report.healthy);
    CHECK(report.probes[1].last.error == "rcode SERVFAIL");
    scheduler.record(1, bad());
    CHECK_FALSE(report.healthy);
    CHECK(report.probes[1].checks == 4);
    CHECK(report.probes[1].failures == 2);
    CHECK(changes.back() == false);
}

TEST_CASE("scheduler: an answer slower than the threshold is a failed check") {
    daemon::EventLoop loop;
    daemon::HealthReactor reactor(loop);
    health::Settings settings;
    settings.threshold = 1000ms;
    settings.rise = 1;
    settings.fall = 1;
    health::Scheduler scheduler(reactor, settings, {dns_spec("203.0.113.53", 53)}, nullptr);
    scheduler.record(0, good(999ms));
    CHECK(scheduler.report().healthy);
    scheduler.record(0, good(1001ms));
    CHECK_FALSE(scheduler.report().healthy);
    CHECK_FALSE(scheduler.report().probes[0].last.ok);
    CHECK(scheduler.report().probes[0].last.error == "slow: 1001 ms over the 1000 ms threshold");
    const auto json = health::to_json(scheduler.report());
    CHECK(json["probes"][0]["last"]["latency_us"] == 1001000);
    CHECK(json["healthy"] == false);
    // Slow is this PoP's own failure: the guard does not take it for a global one.
    CHECK_FALSE(scheduler.report().probes[0].last.wrong_answer);
    CHECK_FALSE(health::failure_looks_global(scheduler.report()));
}

TEST_CASE("scheduler: a failure looks global only when every failing probe got a wrong answer") {
    daemon::EventLoop loop;
    daemon::HealthReactor reactor(loop);
    health::Settings settings;
    settings.rise = 1;
    settings.fall = 1;
    health::Scheduler scheduler(reactor, settings,
                                {dns_spec("203.0.113.53", 53), dns_spec("2001:db8:ffff::53", 53)},
                                nullptr);
    const auto& report = scheduler.report();
    CHECK_FALSE(health::failure_looks_global(report)); // nothing checked yet: no failure seen
    scheduler.record(0, good());
    scheduler.record(1, good());
    REQUIRE(report.healthy);
    CHECK_FALSE(health::failure_looks_global(report));

    // A reload of a bad zone: the first probe asked sees it, the other has not been asked yet.
    scheduler.record(0, wrong());
    CHECK_FALSE(report.healthy);
    CHECK(health::failure_looks_global(report));
    scheduler.record(1, wrong("rcode SERVFAIL"));
    CHECK(health::failure_looks_global(report));

    // One probe timing out makes it this PoP's failure.
    scheduler.record(1, bad("timeout"));
    CHECK_FALSE(health::failure_looks_global(report));
    scheduler.record(1, good());
    CHECK(health::failure_looks_global(report));
    scheduler.record(0, good());
    CHECK(report.healthy);
    CHECK_FALSE(health::failure_looks_global(report));
}

TEST_CASE("scheduler: a probe rising again after wrong answers keeps the failure global") {
    daemon::EventLoop loop;
    daemon::HealthReactor reactor(loop);
    health::Settings settings;
    settings.rise = 2;
    settings.fall = 1;
    health::Scheduler scheduler(reactor, settings,
                                {dns_spec("203.0.113.53", 53), dns_spec("2001:db8:ffff::53", 53)},
                                nullptr);
    const auto& report = scheduler.report();
    for (size_t probe : {0u, 1u}) {
        scheduler.record(probe, good());
        scheduler.record(probe, good());
        scheduler.record(probe, wrong());
    }
    REQUIRE_FALSE(report.healthy);
    REQUIRE(health::failure_looks_global(report));
    // The fixed zone: one passing check each, `rise` not reached. Releasing the guard now
    // would withdraw every PoP just as the fix lands.
    scheduler.record(0, good());
    CHECK_FALSE(report.probes[0].healthy);
    CHECK(health::failure_looks_global(report));
    scheduler.record(1, good());
    CHECK_FALSE(report.healthy);
    CHECK(health::failure_looks_global(report));
    // A timeout while rising is this PoP's own again.
    scheduler.record(1, bad("timeout"));
    CHECK_FALSE(health::failure_looks_global(report));
    scheduler.record(1, good());
    scheduler.record(1, good());
    scheduler.record(0, good());
    CHECK(report.healthy);
}

TEST_CASE("scheduler: probes every interval and at once on recheck(), one query in flight") {
    // A real UDP responder on loopback that answers every query with a good authoritative
    // answer: the first byte pair is the query's ID, the rest comes from the query itself.
    int server = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    REQUIRE(server >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    socklen_t length = sizeof(address);
    getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
    const uint16_t port = ntohs(address.sin_port);

    daemon::EventLoop loop;
    daemon::HealthReactor reactor(loop);
    int queries = 0;
    loop.add(server, EPOLLIN, [&](uint32_t) {
        uint8_t buffer[512];
        sockaddr_in from{};
        socklen_t from_length = sizeof(from);
        const ssize_t n = recvfrom(server, buffer, sizeof(buffer), 0,
                                   reinterpret_cast<sockaddr*>(&from), &from_length);
        if (n < 12) return;
        ++queries;
        buffer[2] = 0x84; // QR, AA
        buffer[7] = 1;    // ANCOUNT (the record itself is not checked by the probe)
        sendto(server, buffer, static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from),
               from_length);
    });
    health::Settings settings;
    settings.interval = 10s; // only the first round and the re-check happen in this test
    settings.rise = 2;
    health::Scheduler scheduler(reactor, settings, {dns_spec("127.0.0.1", port)}, nullptr);
    scheduler.start();
    loop.after(200ms, [&] {
        CHECK(queries == 1);
        CHECK(scheduler.report().probes[0].checks == 1);
        CHECK_FALSE(scheduler.report().healthy); // rise 2: not yet
        scheduler.recheck("dataplane restarted");
    });
    loop.after(400ms, [&] { loop.stop(); });
    loop.run();
    CHECK(queries == 2);
    CHECK(scheduler.report().healthy);
    CHECK(scheduler.report().rechecks == 1);
    CHECK(scheduler.report().last_recheck_reason == "dataplane restarted");
    CHECK(scheduler.report().probes[0].last.ok);
    scheduler.stop();
    loop.remove(server);
    close(server);
}
