#include "controlplane/ringcastctl/admin_client.h"

#include "controlplane/admin/line_buffer.h"
#include "controlplane/admin/protocol.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace ringcast::ctl {
namespace {

// A reply line can be large (stats of many lcores), but not unbounded.
constexpr size_t kMaxReplyLine = 64 * 1024 * 1024;

class Socket {
  public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) close(fd_);
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

} // namespace

AdminResult admin_call(const std::string& socket_path, nlohmann::json request,
                       std::chrono::milliseconds timeout,
                       const std::function<void(const std::string&)>& on_progress) {
    AdminResult result;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path.size() >= sizeof(address.sun_path)) {
        result.error = fmt::format("socket path too long: {}", socket_path);
        return result;
    }
    std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
    Socket fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0 ||
        connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        result.error =
            fmt::format("cannot reach ringcastd at {}: {}", socket_path, std::strerror(errno));
        return result;
    }

    request["version"] = admin::kProtocolVersion;
    const std::string line = admin::to_line(request);
    size_t sent = 0;
    while (sent < line.size()) {
        const ssize_t n = send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            result.error = fmt::format("sending to ringcastd: {}", std::strerror(errno));
            return result;
        }
        sent += static_cast<size_t>(n);
    }

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    admin::LineBuffer input(kMaxReplyLine);
    std::string reply_line;
    for (;;) {
        // Everything already received first: progress lines and the reply may arrive together.
        switch (input.next(reply_line)) {
        case admin::LineBuffer::Next::too_long:
            result.error = "ringcastd sent a reply over the size cap";
            return result;
        case admin::LineBuffer::Next::line: {
            nlohmann::json reply;
            if (!admin::parse_line(reply_line, reply)) {
                result.error = "ringcastd sent a line that is not JSON";
                return result;
            }
            if (reply.contains("progress") && !reply.contains("ok")) {
                if (on_progress) on_progress(reply.value("progress", ""));
                continue;
            }
            result.reached = true;
            result.reply = std::move(reply);
            return result;
        }
        case admin::LineBuffer::Next::need_more:
            break;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.error =
                fmt::format("no reply from ringcastd within {} s",
                            std::chrono::duration_cast<std::chrono::seconds>(timeout).count());
            return result;
        }
        pollfd p{fd.get(), POLLIN, 0};
        const int ready = poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue; // the deadline check above ends it
        char buffer[64 * 1024];
        const ssize_t n = recv(fd.get(), buffer, sizeof(buffer), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            result.error = "ringcastd closed the connection without a reply";
            return result;
        }
        input.append(std::string_view(buffer, static_cast<size_t>(n)));
    }
}

} // namespace ringcast::ctl
