#include "dataplane/tcp/sack_scoreboard.h"

namespace ringcast::tcp {

bool SackScoreboard::add(Seq left, Seq right) {
    // Find the first range that ends at or after `left`: every range before it lies wholly
    // below the new one.
    uint32_t first = 0;
    while (first < count_ && right_[first] < left)
        ++first;
    // Swallow every range the new one touches or overlaps.
    uint32_t last = first;
    while (last < count_ && left_[last] <= right) {
        left = seq_min(left, left_[last]);
        right = seq_max(right, right_[last]);
        ++last;
    }
    const uint32_t merged = last - first;
    bool kept_all = true;
    if (merged == 0 && count_ == kMaxSackRanges) {
        // Full: forget the highest range (or the new one, if it would be the highest).
        kept_all = false;
        if (first == count_) return false;
        --count_;
    }
    // Replace ranges [first, last) by the one merged range.
    const uint32_t tail = count_ - last;
    const int32_t shift = 1 - static_cast<int32_t>(merged);
    if (shift > 0) {
        for (uint32_t i = tail; i-- > 0;) {
            left_[last + i + 1] = left_[last + i];
            right_[last + i + 1] = right_[last + i];
        }
    } else if (shift < 0) {
        for (uint32_t i = 0; i < tail; ++i) {
            left_[first + 1 + i] = left_[last + i];
            right_[first + 1 + i] = right_[last + i];
        }
    }
    left_[first] = left;
    right_[first] = right;
    count_ = static_cast<uint32_t>(static_cast<int32_t>(count_) + shift);
    return kept_all;
}

void SackScoreboard::drop_below(Seq una) {
    uint32_t gone = 0;
    while (gone < count_ && right_[gone] <= una)
        ++gone;
    for (uint32_t i = gone; i < count_; ++i) {
        left_[i - gone] = seq_max(left_[i], una);
        right_[i - gone] = right_[i];
    }
    count_ -= gone;
}

uint32_t SackScoreboard::sacked_bytes() const {
    uint32_t total = 0;
    for (uint32_t i = 0; i < count_; ++i)
        total += static_cast<uint32_t>(right_[i] - left_[i]);
    return total;
}

uint32_t SackScoreboard::unsacked_bytes(Seq begin, Seq end) const {
    if (end <= begin) return 0;
    uint32_t total = static_cast<uint32_t>(end - begin);
    for (uint32_t i = 0; i < count_; ++i) {
        const Seq l = seq_max(left_[i], begin);
        const Seq r = seq_min(right_[i], end);
        if (l < r) total -= static_cast<uint32_t>(r - l);
    }
    return total;
}

std::optional<SackHole> SackScoreboard::next_hole(Seq from, Seq limit) const {
    Seq at = from;
    for (uint32_t i = 0; i < count_ && at < limit; ++i) {
        if (right_[i] <= at) continue;
        if (left_[i] > at) return SackHole{at, seq_min(left_[i], limit)};
        at = right_[i]; // `at` is SACKed: skip to the range's end
    }
    if (at < limit) return SackHole{at, limit};
    return std::nullopt;
}

} // namespace ringcast::tcp
