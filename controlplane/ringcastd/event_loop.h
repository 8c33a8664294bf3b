// ringcastd's single-threaded event loop: epoll for descriptors, a sorted set of deadlines for
// timers. Everything the daemon does (admin clients, metrics, the dataplane control connection,
// signals, the compile worker's wake-ups) is a callback run from here, so no daemon state needs a
// lock. Callbacks may add and remove descriptors and timers, including their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>

namespace ringcast::daemon {

class EventLoop {
  public:
    using Clock = std::chrono::steady_clock;
    using IoCallback = std::function<void(uint32_t events)>;
    using TimerId = uint64_t; // 0: no timer

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    // Level-triggered interest in `events` (EPOLLIN, EPOLLOUT...) on `fd`.
    void add(int fd, uint32_t events, IoCallback callback);
    void modify(int fd, uint32_t events);
    void remove(int fd); // before closing fd

    TimerId after(Clock::duration delay, std::function<void()> callback);
    void cancel(TimerId& id); // safe on 0 and on a timer that already ran; resets `id`

    // Runs until stop(). Returns false if epoll itself failed.
    bool run();
    void stop() { running_ = false; }

  private:
    struct Watch {
        int fd;
        IoCallback callback;
    };
    int epoll_fd_;
    bool running_ = false;
    uint64_t next_token_ = 1;
    std::unordered_map<int, uint64_t> token_by_fd_;
    std::unordered_map<uint64_t, Watch> watches_; // by token: a stale event finds nothing
    TimerId next_timer_ = 1;
    std::map<std::pair<Clock::time_point, TimerId>, std::function<void()>> timers_;
    std::unordered_map<TimerId, Clock::time_point> timer_deadlines_;

    int run_due_timers(); // returns the epoll timeout (ms) until the next one, -1 for none
};

} // namespace ringcast::daemon
