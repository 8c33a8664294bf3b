#include "controlplane/ringcastd/event_loop.h"

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <sys/epoll.h>
#include <system_error>
#include <unistd.h>

namespace ringcast::daemon {
namespace {

constexpr int kMaxEventsPerWait = 64;

} // namespace

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

EventLoop::~EventLoop() {
    close(epoll_fd_);
}

void EventLoop::add(int fd, uint32_t events, IoCallback callback) {
    const uint64_t token = next_token_++;
    epoll_event event{};
    event.events = events;
    event.data.u64 = token;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0)
        throw std::system_error(errno, std::generic_category(), "epoll_ctl add");
    token_by_fd_[fd] = token;
    watches_.emplace(token, Watch{fd, std::move(callback)});
}

void EventLoop::modify(int fd, uint32_t events) {
    const auto it = token_by_fd_.find(fd);
    if (it == token_by_fd_.end()) return;
    epoll_event event{};
    event.events = events;
    event.data.u64 = it->second;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
}

void EventLoop::remove(int fd) {
    const auto it = token_by_fd_.find(fd);
    if (it == token_by_fd_.end()) return;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    watches_.erase(it->second);
    token_by_fd_.erase(it);
}

EventLoop::TimerId EventLoop::after(Clock::duration delay, std::function<void()> callback) {
    const TimerId id = next_timer_++;
    const Clock::time_point deadline = Clock::now() + delay;
    timers_.emplace(std::make_pair(deadline, id), std::move(callback));
    timer_deadlines_.emplace(id, deadline);
    return id;
}

void EventLoop::cancel(TimerId& id) {
    if (id == 0) return;
    const auto it = timer_deadlines_.find(id);
    if (it != timer_deadlines_.end()) {
        timers_.erase({it->second, id});
        timer_deadlines_.erase(it);
    }
    id = 0;
}

int EventLoop::run_due_timers() {
    while (!timers_.empty()) {
        auto first = timers_.begin();
        const auto now = Clock::now();
        if (first->first.first > now) {
            const auto wait =
                std::chrono::ceil<std::chrono::milliseconds>(first->first.first - now);
            return static_cast<int>(wait.count());
        }
        auto callback = std::move(first->second);
        timer_deadlines_.erase(first->first.second);
        timers_.erase(first);
        callback();
        if (!running_) return 0;
    }
    return -1;
}

bool EventLoop::run() {
    running_ = true;
    std::array<epoll_event, kMaxEventsPerWait> events{};
    while (running_) {
        const int timeout = run_due_timers();
        if (!running_) break;
        const int n = epoll_wait(epoll_fd_, events.data(), kMaxEventsPerWait, timeout);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        for (int i = 0; i < n && running_; ++i) {
            // By value: epoll_event is packed on x86-64, so a reference to data.u64 (find takes
            // one) would be misaligned (UBSan reports it).
            const uint64_t key = events[i].data.u64;
            const auto it = watches_.find(key);
            if (it == watches_.end()) continue; // removed by an earlier callback of this batch
            // Copy: the callback may remove its own watch.
            IoCallback callback = it->second.callback;
            callback(events[i].events);
        }
    }
    return true;
}

} // namespace ringcast::daemon
