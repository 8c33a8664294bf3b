// The dataplane's control socket connections (dataplane/runtime/control_connections.h) on a real
// Unix socket, served on a thread of their own as the control thread serves them. The handler is
// a stand-in for the dataplane's commands: "ping" answers "pong", "big" 64 KiB.
#include "dataplane/runtime/control_connections.h"
#include "dataplane/util/unique_fd.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <thread>

using namespace ringcast;
namespace fs = std::filesystem;

namespace {

// How long a second client may wait for its reply while the first one reads nothing. The
// control thread also serves `load`: ringcastd gives that 10 s (kLoadTimeout), so an answer
// within a fraction of that is "not stalled".
constexpr int kServedWithinMs = 2000;
constexpr size_t kBigReply = 64 * 1024;
constexpr int kUnreadRequests = 256; // 16 MiB of replies: past the cap and any socket buffer

UniqueFd connect_to(const std::string& path) {
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    REQUIRE(connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    return fd;
}

void send_all(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return; // the server may have dropped this client; the test checks that
        sent += static_cast<size_t>(n);
    }
}

// One line, or "" when nothing complete arrives within `timeout_ms` in all.
std::string read_line(int fd, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::string line;
    char c;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{fd, POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
        if (recv(fd, &c, 1, 0) != 1) return "";
        if (c == '\n') return line;
        line.push_back(c);
    }
}

// A listening socket in a fresh directory and the connections served on a thread. Stopping
// closes the clients that `unblock` names first, so a server stuck writing to one of them (the
// defect this guards) still returns and the thread can be joined.
struct Server {
    fs::path dir;
    std::string path;
    UniqueFd listener;
    UniqueFd wake{eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)};
    runtime::ControlConnections connections{[](const std::string& line) {
        return line == "big" ? std::string(kBigReply, 'x') : std::string("pong");
    }};
    std::thread thread;
    // Clients the server owns from the test on: closed first when it stops (their fds outlive
    // the test's locals, which are destroyed before the server).
    std::vector<UniqueFd> unblock;

    Server() {
        char pattern[] = "/tmp/ringcast-control-test.XXXXXX";
        dir = mkdtemp(pattern);
        path = (dir / "control.sock").string();
        listener.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
        REQUIRE(bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
        REQUIRE(listen(listener.get(), 8) == 0);
        thread = std::thread([this] { connections.serve(listener.get(), wake.get()); });
    }
    ~Server() {
        for (UniqueFd& fd : unblock)
            fd.reset();
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t n = write(wake.get(), &one, sizeof(one));
        thread.join();
        fs::remove_all(dir);
    }
};

} // namespace

TEST_CASE("control socket: requests on one connection are answered in order") {
    Server server;
    UniqueFd client = connect_to(server.path);
    send_all(client.get(), "ping\nbig\nping\n");
    CHECK(read_line(client.get(), kServedWithinMs) == "pong");
    CHECK(read_line(client.get(), kServedWithinMs).size() == kBigReply);
    CHECK(read_line(client.get(), kServedWithinMs) == "pong");
}

// Regression: replies were sent blocking, so a client that never read stalled the control
// thread, and with it every other client, `load` from ringcastd included.
TEST_CASE("control socket: a client that never reads does not stop another being served") {
    Server server;
    server.unblock.push_back(connect_to(server.path));
    const int slow_fd = server.unblock.back().get();
    std::string requests;
    for (int i = 0; i < kUnreadRequests; ++i)
        requests += "big\n";
    send_all(slow_fd, requests);
    UniqueFd other = connect_to(server.path);
    send_all(other.get(), "ping\n");
    CHECK(read_line(other.get(), kServedWithinMs) == "pong");
    CHECK(server.connections.clients_dropped() == 1);
}

TEST_CASE("control socket: a client that half-closes still gets its replies") {
    Server server;
    UniqueFd client = connect_to(server.path);
    send_all(client.get(), "ping\nping\n");
    shutdown(client.get(), SHUT_WR);
    CHECK(read_line(client.get(), kServedWithinMs) == "pong");
    CHECK(read_line(client.get(), kServedWithinMs) == "pong");
}
