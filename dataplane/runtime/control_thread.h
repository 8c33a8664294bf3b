// A thread for work off the packet path (control socket, stats file). Started as a DPDK control
// thread, so it runs on the CPUs no lcore polls and never steals cycles from a busy lcore.
#pragma once

#include <functional>
#include <pthread.h>

namespace ringcast::runtime {

class ControlThread {
  public:
    ControlThread() = default;
    ~ControlThread() { join(); }
    ControlThread(const ControlThread&) = delete;
    ControlThread& operator=(const ControlThread&) = delete;

    // `name` is at most 15 characters (the kernel's thread name limit).
    bool start(const char* name, std::function<void()> body);
    void join();
    bool joinable() const { return started_; }

  private:
    static void* trampoline(void* self);

    std::function<void()> body_;
    pthread_t thread_{};
    bool started_ = false;
};

} // namespace ringcast::runtime
