// A content snapshot as the lcores share it. A response points into its bodies until the last
// byte is acknowledged, which can be long after a reload replaced it (a 10 MB download on a slow
// link), so RCU's grace period alone cannot tell when it may go: each lcore also counts the
// connections it has pinned to it, and the publisher frees it only once every count is zero.
#pragma once

#include "dataplane/content/reader.h"

#include <atomic>
#include <cstdint>
#include <memory>

namespace ringcast::content {

class SharedContent {
  public:
    // Pins are counted for lcore ids below `max_lcores`.
    SharedContent(std::unique_ptr<Snapshot> snapshot, unsigned max_lcores);
    SharedContent(const SharedContent&) = delete;
    SharedContent& operator=(const SharedContent&) = delete;

    const View& view() const { return snapshot_->view(); }

    // Only lcore `lcore` changes its own count: a plain load and store, no atomic RMW.
    void pin(unsigned lcore) {
        auto& n = counts_[lcore].value;
        n.store(n.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }
    void unpin(unsigned lcore) {
        auto& n = counts_[lcore].value;
        n.store(n.load(std::memory_order_relaxed) - 1, std::memory_order_release);
    }
    // Every lcore's connections pinned to it; any thread.
    uint64_t pins() const;

  private:
    struct alignas(64) Count {
        std::atomic<uint64_t> value{0};
    };
    std::unique_ptr<Snapshot> snapshot_;
    unsigned max_lcores_;
    std::unique_ptr<Count[]> counts_;
};

} // namespace ringcast::content
