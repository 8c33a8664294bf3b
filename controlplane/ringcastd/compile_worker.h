// Runs compile_reload() on its own thread so the event loop keeps answering admin clients,
// metrics scrapes and health checks while a big zone compiles. The thread talks back only through
// a mailbox and an eventfd that wakes the loop; results are handled on the loop's thread.
// One compile at a time: start() while busy() is a caller error.
#pragma once

#include "controlplane/ringcastd/event_loop.h"
#include "controlplane/ringcastd/zone_set.h"
#include "dataplane/util/unique_fd.h"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ringcast::daemon {

class CompileWorker {
  public:
    using ProgressCallback = std::function<void(const std::string& message)>;
    using DoneCallback = std::function<void(ReloadOutcome outcome)>;

    explicit CompileWorker(EventLoop& loop);
    ~CompileWorker(); // waits for a running compile

    bool busy() const { return thread_.joinable(); }
    void start(ReloadJob job, ProgressCallback on_progress, DoneCallback on_done);

  private:
    void on_wake();

    EventLoop& loop_;
    UniqueFd wake_fd_;
    std::thread thread_;
    ProgressCallback on_progress_;
    DoneCallback on_done_;

    std::mutex mutex_; // guards the mailbox below
    std::vector<std::string> progress_;
    std::optional<ReloadOutcome> outcome_;
};

} // namespace ringcast::daemon
