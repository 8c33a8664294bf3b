// The sender's record of what the peer has SACKed above SND.UNA (RFC 2018 §4, RFC 6675 §3): a
// few disjoint, sorted sequence ranges in a fixed array per connection, so taking a SACK block
// never allocates. With more holes than ranges, the highest ranges are forgotten: that data
// then only looks unacknowledged, which costs a needless retransmission, never a lost byte.
#pragma once

#include "dataplane/tcp/seq.h"

#include <cstdint>
#include <optional>

namespace ringcast::tcp {

// Each ACK reports up to 4 blocks (RFC 2018 §3); keeping four times that covers the holes of a
// flight even when the peer cycles its blocks through them.
inline constexpr uint32_t kMaxSackRanges = 16;

struct SackHole {
    Seq begin;
    Seq end; // exclusive
};

class SackScoreboard {
  public:
    void clear() { count_ = 0; }
    bool empty() const { return count_ == 0; }
    uint32_t ranges() const { return count_; }

    // Records [left, right), merged with any range it touches. False when a range had to be
    // forgotten for lack of slots.
    bool add(Seq left, Seq right);
    // SND.UNA moved to `una`: forgets what it covers.
    void drop_below(Seq una);

    uint32_t sacked_bytes() const;
    // Bytes of [begin, end) not SACKed.
    uint32_t unsacked_bytes(Seq begin, Seq end) const;
    // The first un-SACKed run at or after `from` that begins before `limit`, cut at `limit`.
    std::optional<SackHole> next_hole(Seq from, Seq limit) const;

  private:
    Seq left_[kMaxSackRanges];
    Seq right_[kMaxSackRanges];
    uint32_t count_ = 0;
};

} // namespace ringcast::tcp
