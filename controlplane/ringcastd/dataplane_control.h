// ringcastd's side of the dataplane control socket (dataplane/runtime/control_server.h): one
// JSON object per line each way, one reply per request, in order, on one connection.
//
// Only the request at the head of the queue is timed, from the moment it becomes the head, so a
// long "load" does not make the requests queued behind it look late. When the head is late, or
// the connection breaks, every pending request fails and `on_broken` says why: the supervisor
// treats that as a dataplane that stopped answering.
#pragma once

#include "controlplane/admin/line_buffer.h"
#include "controlplane/ringcastd/event_loop.h"
#include "dataplane/util/unique_fd.h"

#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace ringcast::daemon {

// The biggest reply is "stats": a few KiB per lcore. 16 MiB is a cap, not an expectation.
inline constexpr size_t kMaxControlReplyLine = 16 * 1024 * 1024;

class DataplaneControl {
  public:
    // `reply` is the dataplane's object when `error` is empty; otherwise the request never got
    // an answer and `error` says why.
    using ReplyCallback =
        std::function<void(const nlohmann::json& reply, const std::string& error)>;

    DataplaneControl(EventLoop& loop, std::function<void(const std::string& reason)> on_broken);
    ~DataplaneControl();

    // One non-blocking attempt; false (socket not there yet, refused) with `error` set.
    bool connect(const std::string& path, std::string& error);
    bool connected() const { return static_cast<bool>(fd_); }
    size_t outstanding() const { return pending_.size(); }

    // Fails at once (callback with an error) when not connected.
    void request(const nlohmann::json& request, EventLoop::Clock::duration timeout,
                 ReplyCallback callback);

    // Drops the connection; pending callbacks get `reason`. on_broken is not called.
    void close(const std::string& reason);

  private:
    struct Pending {
        std::string name; // the request's "cmd", for messages
        EventLoop::Clock::duration timeout;
        ReplyCallback callback;
    };
    void on_event(uint32_t events);
    void flush();
    void arm_head_timer();
    void broken(const std::string& reason);

    EventLoop& loop_;
    std::function<void(const std::string&)> on_broken_;
    UniqueFd fd_;
    admin::LineBuffer input_{kMaxControlReplyLine};
    std::string output_;
    std::deque<Pending> pending_;
    EventLoop::TimerId head_timer_ = 0;
};

} // namespace ringcast::daemon
