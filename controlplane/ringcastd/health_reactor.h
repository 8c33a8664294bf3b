// ringcastd's event loop as the reactor the health probes run on (controlplane/health).
#pragma once

#include "controlplane/health/reactor.h"
#include "controlplane/ringcastd/event_loop.h"

namespace ringcast::daemon {

class HealthReactor final : public health::Reactor {
  public:
    explicit HealthReactor(EventLoop& loop) : loop_(loop) {}
    void add(int fd, uint32_t events, IoCallback callback) override {
        loop_.add(fd, events, std::move(callback));
    }
    void modify(int fd, uint32_t events) override { loop_.modify(fd, events); }
    void remove(int fd) override { loop_.remove(fd); }
    TimerId after(health::Clock::duration delay, std::function<void()> callback) override {
        return loop_.after(delay, std::move(callback));
    }
    void cancel(TimerId& id) override { loop_.cancel(id); }

  private:
    EventLoop& loop_;
};

} // namespace ringcast::daemon
