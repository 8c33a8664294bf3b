// The Prometheus endpoint: a minimal HTTP/1.x server on the configured local address that answers
// GET (and HEAD) /metrics with the text exposition format, then closes the connection. It is
// built for one scraper and an operator's curl, and bounded like the admin socket: request heads
// over kMaxHttpRequest, slow clients (kHttpTimeout) and connections beyond kMaxHttpClients are
// cut off.
#pragma once

#include "controlplane/config/config.h"
#include "controlplane/ringcastd/client_set.h"
#include "controlplane/ringcastd/event_loop.h"
#include "dataplane/util/unique_fd.h"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace ringcast::daemon {

inline constexpr size_t kMaxHttpRequest = 8 * 1024;
inline constexpr size_t kMaxHttpClients = 64;
inline constexpr auto kHttpTimeout = std::chrono::seconds(10);
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

struct HttpRequestHead {
    enum class Parse { complete, incomplete, malformed } parse = Parse::incomplete;
    std::string method;
    std::string path; // query string removed
};

// Looks for a complete request head ("...\r\n\r\n") in `data` and parses its request line.
HttpRequestHead parse_http_request(std::string_view data);

class MetricsServer {
  public:
    // Produces the page, now or later (the dataplane's counters come over its control socket).
    using PageSource = std::function<void(std::function<void(std::string page)> deliver)>;

    MetricsServer(EventLoop& loop, PageSource source);
    ~MetricsServer();

    bool listen(const config::ListenAddress& address, std::string& error);
    void shutdown();

  private:
    class Connection;
    void on_accept();

    EventLoop& loop_;
    PageSource source_;
    UniqueFd listener_;
    ClientSet<Connection> connections_;
};

} // namespace ringcast::daemon
