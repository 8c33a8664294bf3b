#include "dataplane/tcp/transmit_log.h"

#include <algorithm>

namespace ringcast::tcp {

bool TransmitLog::sent(Seq from, uint32_t length, uint64_t now_us) {
    const Seq to = from + length;
    for (uint32_t i = 0; i < count_; ++i) {
        TransmitRecord& r = at(i);
        if (r.end() <= from) continue;
        if (r.begin >= to) return true; // nothing new: records are in sequence order
        r.xmit_us = now_us;
        r.flags = static_cast<uint8_t>((r.flags & ~TransmitRecord::kLost) |
                                       TransmitRecord::kRetransmitted);
    }
    const Seq tracked_end = count_ == 0 ? from : at(count_ - 1).end();
    if (to <= tracked_end) return true;
    if (full()) return false;
    const Seq begin = seq_max(from, tracked_end);
    TransmitRecord& r = records_[(head_ + count_) % kMaxTrackedSegments];
    r.begin = begin;
    r.length = static_cast<uint16_t>(to - begin);
    r.xmit_us = now_us;
    r.flags = 0;
    ++count_;
    return true;
}

void TransmitLog::drop_below(Seq una) {
    while (count_ != 0 && at(0).end() <= una) {
        head_ = (head_ + 1) % kMaxTrackedSegments;
        --count_;
    }
    if (count_ != 0 && at(0).begin < una) {
        TransmitRecord& r = at(0);
        r.length = static_cast<uint16_t>(r.end() - una);
        r.begin = una;
    }
}

void TransmitLog::mark_undelivered_lost() {
    for (uint32_t i = 0; i < count_; ++i) {
        TransmitRecord& r = at(i);
        if (!r.has(TransmitRecord::kDelivered)) r.flags |= TransmitRecord::kLost;
    }
}

uint32_t TransmitLog::pipe_bytes() const {
    uint32_t total = 0;
    for (uint32_t i = 0; i < count_; ++i) {
        const TransmitRecord& r = at(i);
        if (!r.has(TransmitRecord::kDelivered) && !r.has(TransmitRecord::kLost)) total += r.length;
    }
    return total;
}

uint32_t TransmitLog::lost_bytes() const {
    uint32_t total = 0;
    for (uint32_t i = 0; i < count_; ++i) {
        const TransmitRecord& r = at(i);
        if (r.has(TransmitRecord::kLost) && !r.has(TransmitRecord::kDelivered)) total += r.length;
    }
    return total;
}

} // namespace ringcast::tcp
