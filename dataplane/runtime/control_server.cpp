#include "dataplane/runtime/control_server.h"

#include "dataplane/stats/counter_sections.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace ringcast::runtime {
namespace {

using nlohmann::json;

json error_reply(const std::string& message) {
    return json{{"ok", false}, {"error", message}};
}

std::string mac_text(const net::MacAddress& mac) {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3],
                       mac[4], mac[5]);
}

json counters_json(const stats::LcoreCounters& c) {
    json out = json::object();
    for (const stats::CounterSection& section : stats::kCounterSections) {
        json group = json::object();
        const uint64_t* values = section.values(c);
        for (size_t i = 0; i < section.size; ++i)
            group[std::string(section.name(i))] = values[i];
        out[std::string(section.key)] = std::move(group);
    }
    return out;
}

json handle_load(SharedState& state, const json& request) {
    if (!request.contains("snapshot") || !request["snapshot"].is_string())
        return error_reply("load: \"snapshot\" (a file path) is required");
    if (request.contains("content") && !request["content"].is_string())
        return error_reply("load: \"content\" must be a file path");
    const std::string path = request["snapshot"];
    std::string error;
    // Both are opened and verified before either is published: a bad content file leaves the
    // zones as they were too.
    auto next = snapshot::Snapshot::open_file(path, error);
    if (!next) return error_reply(error); // the current snapshot keeps being served
    std::unique_ptr<content::Snapshot> content;
    if (request.contains("content")) {
        content = content::Snapshot::open_file(request["content"].get<std::string>(), error);
        if (!content) return error_reply(error);
    }
    const uint64_t generation = next->header().generation;
    const uint64_t content_generation = content ? content->view().generation() : 0;
    std::string warning;
    const uint64_t previous = state.publisher.publish(std::move(next), std::move(content), warning);
    fmt::print("ringcast-dataplane: snapshot generation {} replaced generation {}\n", generation,
               previous);
    std::fflush(stdout);
    json reply{{"ok", true}, {"generation", generation}, {"previous_generation", previous}};
    if (request.contains("content")) reply["content_generation"] = content_generation;
    if (!warning.empty()) reply["warning"] = warning;
    return reply;
}

json handle_status(SharedState& state, const json&) {
    json lcores = json::array(), stalled = json::array(), ports = json::array();
    const uint64_t now = rte_rdtsc();
    const uint64_t stall_cycles = rte_get_tsc_hz() * kStalledLcoreMs / 1000;
    unsigned lcore;
    uint64_t connections = 0;
    RTE_LCORE_FOREACH(lcore) {
        lcores.push_back(lcore);
        connections += state.heartbeat[lcore].tcp_connections_open.load(std::memory_order_relaxed);
        const uint64_t last = state.heartbeat[lcore].last_loop_tsc.load(std::memory_order_relaxed);
        // Signed: the TSCs of two cores (a VM's especially) may disagree by a little either way.
        const auto behind = static_cast<int64_t>(now - last);
        if (last == 0 || behind > static_cast<int64_t>(stall_cycles)) stalled.push_back(lcore);
    }
    for (const auto& port : state.ports)
        ports.push_back({{"name", port.name},
                         {"mac", mac_text(port.mac)},
                         {"queues", port.queues},
                         {"rss", port.rss}});
    // The control thread is the only publisher, so the content read here stays mapped.
    const content::View& content = state.publisher.current_content()->view();
    const json content_status{{"generation", content.generation()},
                              {"sites", content.site_count()},
                              {"objects", content.object_count()},
                              {"body_bytes", content.body_bytes()},
                              {"retired_still_pinned", state.publisher.retired_content()}};
    return json{{"ok", true},
                {"generation", state.publisher.generation()},
                {"created_unix", state.publisher.created_unix()},
                {"content", content_status},
                {"tcp_connections_open", connections},
                {"lcores", lcores},
                {"ports", ports},
                {"healthy", stalled.empty()},
                {"stalled_lcores", stalled}};
}

json handle_stats(SharedState& state, const json&) {
    json lcores = json::array();
    unsigned lcore;
    RTE_LCORE_FOREACH(lcore) {
        json entry = counters_json(state.lcore_counters(lcore));
        entry["lcore"] = lcore;
        lcores.push_back(entry);
    }
    return json{{"ok", true}, {"lcores", lcores}};
}

struct Command {
    const char* name;
    json (*handler)(SharedState&, const json&);
};
constexpr Command kCommands[] = {
    {"load", handle_load},
    {"status", handle_status},
    {"stats", handle_stats},
};

constexpr int kListenBacklog = 8;

} // namespace

ControlServer::~ControlServer() {
    stop();
}

std::string ControlServer::handle_request(const std::string& line) {
    json request = json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object())
        return error_reply("request is not a JSON object").dump();
    if (!request.contains("cmd") || !request["cmd"].is_string())
        return error_reply("request has no \"cmd\"").dump();
    const std::string cmd = request["cmd"];
    for (const auto& command : kCommands)
        if (cmd == command.name) return command.handler(state_, request).dump();
    return error_reply("unknown command \"" + cmd + "\"").dump();
}

bool ControlServer::start(const std::string& path, std::string& error) {
    sockaddr_un address{};
    if (path.size() >= sizeof(address.sun_path)) {
        error = "control socket path too long: " + path;
        return false;
    }
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    // Every descriptor first, so that a failure leaves no socket file behind.
    UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake) {
        error = fmt::format("eventfd: {}", std::strerror(errno));
        return false;
    }
    UniqueFd listener(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!listener) {
        error = fmt::format("control socket: {}", std::strerror(errno));
        return false;
    }
    unlink(path.c_str()); // a socket left by a previous, killed dataplane
    const mode_t old_umask = umask(0077);
    const bool bound =
        bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        listen(listener.get(), kListenBacklog) == 0;
    const int bind_errno = errno;
    umask(old_umask);
    if (!bound) {
        error = fmt::format("control socket {}: {}", path, std::strerror(bind_errno));
        return false;
    }
    listener_ = std::move(listener);
    wake_ = std::move(wake);
    path_ = path;
    if (!thread_.start("rc-control", [this] { run(); })) {
        error = "cannot start the control thread";
        listener_.reset();
        wake_.reset();
        return false;
    }
    return true;
}

void ControlServer::stop() {
    if (!thread_.joinable()) return;
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_.get(), &one, sizeof(one));
    thread_.join();
    listener_.reset();
    wake_.reset();
    unlink(path_.c_str());
}

void ControlServer::run() {
    ControlConnections connections(
        [this](const std::string& line) { return handle_request(line); });
    connections.serve(listener_.get(), wake_.get());
}

} // namespace ringcast::runtime
