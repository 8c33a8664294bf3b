// The admin socket: a Unix stream socket (mode 0660) where each client sends request lines and
// gets one JSON reply per request (admin/protocol.h). Requests on one connection are answered in
// order; a command may answer later (a reload answers when the dataplane has the new snapshot),
// meanwhile the loop keeps serving everyone else.
//
// Nothing a client does can block the daemon or grow its memory without bound: a line over
// kMaxRequestLine gets an error and the connection is closed, a client that does not read its
// replies is dropped once kMaxOutputBuffer is queued or its output stalls for kWriteStallTimeout,
// a connection idle for kIdleTimeout is closed, and beyond kMaxClients new ones are refused.
#pragma once

#include "controlplane/admin/line_buffer.h"
#include "controlplane/admin/protocol.h"
#include "controlplane/ringcastd/client_set.h"
#include "controlplane/ringcastd/event_loop.h"
#include "dataplane/util/unique_fd.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace ringcast::daemon {

inline constexpr size_t kMaxAdminClients = 512;
inline constexpr size_t kMaxOutputBuffer = 4 * 1024 * 1024; // far above any one reply
inline constexpr auto kIdleTimeout = std::chrono::seconds(60);
inline constexpr auto kWriteStallTimeout = std::chrono::seconds(10);

class AdminClient;

// Answers one request, now or later. Copyable; if the client has gone, answering does nothing.
class Responder {
  public:
    explicit Responder(std::weak_ptr<AdminClient> client) : client_(std::move(client)) {}
    void progress(std::string_view message) const;
    void reply(const nlohmann::json& reply) const; // the final reply: exactly once
    bool connected() const { return !client_.expired(); }

  private:
    std::weak_ptr<AdminClient> client_;
};

class AdminServer {
  public:
    using Handler = std::function<void(const admin::Request& request, const Responder& responder)>;

    AdminServer(EventLoop& loop, Handler handler);
    ~AdminServer();

    // Creates the socket at `path` (mode 0660). A stale socket file is replaced; a live one (a
    // daemon answers on it) is an error.
    bool listen(const std::string& path, std::string& error);
    // Stops accepting, drops every client and removes the socket file.
    void shutdown();

    size_t clients() const { return clients_.size(); }

  private:
    friend class AdminClient;
    void on_accept();
    void sweep(); // timeouts, once a second

    EventLoop& loop_;
    Handler handler_;
    std::string path_;
    UniqueFd listener_;
    ClientSet<AdminClient> clients_;
    EventLoop::TimerId sweep_timer_ = 0;
};

} // namespace ringcast::daemon
