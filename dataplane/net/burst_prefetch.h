// Prefetching for a burst of received frames, before any of them is answered (the why, and the
// four stages, are in dataplane/dns/prefetch.h). The runtime and the micro-benchmark drive it the
// same way:
//
//   BurstPrefetcher prefetcher(snapshot);
//   for each frame: prefetcher.add(data, len);   // stage 1, in frame order
//   prefetcher.follow();                          // stages 2 to 4
//   for each frame i: frame.lookahead = prefetcher.lookahead(i); handle_frame(...);
//
// Only Ethernet + IPv4/IPv6 + UDP to port 53 is looked into, with every header length checked;
// anything else (ARP, ICMP, fragments, extension headers) is skipped, and handle_frame judges
// every frame as before: what this reads changes no verdict and no counter.
#pragma once

#include "dataplane/dns/prefetch.h"
#include "dataplane/snapshot/reader.h"

#include <cstdint>

namespace ringcast::net {

// A DPDK burst (runtime::kBurstSize); frames added beyond it are not prefetched.
inline constexpr uint16_t kMaxPrefetchBurst = 32;
// Below this size a snapshot stays in the L2 cache (4 MiB per core on the benchmark machine,
// 1-2 MiB on current server parts) while it is answered from, there are no misses to hide, and
// prefetching is pure overhead: 226 instructions, about 60 cycles per query on the 1k-name
// zone (0.1 MB snapshot; bench/RESULTS.md, fourth session, the 1k-pf row). It pays from the
// 100k-name zone (7 MB).
inline constexpr uint64_t kMinPrefetchSnapshotBytes = uint64_t{2} << 20;

class BurstPrefetcher {
  public:
    // Tests pass a lower `min_snapshot_bytes` to prefetch from a small snapshot.
    explicit BurstPrefetcher(const snapshot::View& snapshot,
                             uint64_t min_snapshot_bytes = kMinPrefetchSnapshotBytes)
        : snapshot_(snapshot), enabled_(snapshot.header->file_size >= min_snapshot_bytes) {}

    // Stage 1 for one frame of `len` bytes. The frame must not change until it is answered.
    void add(const uint8_t* frame, uint32_t len);
    // Stages 2 to 4 for every frame added.
    void follow();
    // What the stages found for the i-th frame added, for its handle_frame (Frame::lookahead);
    // nullptr when prefetching is off for this snapshot or the frame was not added.
    const dns::QueryLookahead* lookahead(uint16_t i) const {
        return i < count_ ? &lookups_[i] : nullptr;
    }

  private:
    const snapshot::View& snapshot_;
    bool enabled_;
    dns::QueryLookahead lookups_[kMaxPrefetchBurst];
    uint16_t count_ = 0;
};

} // namespace ringcast::net
