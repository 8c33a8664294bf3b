// The connections of the dataplane's control socket: one request line in, one reply line out,
// for a few clients at once, on the control thread. Knows nothing of the commands (a handler
// answers each line) and nothing of DPDK, so unit tests run it on a plain thread.
//
// The control thread also serves ringcastd's `load`, so no client may stall it: client sockets
// are non-blocking, replies wait in a per-client queue sent as the socket takes them, and a
// client that lets more than kMaxControlOutput bytes of replies pile up (it sends requests and
// does not read) is dropped, counted and logged.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace ringcast::runtime {

inline constexpr size_t kMaxControlRequest = 64 * 1024; // longer lines are refused
inline constexpr size_t kMaxControlClients = 8;         // ringcastd needs one; tools a few more
// Reply bytes queued for one client before it is dropped: a `stats` reply for every lcore
// DPDK can have (RTE_MAX_LCORE) is under 1 MiB.
inline constexpr size_t kMaxControlOutput = 4 * 1024 * 1024;

class ControlConnections {
  public:
    // Answers one request line (without its newline) with one reply (without the newline).
    using Handler = std::function<std::string(const std::string& line)>;

    explicit ControlConnections(Handler handler) : handler_(std::move(handler)) {}

    // Accepts and serves clients of the listening, non-blocking socket `listener` until `wake`
    // (an eventfd) becomes readable.
    void serve(int listener, int wake);

    // Clients dropped for not reading their replies; may be read from any thread.
    uint64_t clients_dropped() const { return clients_dropped_.load(std::memory_order_relaxed); }

  private:
    Handler handler_;
    std::atomic<uint64_t> clients_dropped_{0};
};

} // namespace ringcast::runtime
