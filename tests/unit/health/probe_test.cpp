// The probes on real loopback sockets, run by ringcastd's event loop: DNS answer checks, a
// silent server (timeout), a closed port, HTTP status lines from a listener the test drives.
#include "controlplane/health/probe.h"
#include "controlplane/ringcastd/event_loop.h"
#include "controlplane/ringcastd/health_reactor.h"

#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <cstring>
#include <optional>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ringcast;
using namespace std::chrono_literals;

namespace {

std::vector<uint8_t> name(const char* text) {
    std::vector<uint8_t> wire;
    REQUIRE(health::encode_dns_name(text, wire));
    return wire;
}

// A bound loopback socket of `type`; returns its port.
int loopback_socket(int type, uint16_t& port) {
    int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
    return fd;
}

// Runs one check of `spec` on `loop` and returns its result (bounded by the timeout).
health::ProbeResult run_probe(daemon::EventLoop& loop, health::ProbeSpec spec,
                              health::Clock::duration timeout = 500ms) {
    daemon::HealthReactor reactor(loop);
    health::Probe probe(reactor, std::move(spec));
    std::optional<health::ProbeResult> result;
    probe.start(timeout, [&](health::ProbeResult r) {
        result = std::move(r);
        loop.stop();
    });
    auto guard = loop.after(timeout + 1s, [&] { loop.stop(); });
    loop.run();
    loop.cancel(guard);
    REQUIRE(result);
    CHECK_FALSE(probe.in_flight());
    return *result;
}

health::ProbeSpec spec_for(health::ProbeSpec::Kind kind, uint16_t port) {
    health::ProbeSpec spec;
    spec.kind = kind;
    REQUIRE(health::Endpoint::parse("127.0.0.1", port, spec.target));
    spec.qname = name("example.net.");
    return spec;
}

} // namespace

TEST_CASE("dns names: text to lowercase wire format; bad names refused") {
    CHECK(name("Example.NET.") ==
          std::vector<uint8_t>{7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0});
    CHECK(name("example.net") == name("example.net."));
    CHECK(name(".") == std::vector<uint8_t>{0});
    std::vector<uint8_t> wire;
    CHECK_FALSE(health::encode_dns_name("", wire));
    CHECK_FALSE(health::encode_dns_name("a..b", wire));
    CHECK_FALSE(health::encode_dns_name(std::string(64, 'a') + ".net", wire));
    CHECK_FALSE(health::encode_dns_name("a b.net", wire));
    uint16_t type = 0;
    CHECK((health::parse_dns_type("AAAA", type) && type == 28));
    CHECK_FALSE(health::parse_dns_type("ANY", type));
}

TEST_CASE("dns answers: ID, QR, rcode, question, AA and an answer are all required") {
    const auto query = health::build_dns_query(0x1234, name("example.net."), 6);
    REQUIRE(query.size() == 12 + 13 + 4);
    auto reply = query;
    reply[2] = 0x84; // QR AA
    reply[7] = 1;    // ANCOUNT
    auto check = [&](std::vector<uint8_t> r) {
        return health::check_dns_answer(r.data(), r.size(), query.data(), query.size());
    };
    CHECK(check(reply).empty());
    auto upper = reply;
    upper[13] = 'E'; // RFC 4343: names compare case-insensitively
    CHECK(check(upper).empty());
    struct Case {
        size_t offset;
        uint8_t value;
        const char* error;
    };
    const Case cases[] = {
        {0, 0x99, "wrong ID"},       {2, 0x04, "not a reply"},      {3, 0x03, "rcode NXDOMAIN"},
        {3, 0x02, "rcode SERVFAIL"}, {3, 0x05, "rcode REFUSED"},    {2, 0x80, "not authoritative"},
        {7, 0x00, "no answer"},      {14, 'y', "question differs"}, {5, 0x00, "question missing"},
    };
    for (const Case& c : cases) {
        INFO(c.error);
        auto r = reply;
        r[c.offset] = c.value;
        CHECK(check(r) == c.error);
    }
    CHECK(check({reply.begin(), reply.begin() + 11}) == "short reply");
}

