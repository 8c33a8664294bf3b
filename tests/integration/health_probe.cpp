// One health probe, run the way ringcastd runs it (same Probe, same event loop), for the
// integration tests: prints the result as JSON and exits 0 when the check passed, 1 when it
// failed, 2 on bad arguments.
//   health_probe dns|http ADDRESS [--port N] [--name NAME] [--type TYPE] [--host H] [--path P]
//                [--interface IF] [--timeout-ms N]
#include "controlplane/health/probe.h"
#include "controlplane/ringcastd/event_loop.h"
#include "controlplane/ringcastd/health_reactor.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

using namespace ringcast;

int main(int argc, char** argv) {
    CLI::App app("One ringcastd health probe");
    std::string kind, address, name = "example.net.", type = "SOA", host, path = "/", interface;
    int port = 0;
    int timeout_ms = 1500;
    app.add_option("kind", kind, "dns or http")->required()->check(CLI::IsMember({"dns", "http"}));
    app.add_option("address", address, "the VIP")->required();
    app.add_option("--port", port, "default 53 (dns) or 80 (http)")->check(CLI::Range(1, 65535));
    app.add_option("--name", name, "DNS name asked");
    app.add_option("--type", type, "DNS type asked");
    app.add_option("--host", host, "HTTP Host header");
    app.add_option("--path", path, "HTTP path");
    app.add_option("--interface", interface, "SO_BINDTODEVICE");
    app.add_option("--timeout-ms", timeout_ms, "")->check(CLI::Range(1, 60000));
    CLI11_PARSE(app, argc, argv);

    health::ProbeSpec spec;
    spec.kind = kind == "dns" ? health::ProbeSpec::Kind::dns : health::ProbeSpec::Kind::http;
    if (port == 0) port = kind == "dns" ? 53 : 80;
    if (!health::Endpoint::parse(address, static_cast<uint16_t>(port), spec.target) ||
        !health::encode_dns_name(name, spec.qname) || !health::parse_dns_type(type, spec.qtype)) {
        std::cerr << "health_probe: bad address, name or type\n";
        return 2;
    }
    spec.interface = interface;
    spec.http_host = host;
    spec.http_path = path;

    daemon::EventLoop loop;
    daemon::HealthReactor reactor(loop);
    health::Probe probe(reactor, spec);
    std::optional<health::ProbeResult> result;
    probe.start(std::chrono::milliseconds(timeout_ms), [&](health::ProbeResult r) {
        result = std::move(r);
        loop.stop();
    });
    loop.run();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(result->latency).count();
    std::cout << nlohmann::json{{"probe", spec.name()},
                                {"ok", result->ok},
                                {"latency_us", us},
                                {"error", result->error}}
                     .dump()
              << '\n';
    return result->ok ? 0 : 1;
}
