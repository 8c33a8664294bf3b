#include "dataplane/runtime/snapshot_publisher.h"

#include <cstdlib>
#include <fmt/format.h>
#include <rte_cycles.h>
#include <rte_errno.h>

namespace ringcast::runtime {

// Plain aligned memory, not rte_malloc: the publisher may outlive rte_eal_cleanup().
SnapshotPublisher::~SnapshotPublisher() {
    std::free(qsbr_);
}

bool SnapshotPublisher::init(unsigned max_lcores, std::unique_ptr<snapshot::Snapshot> first,
                             std::unique_ptr<content::Snapshot> content, std::string& error) {
    max_lcores_ = max_lcores;
    const size_t size = rte_rcu_qsbr_get_memsize(max_lcores);
    const size_t rounded = RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE);
    qsbr_ = static_cast<rte_rcu_qsbr*>(std::aligned_alloc(RTE_CACHE_LINE_SIZE, rounded));
    if (!qsbr_ || rte_rcu_qsbr_init(qsbr_, max_lcores) != 0) {
        error = fmt::format("RCU state for {} lcores: {}", max_lcores, rte_strerror(rte_errno));
        return false;
    }
    view_.store(&first->view(), std::memory_order_release);
    current_ = std::move(first);
    current_content_ = std::make_unique<content::SharedContent>(std::move(content), max_lcores);
    content_.store(current_content_.get(), std::memory_order_release);
    return true;
}

void SnapshotPublisher::lcore_online(unsigned lcore_id) {
    rte_rcu_qsbr_thread_register(qsbr_, lcore_id);
    rte_rcu_qsbr_thread_online(qsbr_, lcore_id);
}

void SnapshotPublisher::lcore_offline(unsigned lcore_id) {
    rte_rcu_qsbr_thread_offline(qsbr_, lcore_id);
    rte_rcu_qsbr_thread_unregister(qsbr_, lcore_id);
}

uint64_t SnapshotPublisher::publish(std::unique_ptr<snapshot::Snapshot> next,
                                    std::unique_ptr<content::Snapshot> content,
                                    std::string& warning) {
    std::lock_guard lock(mutex_);
    const uint64_t previous_generation = current_->header().generation;
    view_.store(&next->view(), std::memory_order_release);
    std::unique_ptr<snapshot::Snapshot> previous = std::move(current_);
    current_ = std::move(next);
    std::unique_ptr<content::SharedContent> previous_content;
    if (content) {
        previous_content = std::move(current_content_);
        current_content_ =
            std::make_unique<content::SharedContent>(std::move(content), max_lcores_);
        content_.store(current_content_.get(), std::memory_order_release);
    }

    if (!wait_for_quiescence()) {
        warning = fmt::format("an lcore did not pass a quiescent state within {} ms; snapshot "
                              "generation {} stays mapped",
                              kQuiescenceTimeout.count(), previous_generation);
        leaked_.push_back(std::move(previous));
        if (previous_content) leaked_content_.push_back(std::move(previous_content));
        return previous_generation;
    }
    // No lcore can reach `previous_content` through the published pointer any more; only the
    // connections that pinned it before the swap still read it.
    if (previous_content) retired_.push_back(std::move(previous_content));
    std::erase_if(retired_, [](const auto& c) { return c->pins() == 0; });
    return previous_generation; // `previous` is unmapped here, after the grace period
}

bool SnapshotPublisher::wait_for_quiescence() {
    // Every lcore that was online at the swap must report quiescence once more; after that none
    // can still hold a pointer it read before.
    const uint64_t token = rte_rcu_qsbr_start(qsbr_);
    const uint64_t deadline =
        rte_get_tsc_cycles() +
        rte_get_tsc_hz() * static_cast<uint64_t>(kQuiescenceTimeout.count()) / 1000;
    while (rte_rcu_qsbr_check(qsbr_, token, false) != 1) {
        if (rte_get_tsc_cycles() > deadline) return false;
        rte_delay_us_sleep(100);
    }
    return true;
}

void SnapshotPublisher::collect() {
    std::lock_guard lock(mutex_);
    std::erase_if(retired_, [](const auto& c) { return c->pins() == 0; });
}

size_t SnapshotPublisher::retired_content() const {
    std::lock_guard lock(mutex_);
    return retired_.size();
}

uint64_t SnapshotPublisher::content_generation() const {
    std::lock_guard lock(mutex_);
    return current_content_->view().generation();
}

uint64_t SnapshotPublisher::generation() const {
    std::lock_guard lock(mutex_);
    return current_->header().generation;
}

uint64_t SnapshotPublisher::created_unix() const {
    std::lock_guard lock(mutex_);
    return current_->header().created_unix;
}

} // namespace ringcast::runtime
