// The admin socket as a client sees it, with the real AdminServer on a real Unix socket and the
// event loop on this thread; the clients run on another thread. The handler is a stand-in for
// ringcastd's commands: "echo" answers at once, "later" after 100 ms, "big" with 256 KiB.
#include "controlplane/admin/protocol.h"
#include "controlplane/ringcastd/admin_server.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>

using namespace ringcast;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int kReadTimeoutMs = 5000;

int connect_to(const std::string& path) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    return fd;
}

void send_all(int fd, const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return; // the server may close first; the test checks what it received
        sent += static_cast<size_t>(n);
    }
}

// Reads one line; "" on EOF, error or timeout.
std::string read_line(int fd) {
    std::string line;
    char c;
    while (true) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, kReadTimeoutMs) <= 0) return "";
        if (recv(fd, &c, 1, 0) != 1) return "";
        if (c == '\n') return line;
        line.push_back(c);
    }
}

json reply_of(int fd) {
    const std::string line = read_line(fd);
    return line.empty() ? json() : json::parse(line);
}

bool at_eof(int fd) {
    char buffer[65536];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, kReadTimeoutMs) <= 0) return false;
        const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) return true;
    }
}

// Runs the server's loop here and `client` on a thread until it returns.
struct Fixture {
    fs::path dir;
    std::string path;
    daemon::EventLoop loop;
    daemon::AdminServer server;
    Fixture()
        : server(loop, [this](const admin::Request& request, const daemon::Responder& responder) {
              handle(request, responder);
          }) {
        char pattern[] = "/tmp/ringcast-admin-test.XXXXXX";
        dir = mkdtemp(pattern);
        path = (dir / "admin.sock").string();
        std::string error;
        REQUIRE(server.listen(path, error));
    }
    ~Fixture() {
        server.shutdown();
        fs::remove_all(dir);
    }

    void handle(const admin::Request& request, const daemon::Responder& responder) {
        json reply = admin::ok_reply();
        reply["cmd"] = request.cmd;
        if (request.cmd == "later") {
            loop.after(std::chrono::milliseconds(100), [responder, reply] {
                responder.progress("half way");
                responder.reply(reply);
            });
            return;
        }
        if (request.cmd == "big") reply["data"] = std::string(256 * 1024, 'x');
        responder.reply(reply);
    }

    void run(const std::function<void()>& client) {
        std::atomic<bool> done{false};
        std::thread thread([&] {
            client();
            done = true;
        });
        std::function<void()> poll_done = [&] {
            if (done) return loop.stop();
            loop.after(std::chrono::milliseconds(10), poll_done);
        };
        loop.after(std::chrono::milliseconds(10), poll_done);
        loop.run();
        thread.join();
    }
};

} // namespace

TEST_CASE("admin socket: mode 0660; requests on one connection answered in order") {
    Fixture f;
    struct stat st {};
    REQUIRE(stat(f.path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0660);
    f.run([&] {
        const int fd = connect_to(f.path);
        send_all(fd, "{\"version\":1,\"cmd\":\"later\"}\necho\n");
        CHECK(reply_of(fd)["progress"] == "half way");
        CHECK(reply_of(fd)["cmd"] == "later");
        CHECK(reply_of(fd)["cmd"] == "echo");
        close(fd);
    });
}

TEST_CASE("admin socket: garbage gets error replies and the connection keeps working") {
    Fixture f;
    f.run([&] {
        const int fd = connect_to(f.path);
        send_all(fd, std::string("\x01\x02\xff\n") + "{bad json\n" +
                         "{\"version\":9,\"cmd\":\"echo\"}\n" + "echo\n");
        CHECK(reply_of(fd)["code"] == admin::code::kBadRequest);
        CHECK(reply_of(fd)["code"] == admin::code::kBadRequest);
        CHECK(reply_of(fd)["code"] == admin::code::kUnsupportedVersion);
        CHECK(reply_of(fd)["ok"] == true);
        close(fd);
    });
}

TEST_CASE("admin socket: a line over 64 KiB gets an error, then the connection is closed") {
    Fixture f;
    f.run([&] {
        const int fd = connect_to(f.path);
        send_all(fd, std::string(admin::kMaxRequestLine + 4096, 'a'));
        CHECK(reply_of(fd)["code"] == admin::code::kTooLong);
        CHECK(at_eof(fd));
        close(fd);
        const int next = connect_to(f.path);
        send_all(next, "echo\n");
        CHECK(reply_of(next)["ok"] == true);
        close(next);
    });
}

TEST_CASE("admin socket: a half-closed client still gets its replies") {
    Fixture f;
    f.run([&] {
        const int fd = connect_to(f.path);
        send_all(fd, "later\n");
        shutdown(fd, SHUT_WR); // as socat does after its input
        CHECK(reply_of(fd)["progress"] == "half way");
        CHECK(reply_of(fd)["cmd"] == "later");
        CHECK(at_eof(fd));
        close(fd);
    });
}

TEST_CASE("admin socket: half a request then a disconnect leaves nothing behind") {
    Fixture f;
    f.run([&] {
        for (int i = 0; i < 20; ++i) {
            const int fd = connect_to(f.path);
            send_all(fd, "{\"version\":1,\"cm");
            close(fd);
        }
        const int fd = connect_to(f.path);
        send_all(fd, "echo\n");
        CHECK(reply_of(fd)["ok"] == true);
        close(fd);
    });
    CHECK(f.server.clients() <= 1);
}

TEST_CASE("admin socket: 100 clients at once") {
    Fixture f;
    f.run([&] {
        std::vector<int> fds;
        for (int i = 0; i < 100; ++i)
            fds.push_back(connect_to(f.path));
        for (int fd : fds)
            send_all(fd, "later\n");
        int answered = 0;
        for (int fd : fds) {
            json progress = reply_of(fd);
            if (reply_of(fd)["cmd"] == "later") ++answered;
            close(fd);
        }
        CHECK(answered == 100);
    });
}

TEST_CASE("admin socket: a client that does not read is dropped; the others are served") {
    Fixture f;
    f.run([&] {
        const int slow = connect_to(f.path);
        // 64 replies of 256 KiB = 16 MiB, far beyond the output cap and the socket buffers.
        std::string requests;
        for (int i = 0; i < 64; ++i)
            requests += "big\n";
        send_all(slow, requests);
        const int other = connect_to(f.path);
        send_all(other, "echo\n");
        CHECK(reply_of(other)["ok"] == true);
        close(other);
        CHECK(at_eof(slow)); // dropped: what it reads ends
        close(slow);
    });
}

TEST_CASE("admin socket: a live socket is not taken over; a stale one is") {
    Fixture f;
    daemon::EventLoop loop;
    daemon::AdminServer second(loop, [](const admin::Request&, const daemon::Responder&) {});
    std::string error;
    CHECK_FALSE(second.listen(f.path, error));
    CHECK(error.find("another daemon") != std::string::npos);
    f.server.shutdown();
    // A socket file nobody listens on (a daemon killed with SIGKILL) is replaced.
    const int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, f.path.c_str(), sizeof(address.sun_path) - 1);
    REQUIRE(bind(stale, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    close(stale);
    CHECK(second.listen(f.path, error));
}
