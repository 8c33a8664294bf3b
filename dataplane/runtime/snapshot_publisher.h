// Publishing snapshots to the lcores without stopping them: the new one is swapped in with one
// atomic pointer store, and the old one is unmapped only after every lcore has passed a
// quiescent state (rte_rcu_qsbr), i.e. has finished every packet that could still read it.
#pragma once

#include "dataplane/snapshot/reader.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <rte_rcu_qsbr.h>
#include <string>
#include <vector>

namespace ringcast::runtime {

// How long publish() waits for the lcores before giving up on releasing the old snapshot. An
// lcore that has not reported quiescence by then is stuck; the old image is then kept (leaked)
// rather than freed under it.
inline constexpr std::chrono::milliseconds kQuiescenceTimeout{5000};

class SnapshotPublisher {
  public:
    SnapshotPublisher() = default;
    ~SnapshotPublisher();
    SnapshotPublisher(const SnapshotPublisher&) = delete;
    SnapshotPublisher& operator=(const SnapshotPublisher&) = delete;

    // Allocates the QSBR variable for lcore ids below `max_lcores` and publishes `first`.
    bool init(unsigned max_lcores, std::unique_ptr<snapshot::Snapshot> first, std::string& error);

    // Called by each lcore before its loop, and when it leaves the loop.
    void lcore_online(unsigned lcore_id);
    void lcore_offline(unsigned lcore_id);
    // Called by each lcore between bursts: it holds no snapshot pointer at this point.
    void quiescent(unsigned lcore_id) { rte_rcu_qsbr_quiescent(qsbr_, lcore_id); }

    // The snapshot lcores read (acquire the pointer once per burst).
    const snapshot::View* current_view() const { return view_.load(std::memory_order_acquire); }

    // Swaps `next` in, waits for the lcores to be quiescent, then releases the previous snapshot.
    // Called from the control thread only; returns the previous generation.
    uint64_t publish(std::unique_ptr<snapshot::Snapshot> next, std::string& warning);

    uint64_t generation() const;
    uint64_t created_unix() const;
    size_t leaked() const { return leaked_.size(); }

  private:
    rte_rcu_qsbr* qsbr_ = nullptr;
    std::atomic<const snapshot::View*> view_{nullptr};
    mutable std::mutex mutex_; // serialises publishers and readers of current_
    std::unique_ptr<snapshot::Snapshot> current_;
    std::vector<std::unique_ptr<snapshot::Snapshot>> leaked_;
};

} // namespace ringcast::runtime
