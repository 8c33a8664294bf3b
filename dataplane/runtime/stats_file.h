// Publishes the summed counters to a file every interval (write, then rename), from a control
// thread off the lcores: a stopgap reader interface until the control socket carries stats.
#pragma once

#include "dataplane/runtime/control_thread.h"
#include "dataplane/runtime/lcore_loop.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace ringcast::runtime {

class StatsFileWriter {
  public:
    StatsFileWriter(const SharedState& state, std::string path, std::chrono::milliseconds interval);
    ~StatsFileWriter();
    void stop(); // writes one last time, then joins

  private:
    void run();
    void write_once();

    const SharedState& state_;
    std::string path_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    ControlThread thread_;
};

} // namespace ringcast::runtime