TEST_CASE("dns probe: a good answer from a real socket is ok, with its latency; REFUSED fails") {
    uint16_t port = 0;
    uint8_t rcode = 0;
    int server = loopback_socket(SOCK_DGRAM, port);
    daemon::EventLoop loop;
    loop.add(server, EPOLLIN, [&](uint32_t) {
        uint8_t buffer[512];
        sockaddr_in from{};
        socklen_t length = sizeof(from);
        const ssize_t n = recvfrom(server, buffer, sizeof(buffer), 0,
                                   reinterpret_cast<sockaddr*>(&from), &length);
        if (n < 12) return;
        buffer[2] = 0x84;
        buffer[3] = rcode;
        buffer[7] = 1;
        sendto(server, buffer, static_cast<size_t>(n), 0, reinterpret_cast<sockaddr*>(&from),
               length);
    });
    auto result = run_probe(loop, spec_for(health::ProbeSpec::Kind::dns, port));
    CHECK(result.ok);
    CHECK(result.error.empty());
    CHECK(result.latency > 0ns);
    CHECK(result.latency < 500ms);
    // Regression: a right answer was marked "answered" (as a wrong one is), and once the latency
    // threshold failed it the global-withdrawal guard took a slow PoP for a global failure.
    CHECK_FALSE(result.wrong_answer);
    // Regression: the verdict was read after the error text had been moved away, so a REFUSED
    // answer counted as a good one.
    rcode = 5;
    result = run_probe(loop, spec_for(health::ProbeSpec::Kind::dns, port));
    CHECK_FALSE(result.ok);
    CHECK(result.error == "rcode REFUSED");
    CHECK(result.wrong_answer);
    loop.remove(server);
    close(server);
}

TEST_CASE("dns probe: a silent server is a timeout; a closed port is refused at once") {
    uint16_t port = 0;
    int silent = loopback_socket(SOCK_DGRAM, port);
    daemon::EventLoop loop;
    auto result = run_probe(loop, spec_for(health::ProbeSpec::Kind::dns, port), 200ms);
    CHECK_FALSE(result.ok);
    CHECK(result.error == "timeout");
    CHECK_FALSE(result.wrong_answer);
    CHECK(result.latency >= 200ms);
    close(silent); // now nothing listens on the port: ICMP port unreachable
    result = run_probe(loop, spec_for(health::ProbeSpec::Kind::dns, port), 2s);
    CHECK_FALSE(result.ok);
    CHECK(result.error == "recv: Connection refused");
    CHECK(result.latency < 1s);
}

TEST_CASE("http probe: 200 is ok; another status, garbage or a refused connection fails") {
    struct Case {
        const char* response;
        bool ok;
        const char* error;
    };
    const Case cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, ""},
        {"HTTP/1.0 503 Service Unavailable\r\n\r\n", false, "status 503"},
        {"SSH-2.0-OpenSSH\r\n", false, "not an HTTP status line"},
        {"HTTP/1.1 200", false, "connection closed before the status line"},
    };
    for (const Case& c : cases) {
        INFO(c.response);
        uint16_t port = 0;
        int listener = loopback_socket(SOCK_STREAM, port);
        REQUIRE(listen(listener, 4) == 0);
        daemon::EventLoop loop;
        std::string request;
        int client = -1;
        // The test's server runs on the same loop as the probe, so it never blocks either.
        loop.add(listener, EPOLLIN, [&](uint32_t) {
            client = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (client < 0) return;
            loop.add(client, EPOLLIN, [&](uint32_t) {
                char buffer[1024];
                const ssize_t n = recv(client, buffer, sizeof(buffer), 0);
                if (n > 0) request.append(buffer, static_cast<size_t>(n));
                if (n > 0 && request.find("\r\n\r\n") == std::string::npos) return;
                send(client, c.response, strlen(c.response), MSG_NOSIGNAL);
                loop.remove(client);
                close(client);
                client = -1;
            });
        });
        auto spec = spec_for(health::ProbeSpec::Kind::http, port);
        spec.http_host = "www.example.net";
        const auto result = run_probe(loop, spec);
        CHECK(result.ok == c.ok);
        CHECK(result.error == c.error);
        CHECK(request.rfind("GET / HTTP/1.1\r\nHost: www.example.net\r\n", 0) == 0);
        if (client >= 0) {
            loop.remove(client);
            close(client);
        }
        loop.remove(listener);
        close(listener);
    }

    uint16_t port = 0;
    int unused = loopback_socket(SOCK_STREAM, port); // bound, not listening: refused
    daemon::EventLoop loop;
    const auto result = run_probe(loop, spec_for(health::ProbeSpec::Kind::http, port));
    CHECK_FALSE(result.ok);
    CHECK(result.error == "connect: Connection refused");
    close(unused);
}
