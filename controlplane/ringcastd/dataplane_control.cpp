#include "controlplane/ringcastd/dataplane_control.h"

#include "controlplane/admin/protocol.h"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

namespace ringcast::daemon {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

} // namespace

DataplaneControl::DataplaneControl(EventLoop& loop,
                                   std::function<void(const std::string&)> on_broken)
    : loop_(loop), on_broken_(std::move(on_broken)) {}

DataplaneControl::~DataplaneControl() {
    close("ringcastd is stopping");
}

bool DataplaneControl::connect(const std::string& path, std::string& error) {
    close("reconnecting");
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) {
        error = fmt::format("control socket path too long: {}", path);
        return false;
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        error = fmt::format("socket: {}", std::strerror(errno));
        return false;
    }
    // A Unix-domain connect completes or fails at once (EAGAIN only when the backlog is full).
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        error = fmt::format("connect {}: {}", path, std::strerror(errno));
        return false;
    }
    fd_ = std::move(fd);
    input_ = admin::LineBuffer(kMaxControlReplyLine);
    output_.clear();
    loop_.add(fd_.get(), EPOLLIN, [this](uint32_t events) { on_event(events); });
    return true;
}

void DataplaneControl::request(const nlohmann::json& request, EventLoop::Clock::duration timeout,
                               ReplyCallback callback) {
    const std::string name = request.value("cmd", std::string("?"));
    if (!fd_) {
        callback(nlohmann::json(), "the dataplane control socket is not connected");
        return;
    }
    pending_.push_back(Pending{name, timeout, std::move(callback)});
    output_ += admin::to_line(request);
    if (pending_.size() == 1) arm_head_timer();
    flush();
}

void DataplaneControl::close(const std::string& reason) {
    loop_.cancel(head_timer_);
    if (fd_) {
        loop_.remove(fd_.get());
        fd_.reset();
    }
    output_.clear();
    auto pending = std::move(pending_);
    pending_.clear();
    for (Pending& p : pending)
        p.callback(nlohmann::json(), reason);
}

void DataplaneControl::broken(const std::string& reason) {
    close(reason);
    if (on_broken_) on_broken_(reason);
}

void DataplaneControl::arm_head_timer() {
    loop_.cancel(head_timer_);
    if (pending_.empty()) return;
    const Pending& head = pending_.front();
    const std::string message =
        fmt::format("no reply to \"{}\" within {} s", head.name,
                    std::chrono::duration_cast<std::chrono::seconds>(head.timeout).count());
    head_timer_ = loop_.after(head.timeout, [this, message] {
        head_timer_ = 0;
        broken(message);
    });
}

void DataplaneControl::flush() {
    while (fd_ && !output_.empty()) {
        const ssize_t n =
            ::send(fd_.get(), output_.data(), output_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            output_.erase(0, static_cast<size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
        return broken(fmt::format("control socket write: {}", std::strerror(errno)));
    }
    if (fd_) loop_.modify(fd_.get(), EPOLLIN | (output_.empty() ? 0u : uint32_t{EPOLLOUT}));
}

void DataplaneControl::on_event(uint32_t events) {
    if (events & EPOLLOUT) flush();
    if (!fd_ || !(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
    char buffer[kReadChunk];
    const ssize_t n = recv(fd_.get(), buffer, sizeof(buffer), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) return broken("the dataplane closed its control socket");
    input_.append(std::string_view(buffer, static_cast<size_t>(n)));
    std::string line;
    for (;;) {
        const auto next = input_.next(line);
        if (next == admin::LineBuffer::Next::need_more) break;
        if (next == admin::LineBuffer::Next::too_long)
            return broken("the dataplane sent a reply line over the size cap");
        nlohmann::json reply;
        if (!admin::parse_line(line, reply))
            return broken("the dataplane sent a line that is not a JSON object");
        if (pending_.empty()) return broken("the dataplane sent a reply nobody asked for");
        Pending done = std::move(pending_.front());
        pending_.pop_front();
        arm_head_timer();
        done.callback(reply, "");
        if (!fd_) return; // the callback closed the connection
    }
}

} // namespace ringcast::daemon
