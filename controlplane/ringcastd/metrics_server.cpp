#include "controlplane/ringcastd/metrics_server.h"

#include "controlplane/ringcastd/accept.h"
#include "controlplane/ringcastd/log.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

namespace ringcast::daemon {
namespace {

constexpr int kListenBacklog = 64;
constexpr int kMaxAcceptsPerWakeup = 16;

std::string http_response(int status, std::string_view reason, std::string_view content_type,
                          std::string_view body, bool head_only,
                          std::string_view extra_headers = "") {
    std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\n"
                                  "Connection: close\r\n{}\r\n",
                                  status, reason, content_type, body.size(), extra_headers);
    if (!head_only) out.append(body);
    return out;
}

} // namespace

HttpRequestHead parse_http_request(std::string_view data) {
    HttpRequestHead head;
    const size_t end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        head.parse = data.size() > kMaxHttpRequest ? HttpRequestHead::Parse::malformed
                                                   : HttpRequestHead::Parse::incomplete;
        return head;
    }
    head.parse = HttpRequestHead::Parse::malformed;
    const std::string_view line = data.substr(0, data.find("\r\n"));
    const size_t first_space = line.find(' ');
    const size_t last_space = line.rfind(' ');
    if (first_space == std::string_view::npos || last_space == first_space) return head;
    const std::string_view version = line.substr(last_space + 1);
    if (version != "HTTP/1.0" && version != "HTTP/1.1") return head;
    head.method = std::string(line.substr(0, first_space));
    std::string_view target = line.substr(first_space + 1, last_space - first_space - 1);
    if (target.empty() || target.front() != '/') return head;
    target = target.substr(0, target.find('?'));
    head.path = std::string(target);
    head.parse = HttpRequestHead::Parse::complete;
    return head;
}

class MetricsServer::Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(MetricsServer& server, uint64_t id, UniqueFd fd)
        : server_(server), id_(id), fd_(std::move(fd)) {}

    void start() {
        server_.loop_.add(fd_.get(), EPOLLIN, [this](uint32_t events) { on_event(events); });
        timeout_ = server_.loop_.after(kHttpTimeout, [this] {
            timeout_ = 0;
            close();
        });
    }
    void stop() {
        server_.loop_.cancel(timeout_);
        server_.loop_.remove(fd_.get());
    }

  private:
    void on_event(uint32_t events) {
        if (events & (EPOLLHUP | EPOLLERR)) return close();
        if (events & EPOLLOUT) return flush();
        if (!(events & EPOLLIN) || answered_) return;
        char buffer[4096];
        const ssize_t n = recv(fd_.get(), buffer, sizeof(buffer), 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n <= 0) return close();
        request_.append(buffer, static_cast<size_t>(n));
        const HttpRequestHead head = parse_http_request(request_);
        if (head.parse == HttpRequestHead::Parse::incomplete) return;
        answered_ = true;
        server_.loop_.modify(fd_.get(), 0); // the rest of what it sends is not read
        if (head.parse == HttpRequestHead::Parse::malformed)
            return send(http_response(400, "Bad Request", "text/plain", "bad request\n", false));
        const bool head_only = head.method == "HEAD";
        if (head.method != "GET" && !head_only)
            return send(http_response(405, "Method Not Allowed", "text/plain",
                                      "only GET and HEAD\n", false, "Allow: GET, HEAD\r\n"));
        if (head.path != "/metrics")
            return send(http_response(404, "Not Found", "text/plain",
                                      "not found: the metrics are at /metrics\n", head_only));
        std::weak_ptr<Connection> self = weak_from_this();
        server_.source_([self, head_only](std::string page) {
            if (auto connection = self.lock())
                connection->send(http_response(200, "OK", kPrometheusContentType, page, head_only));
        });
    }

    void send(std::string response) {
        if (closed_) return;
        output_ = std::move(response);
        flush();
    }

    void flush() {
        while (written_ < output_.size()) {
            const ssize_t n = ::send(fd_.get(), output_.data() + written_,
                                     output_.size() - written_, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                written_ += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                server_.loop_.modify(fd_.get(), EPOLLOUT);
                return;
            }
            return close();
        }
        if (!output_.empty()) close(); // all sent: Connection: close
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        server_.connections_.drop(id_); // may destroy *this: nothing after this line
    }

    MetricsServer& server_;
    uint64_t id_;
    UniqueFd fd_;
    std::string request_;
    std::string output_;
    size_t written_ = 0;
    bool answered_ = false;
    bool closed_ = false;
    EventLoop::TimerId timeout_ = 0;
};

MetricsServer::MetricsServer(EventLoop& loop, PageSource source)
    : loop_(loop), source_(std::move(source)), connections_(loop) {}

MetricsServer::~MetricsServer() {
    shutdown();
}

bool MetricsServer::listen(const config::ListenAddress& address, std::string& error) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const bool v6 = address.host.find(':') != std::string::npos;
    if (v6) {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(address.port);
        inet_pton(AF_INET6, address.host.c_str(), &sin6->sin6_addr);
        length = sizeof(*sin6);
    } else {
        auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
        sin->sin_family = AF_INET;
        sin->sin_port = htons(address.port);
        inet_pton(AF_INET, address.host.c_str(), &sin->sin_addr);
        length = sizeof(*sin);
    }
    UniqueFd fd(socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) {
        error = fmt::format("socket: {}", std::strerror(errno));
        return false;
    }
    const int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&storage), length) != 0 ||
        ::listen(fd.get(), kListenBacklog) != 0) {
        error = fmt::format("metrics listen {}: {}", address.to_string(), std::strerror(errno));
        return false;
    }
    listener_ = std::move(fd);
    loop_.add(listener_.get(), EPOLLIN, [this](uint32_t) { on_accept(); });
    return true;
}

void MetricsServer::shutdown() {
    if (listener_) {
        loop_.remove(listener_.get());
        listener_.reset();
    }
    connections_.stop_all();
}

void MetricsServer::on_accept() {
    accept_waiting(listener_.get(), kMaxAcceptsPerWakeup, "metrics", [this](UniqueFd fd) {
        if (connections_.size() >= kMaxHttpClients) return; // closed: the scraper retries
        connections_.add(*this, std::move(fd));
    });
}

} // namespace ringcast::daemon
