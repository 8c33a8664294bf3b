// The dataplane's control socket: commands from ringcastd (load a snapshot, status, stats), one
// JSON object per line each way, served by a control thread so nothing here touches the lcores
// beyond reading their counters and heartbeats.
#pragma once

#include "dataplane/runtime/control_connections.h"
#include "dataplane/runtime/control_thread.h"
#include "dataplane/runtime/lcore_loop.h"
#include "dataplane/util/unique_fd.h"

#include <string>

namespace ringcast::runtime {

inline constexpr uint64_t kStalledLcoreMs = 1000; // an lcore that has not looped for this long

class ControlServer {
  public:
    explicit ControlServer(SharedState& state) : state_(state) {}
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Listens on `path` (mode 0600, replacing a stale socket) and starts the control thread.
    bool start(const std::string& path, std::string& error);
    void stop();

    // One request line in, one reply line out (without the newline). Public for tests.
    std::string handle_request(const std::string& line);

  private:
    void run();

    SharedState& state_;
    std::string path_;
    UniqueFd listener_;
    UniqueFd wake_; // eventfd: stop() wakes the thread
    ControlThread thread_;
};

} // namespace ringcast::runtime
