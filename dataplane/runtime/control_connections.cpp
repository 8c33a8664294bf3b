#include "dataplane/runtime/control_connections.h"

#include "dataplane/util/unique_fd.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <vector>

namespace ringcast::runtime {
namespace {

constexpr size_t kReadChunk = 4096;

struct Client {
    UniqueFd fd;
    std::string input;
    std::string output;   // replies, of which the first `written` bytes are sent
    size_t written = 0;   // bytes of `output` already sent
    bool closing = false; // the peer sent EOF or a request too long: close once flushed

    size_t queued() const { return output.size() - written; }
};

std::string too_long_reply() {
    return nlohmann::json{
        {"ok", false}, {"error", fmt::format("request longer than {} bytes", kMaxControlRequest)}}
        .dump();
}

// Sends what the socket takes now, never waiting. False when the connection is broken.
bool flush(Client& client) {
    while (client.queued() > 0) {
        const ssize_t n = send(client.fd.get(), client.output.data() + client.written,
                               client.queued(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n <= 0) return false;
        client.written += static_cast<size_t>(n);
    }
    // Drop what was sent once it is half the buffer, so a client that reads while it keeps
    // asking holds at most about twice the queue, amortised O(1) per byte.
    if (client.written > 0 && client.written >= client.output.size() / 2) {
        client.output.erase(0, client.written);
        client.written = 0;
    }
    return true;
}

enum class Answered { all, over_limit, broken };

// Answers the complete lines buffered, queueing the replies. Before each one, a queue past
// kMaxControlOutput is sent as far as the socket takes it; if it is still past the limit the
// client reads nothing: over_limit, with the rest unanswered (so one read of many short
// requests cannot queue their replies without bound).
Answered answer_lines(Client& client, const ControlConnections::Handler& handler) {
    size_t start = 0, newline;
    while ((newline = client.input.find('\n', start)) != std::string::npos) {
        if (client.queued() > kMaxControlOutput) {
            if (!flush(client)) return Answered::broken;
            if (client.queued() > kMaxControlOutput) return Answered::over_limit;
        }
        client.output += handler(client.input.substr(start, newline - start));
        client.output += '\n';
        start = newline + 1;
    }
    client.input.erase(0, start);
    if (client.input.size() > kMaxControlRequest) {
        client.output += too_long_reply() + "\n";
        client.input.clear();
        client.closing = true;
    }
    return Answered::all;
}

// One wakeup for a client: read what is there, answer it, send what the socket takes. False
// when the client is to be closed; `dropped` counts those closed for not reading.
bool serve_client(Client& client, short revents, const ControlConnections::Handler& handler,
                  std::atomic<uint64_t>& dropped) {
    if ((revents & (POLLIN | POLLHUP | POLLERR)) && !client.closing) {
        char buffer[kReadChunk];
        const ssize_t n = recv(client.fd.get(), buffer, sizeof(buffer), MSG_DONTWAIT);
        if (n > 0)
            client.input.append(buffer, static_cast<size_t>(n));
        else if (n == 0)
            client.closing = true; // half-closed: the replies still go out
        else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return false;
        const Answered answered = answer_lines(client, handler);
        if (answered == Answered::broken) return false;
        if (answered == Answered::over_limit) {
            // It sends requests and does not read the replies: dropped, so that neither its
            // queue nor its unanswered requests linger.
            const uint64_t so_far = dropped.fetch_add(1, std::memory_order_relaxed) + 1;
            fmt::print(
                stderr,
                "ringcast-dataplane: control client dropped: {} reply bytes unread (limit {}); "
                "{} dropped so far\n",
                client.queued(), kMaxControlOutput, so_far);
            return false;
        }
    }
    if (!flush(client)) return false;
    return !(client.closing && client.queued() == 0);
}

} // namespace

void ControlConnections::serve(int listener, int wake) {
    std::vector<Client> clients;
    std::vector<pollfd> fds;
    for (;;) {
        fds.assign({{wake, POLLIN, 0}, {listener, POLLIN, 0}});
        for (const auto& client : clients) {
            short events = client.closing ? 0 : POLLIN;
            if (client.queued() > 0) events |= POLLOUT;
            fds.push_back({client.fd.get(), events, 0});
        }
        if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
        if (fds[0].revents) break;
        // The clients polled (fds[2...]), before one is accepted below.
        for (size_t i = 0; i + 2 < fds.size(); ++i)
            if (fds[i + 2].revents &&
                !serve_client(clients[i], fds[i + 2].revents, handler_, clients_dropped_))
                clients[i].fd.reset();
        std::erase_if(clients, [](const Client& c) { return !c.fd; });
        if (fds[1].revents & POLLIN) {
            // Beyond kMaxControlClients the connection is closed as soon as accepted.
            UniqueFd fd(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
            if (fd && clients.size() < kMaxControlClients)
                clients.emplace_back().fd = std::move(fd);
        }
    }
}

} // namespace ringcast::runtime
