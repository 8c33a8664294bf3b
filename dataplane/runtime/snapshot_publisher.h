// Publishing snapshots to the lcores without stopping them: the new one is swapped in with one
// atomic pointer store, and the old one is unmapped only after every lcore has passed a
// quiescent state (rte_rcu_qsbr), i.e. has finished every packet that could still read it.
// The zone snapshot and the content snapshot are published together; old content also waits
// for the connections still sending from it (shared_content.h).
#pragma once

#include "dataplane/content/shared_content.h"
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

    // Allocates the QSBR variable for lcore ids below `max_lcores` and publishes `first` with
    // `content` (which may hold no sites).
    bool init(unsigned max_lcores, std::unique_ptr<snapshot::Snapshot> first,
              std::unique_ptr<content::Snapshot> content, std::string& error);

    // Called by each lcore before its loop, and when it leaves the loop.
    void lcore_online(unsigned lcore_id);
    void lcore_offline(unsigned lcore_id);
    // Called by each lcore between bursts: it holds no snapshot pointer at this point.
    void quiescent(unsigned lcore_id) { rte_rcu_qsbr_quiescent(qsbr_, lcore_id); }

    // The snapshots lcores read (acquire the pointers once per burst). Content is never null.
    const snapshot::View* current_view() const { return view_.load(std::memory_order_acquire); }
    content::SharedContent* current_content() const {
        return content_.load(std::memory_order_acquire);
    }

    // Swaps `next` (and `content`, unless null: the current content stays) in, waits for the
    // lcores to be quiescent, then releases the previous zone snapshot; previous content is
    // released once no connection is pinned to it (collect()). Called from the control thread
    // only; returns the previous zone generation.
    uint64_t publish(std::unique_ptr<snapshot::Snapshot> next,
                     std::unique_ptr<content::Snapshot> content, std::string& warning);
    // Frees replaced content no connection uses any more; any non-lcore thread, any time.
    void collect();

    uint64_t generation() const;
    uint64_t created_unix() const;
    uint64_t content_generation() const;
    size_t leaked() const { return leaked_.size(); }
    size_t retired_content() const; // replaced, still pinned by connections

  private:
    bool wait_for_quiescence();

    unsigned max_lcores_ = 0;
    rte_rcu_qsbr* qsbr_ = nullptr;
    std::atomic<const snapshot::View*> view_{nullptr};
    std::atomic<content::SharedContent*> content_{nullptr};
    mutable std::mutex mutex_; // serialises publishers and readers of current_
    std::unique_ptr<snapshot::Snapshot> current_;
    std::unique_ptr<content::SharedContent> current_content_;
    std::vector<std::unique_ptr<content::SharedContent>> retired_;
    std::vector<std::unique_ptr<snapshot::Snapshot>> leaked_;
    std::vector<std::unique_ptr<content::SharedContent>> leaked_content_;
};

} // namespace ringcast::runtime
