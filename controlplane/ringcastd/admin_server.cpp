#include "controlplane/ringcastd/admin_server.h"

#include "controlplane/ringcastd/accept.h"
#include "controlplane/ringcastd/log.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

namespace ringcast::daemon {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerWakeup = 4; // then let other clients run (level-triggered: we return)
constexpr int kMaxAcceptsPerWakeup = 64;
constexpr int kListenBacklog = 128;
constexpr mode_t kSocketMode = 0660; // owner and group (the operators' group) only

bool fill_address(const std::string& path, sockaddr_un& address, std::string& error) {
    address = {};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(address.sun_path)) {
        error = fmt::format("socket path \"{}\" must be 1 to {} bytes", path,
                            sizeof(address.sun_path) - 1);
        return false;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    return true;
}

// True if something accepts connections on `address`.
bool is_live(const sockaddr_un& address) {
    UniqueFd probe(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    return probe &&
           connect(probe.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
}

} // namespace

class AdminClient : public std::enable_shared_from_this<AdminClient> {
  public:
    AdminClient(AdminServer& server, uint64_t id, UniqueFd fd)
        : server_(server), id_(id), fd_(std::move(fd)), input_(admin::kMaxRequestLine),
          last_activity_(EventLoop::Clock::now()) {}

    void start() {
        server_.loop_.add(fd_.get(), EPOLLIN, [this](uint32_t events) { on_event(events); });
    }
    void stop() { server_.loop_.remove(fd_.get()); }

    void send(std::string line) {
        if (closed_) return;
        if (output_.size() - written_ + line.size() > kMaxOutputBuffer) {
            log::info("admin client {}: not reading its replies; dropped", id_);
            return close();
        }
        output_ += line;
        flush();
    }

    void request_done() {
        busy_ = false;
        last_activity_ = EventLoop::Clock::now();
        process_lines();
        update_interest();
    }

    // Timeouts, called once a second.
    void check(EventLoop::Clock::time_point now) {
        if (output_.size() > written_ && now - last_write_ > kWriteStallTimeout) {
            log::info("admin client {}: replies not read for {} s; dropped", id_,
                      std::chrono::seconds(kWriteStallTimeout).count());
            return close();
        }
        if (!busy_ && now - last_activity_ > kIdleTimeout) close();
    }

    bool closed() const { return closed_; }

  private:
    void on_event(uint32_t events) {
        // HUP: the peer closed both directions, so no reply can reach it (a half-close, as
        // `socat` does after its request, is an EOF on read instead and still gets its replies).
        // Closing now also stops level-triggered HUP events while a request is in flight.
        if (events & (EPOLLHUP | EPOLLERR)) return close();
        if (events & EPOLLOUT) flush();
        if (closed_) return;
        if (events & EPOLLIN) read_some();
    }

    void read_some() {
        char buffer[kReadChunk];
        for (int i = 0; i < kMaxReadsPerWakeup && !busy_ && !closing_; ++i) {
            const ssize_t n = recv(fd_.get(), buffer, sizeof(buffer), 0);
            if (n > 0) {
                input_.append(std::string_view(buffer, static_cast<size_t>(n)));
                last_activity_ = EventLoop::Clock::now();
                process_lines();
                if (closed_) return;
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
            // EOF (or an error): answer what was complete, forget a half line.
            read_closed_ = true;
            process_lines();
            if (closed_) return;
            if (!busy_) closing_ = true;
            break;
        }
        update_interest();
        if (closing_ && output_.size() == written_) close();
    }

    void process_lines() {
        std::string line;
        while (!busy_ && !closing_ && !closed_) {
            switch (input_.next(line)) {
            case admin::LineBuffer::Next::need_more:
                if (read_closed_) closing_ = true;
                return;
            case admin::LineBuffer::Next::too_long:
                send(admin::to_line(admin::error_reply(
                    admin::code::kTooLong,
                    fmt::format("request line longer than {} bytes", admin::kMaxRequestLine))));
                closing_ = true;
                return;
            case admin::LineBuffer::Next::line:
                break;
            }
            if (line.find_first_not_of(" \t") == std::string::npos) continue;
            nlohmann::json error;
            const auto request = admin::parse_request(line, error);
            if (!request) {
                send(admin::to_line(error));
                continue;
            }
            busy_ = true;
            server_.handler_(*request, Responder(weak_from_this()));
        }
    }

    void flush() {
        while (written_ < output_.size()) {
            const ssize_t n = ::send(fd_.get(), output_.data() + written_,
                                     output_.size() - written_, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                written_ += static_cast<size_t>(n);
                last_write_ = EventLoop::Clock::now();
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
            return close(); // EPIPE, ECONNRESET: the client is gone
        }
        if (written_ == output_.size()) {
            output_.clear();
            written_ = 0;
            last_write_ = EventLoop::Clock::now();
            if (closing_ && !busy_) return close();
        }
        update_interest();
    }

    void update_interest() {
        if (closed_) return;
        uint32_t events = 0;
        // While a request is in flight its successors wait in the kernel's buffer: reading them
        // now would only grow ours.
        if (!busy_ && !closing_) events |= EPOLLIN;
        if (output_.size() > written_) events |= EPOLLOUT;
        server_.loop_.modify(fd_.get(), events);
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        server_.clients_.drop(id_); // may destroy *this: nothing after this line
    }

    AdminServer& server_;
    uint64_t id_;
    UniqueFd fd_;
    admin::LineBuffer input_;
    std::string output_;
    size_t written_ = 0;
    bool busy_ = false;        // a request is being answered
    bool read_closed_ = false; // the client shut down its side
    bool closing_ = false;     // close once the output is flushed
    bool closed_ = false;
    EventLoop::Clock::time_point last_activity_;
    EventLoop::Clock::time_point last_write_ = EventLoop::Clock::now();

    friend class Responder;
};

void Responder::progress(std::string_view message) const {
    if (auto client = client_.lock()) client->send(admin::to_line(admin::progress_line(message)));
}

void Responder::reply(const nlohmann::json& reply) const {
    if (auto client = client_.lock()) {
        client->send(admin::to_line(reply));
        if (!client->closed()) client->request_done();
    }
}

AdminServer::AdminServer(EventLoop& loop, Handler handler)
    : loop_(loop), handler_(std::move(handler)), clients_(loop) {}

AdminServer::~AdminServer() {
    shutdown();
}

bool AdminServer::listen(const std::string& path, std::string& error) {
    sockaddr_un address;
    if (!fill_address(path, address, error)) return false;
    if (is_live(address)) {
        error = fmt::format("{}: another daemon is answering on this socket", path);
        return false;
    }
    unlink(path.c_str()); // a stale socket from a daemon that died

    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        error = fmt::format("socket: {}", std::strerror(errno));
        return false;
    }
    // The mode is right from the start (umask), not after a window where anyone may connect.
    const mode_t old_umask = umask(0777 & ~kSocketMode);
    const int bound = bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    const int bind_errno = errno;
    umask(old_umask);
    if (bound != 0) {
        error = fmt::format("bind {}: {}", path, std::strerror(bind_errno));
        return false;
    }
    chmod(path.c_str(), kSocketMode);
    if (::listen(fd.get(), kListenBacklog) != 0) {
        error = fmt::format("listen {}: {}", path, std::strerror(errno));
        return false;
    }
    path_ = path;
    listener_ = std::move(fd);
    loop_.add(listener_.get(), EPOLLIN, [this](uint32_t) { on_accept(); });
    sweep_timer_ = loop_.after(std::chrono::seconds(1), [this] { sweep(); });
    return true;
}

void AdminServer::shutdown() {
    loop_.cancel(sweep_timer_);
    if (listener_) {
        loop_.remove(listener_.get());
        listener_.reset();
        unlink(path_.c_str());
    }
    clients_.stop_all();
}

void AdminServer::on_accept() {
    accept_waiting(listener_.get(), kMaxAcceptsPerWakeup, "admin socket", [this](UniqueFd fd) {
        if (clients_.size() >= kMaxAdminClients) {
            const std::string line = admin::to_line(admin::error_reply(
                admin::code::kOverloaded,
                fmt::format("too many admin clients (limit {})", kMaxAdminClients)));
            (void)!::send(fd.get(), line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            return;
        }
        clients_.add(*this, std::move(fd));
    });
}

void AdminServer::sweep() {
    const auto now = EventLoop::Clock::now();
    clients_.for_each([now](AdminClient& client) { client.check(now); });
    sweep_timer_ = loop_.after(std::chrono::seconds(1), [this] { sweep(); });
}

} // namespace ringcast::daemon
