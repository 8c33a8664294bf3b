// HTTP/1.1 over the lcore's TCP engine (RFC 9112): requests parsed in the receive buffer, static
// objects answered from the content snapshot. The head is written into the send ring; the body
// is queued by reference into the snapshot (tcp::Engine::write_external), so a response's bytes
// go from snapshot memory to the port's buffers with no copy in between. Persistent connections
// and pipelining: requests are answered in order, each as soon as the send queue has room.
//
// A connection pins the content snapshot its responses point into (shared_content.h) and keeps
// it until it closes or, idle between responses, meets a newer one.
#pragma once

#include "dataplane/content/shared_content.h"
#include "dataplane/http/request_parser.h"
#include "dataplane/http/request_target.h"
#include "dataplane/http/response_head.h"
#include "dataplane/stats/counters.h"
#include "dataplane/tcp/engine.h"

#include <string>

namespace ringcast::http {

class HttpStreamHandler : public tcp::StreamHandler {
  public:
    // `pop_name` is sent in kPopHeader; pins are counted for lcore `lcore`.
    HttpStreamHandler(std::string_view pop_name, unsigned lcore, stats::LcoreCounters& counters);

    // The content to answer new requests from and the wall clock, set by the lcore before each
    // burst and each timer sweep.
    void use_content(content::SharedContent* content, int64_t unix_now) {
        content_ = content;
        now_unix_ = unix_now;
    }

    void on_readable(tcp::Engine& engine, tcp::Connection& c) override;
    void on_peer_closed(tcp::Engine& engine, tcp::Connection& c) override;
    void on_idle(tcp::Engine& engine, tcp::Connection& c) override;
    void on_closed(tcp::Engine& engine, tcp::Connection& c) override;

  private:
    struct Answer;
    content::SharedContent* content_for(tcp::Connection& c);
    // Answers one parsed request; false when the connection is to close after it.
    bool respond(tcp::Engine& engine, tcp::Connection& c, const Request& request,
                 const content::View& content);
    void send_head(tcp::Engine& engine, tcp::Connection& c, const Answer& answer);
    void send_error(tcp::Engine& engine, tcp::Connection& c, uint16_t status, bool keep_alive,
                    bool head_only = false);

    std::string pop_name_;
    unsigned lcore_;
    stats::LcoreCounters& counters_;
    content::SharedContent* content_ = nullptr;
    int64_t now_unix_ = 0;
    DateCache date_;
    char head_[kMaxResponseHead];
    char path_[kMaxPathBytes];
};

} // namespace ringcast::http
