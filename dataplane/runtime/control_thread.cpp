#include "dataplane/runtime/control_thread.h"

#include <rte_lcore.h>

namespace ringcast::runtime {

bool ControlThread::start(const char* name, std::function<void()> body) {
    body_ = std::move(body);
    started_ = rte_ctrl_thread_create(&thread_, name, nullptr, trampoline, this) == 0;
    return started_;
}

void ControlThread::join() {
    if (!started_) return;
    pthread_join(thread_, nullptr);
    started_ = false;
}

void* ControlThread::trampoline(void* self) {
    static_cast<ControlThread*>(self)->body_();
    return nullptr;
}

} // namespace ringcast::runtime
