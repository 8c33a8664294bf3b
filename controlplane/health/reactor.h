// What the health probes need from an event loop: descriptor interest and one-shot timers. The
// probes run on ringcastd's single-threaded loop (daemon::EventLoop, adapted in
// controlplane/ringcastd/health_reactor.h) and on a test's loop alike, so they never block and
// never take a lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace ringcast::health {

using Clock = std::chrono::steady_clock;

class Reactor {
  public:
    using IoCallback = std::function<void(uint32_t events)>;
    using TimerId = uint64_t; // 0: no timer

    virtual ~Reactor() = default;
    // Level-triggered interest in `events` (EPOLLIN, EPOLLOUT) on `fd`.
    virtual void add(int fd, uint32_t events, IoCallback callback) = 0;
    virtual void modify(int fd, uint32_t events) = 0;
    virtual void remove(int fd) = 0; // before closing fd
    virtual TimerId after(Clock::duration delay, std::function<void()> callback) = 0;
    virtual void cancel(TimerId& id) = 0; // safe on 0 and on a timer that ran; resets `id`
};

} // namespace ringcast::health
