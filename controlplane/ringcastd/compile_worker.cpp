#include "controlplane/ringcastd/compile_worker.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <system_error>

namespace ringcast::daemon {

CompileWorker::CompileWorker(EventLoop& loop)
    : loop_(loop), wake_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!wake_fd_) throw std::system_error(errno, std::generic_category(), "eventfd");
    loop_.add(wake_fd_.get(), EPOLLIN, [this](uint32_t) { on_wake(); });
}

CompileWorker::~CompileWorker() {
    if (thread_.joinable()) thread_.join();
    loop_.remove(wake_fd_.get());
}

void CompileWorker::start(ReloadJob job, ProgressCallback on_progress, DoneCallback on_done) {
    on_progress_ = std::move(on_progress);
    on_done_ = std::move(on_done);
    thread_ = std::thread([this, job = std::move(job)]() mutable {
        auto wake = [this] {
            const uint64_t one = 1;
            (void)!write(wake_fd_.get(), &one, sizeof(one));
        };
        ReloadOutcome outcome = compile_reload(std::move(job), [&](const std::string& message) {
            {
                std::lock_guard lock(mutex_);
                progress_.push_back(message);
            }
            wake();
        });
        {
            std::lock_guard lock(mutex_);
            outcome_ = std::move(outcome);
        }
        wake();
    });
}

void CompileWorker::on_wake() {
    uint64_t count = 0;
    (void)!read(wake_fd_.get(), &count, sizeof(count));
    std::vector<std::string> progress;
    std::optional<ReloadOutcome> outcome;
    {
        std::lock_guard lock(mutex_);
        progress.swap(progress_);
        outcome.swap(outcome_);
    }
    for (const std::string& message : progress)
        if (on_progress_) on_progress_(message);
    if (!outcome) return;
    thread_.join(); // it has finished: the outcome is its last act
    DoneCallback done = std::move(on_done_);
    on_progress_ = nullptr;
    done(std::move(*outcome));
}

} // namespace ringcast::daemon
