// The segments in flight of a SACK connection, in sequence order, each with the time it was last
// sent and what is known of it (delivered, deemed lost, retransmitted): the per-segment state RACK
// needs (RFC 8985 §5.2, "Per-segment variables"). A fixed ring per connection, so sending never
// allocates; a full ring holds new data back (the flight is then kMaxTrackedSegments segments).
#pragma once

#include "dataplane/tcp/seq.h"

#include <cstdint>

namespace ringcast::tcp {

// 64 full segments are ~92 KB in flight: over 1.8 MB/s at a 50 ms RTT, and one ring costs 1 KiB
// per connection.
inline constexpr uint32_t kMaxTrackedSegments = 64;

struct TransmitRecord {
    static constexpr uint8_t kDelivered = 1;     // cumulatively ACKed or SACKed
    static constexpr uint8_t kLost = 2;          // deemed lost, not yet sent again
    static constexpr uint8_t kRetransmitted = 4; // sent more than once

    uint64_t xmit_us = 0; // RFC 8985 Segment.xmit_ts: the last time it was sent
    Seq begin;
    uint16_t length = 0;
    uint8_t flags = 0;

    Seq end() const { return begin + length; }
    bool has(uint8_t flag) const { return (flags & flag) != 0; }
};

class TransmitLog {
  public:
    void clear() { count_ = 0; }
    uint32_t size() const { return count_; }
    bool full() const { return count_ == kMaxTrackedSegments; }
    TransmitRecord& at(uint32_t i) { return records_[(head_ + i) % kMaxTrackedSegments]; }
    const TransmitRecord& at(uint32_t i) const {
        return records_[(head_ + i) % kMaxTrackedSegments];
    }

    // [from, from + length) left at `now_us`: the records it overlaps are stamped (retransmitted,
    // no longer lost), and what lies past the last record is appended, one record per call.
    // False when new bytes found the ring full (they are then not tracked).
    bool sent(Seq from, uint32_t length, uint64_t now_us);
    // SND.UNA moved to `una`: forgets the records wholly below it, trims one it cuts.
    void drop_below(Seq una);
    // Deemed lost again (RFC 8985 §6.3, after a timeout): every record not delivered.
    void mark_undelivered_lost();
    // Bytes sent and neither delivered nor deemed lost: the pipe of RFC 6675 §4, per segment.
    uint32_t pipe_bytes() const;
    // Bytes deemed lost and not yet sent again.
    uint32_t lost_bytes() const;

  private:
    TransmitRecord records_[kMaxTrackedSegments];
    uint32_t head_ = 0;
    uint32_t count_ = 0;
};

} // namespace ringcast::tcp
