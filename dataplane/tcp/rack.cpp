#include "dataplane/tcp/rack.h"

#include <algorithm>

namespace ringcast::tcp {
namespace {

// RFC 8985 §6.2 RACK_sent_after: whether (t1, seq1) was sent after (t2, seq2).
bool sent_after(uint64_t t1, Seq seq1, uint64_t t2, Seq seq2) {
    return t1 > t2 || (t1 == t2 && seq1 > seq2);
}

} // namespace

void Rack::delivered(const TransmitRecord& r, uint64_t now_us, bool echo_older,
                     uint64_t late_original_us) {
    const uint32_t rtt = static_cast<uint32_t>(now_us - r.xmit_us);
    // Step 3: delivered below the highest delivered and never retransmitted, or a first copy
    // that came after its retransmission left: reordering. How late it came past the deadline
    // RACK gave it (its send time + RACK.rtt) is the window it would have needed.
    const bool late_original = late_original_us != 0;
    if (late_original ||
        (have_segment_ && r.end() < fack_ && !r.has(TransmitRecord::kRetransmitted))) {
        reordering_seen_ = true;
        const uint64_t deadline = (late_original ? late_original_us : r.xmit_us) + rtt_us_;
        if (now_us > deadline)
            reo_extent_us_ = std::max(reo_extent_us_, static_cast<uint32_t>(now_us - deadline));
    }
    if (!have_segment_ || r.end() > fack_) fack_ = r.end();
    // Step 2: an ACK of a retransmitted segment may answer its first copy (Karn's ambiguity):
    // skip it when the timestamp says so or the RTT is implausibly short.
    if (r.has(TransmitRecord::kRetransmitted) && (echo_older || rtt < min_rtt_us_)) return;
    min_rtt_us_ = std::min(min_rtt_us_, rtt);
    if (!have_segment_ || sent_after(r.xmit_us, r.end(), xmit_us_, end_)) {
        xmit_us_ = r.xmit_us;
        end_ = r.end();
        rtt_us_ = rtt;
        have_segment_ = true;
    }
}

void Rack::dsack(Seq snd_una, Seq snd_max) {
    if (dsack_round_active_ && snd_una >= dsack_round_) dsack_round_active_ = false;
    if (dsack_round_active_) return; // one increment per round trip
    dsack_round_active_ = true;
    dsack_round_ = snd_max;
    mult_ = std::min(mult_ + 1, kMaxReoWndMult);
    persist_ = kReoWndPersistRounds;
}

void Rack::recovery_ended() {
    if (persist_ != 0 && --persist_ == 0) mult_ = 1;
}

uint32_t Rack::reo_wnd_us(bool in_recovery, uint32_t sacked_segments, uint32_t srtt_us) const {
    if (!reordering_seen_ && (in_recovery || sacked_segments >= kDupThreshSegments)) return 0;
    const uint32_t min_rtt = min_rtt_us_ == UINT32_MAX ? 0 : min_rtt_us_;
    uint32_t window = min_rtt / 4 * mult_;
    // A departure from §6.2 step 4, which grows the window only in min_RTT/4 steps: on a link
    // whose reordered segments overtake others by most of an RTT (a delay only some segments
    // see), min_RTT is far below the reordering and those steps never reach it. So the window
    // also covers the largest lateness measured on reordered segments, with an eighth more,
    // and may then reach 2 SRTT instead of SRTT (a loss is still found before the RTO).
    if (reordering_seen_) {
        window = std::max(window, reo_extent_us_ + reo_extent_us_ / 8);
        return srtt_us == 0 ? window : std::min(window, 2 * srtt_us);
    }
    return srtt_us == 0 ? window : std::min(window, srtt_us);
}

RackLosses Rack::detect_loss(TransmitLog& log, uint64_t now_us, uint32_t reo_wnd_us) const {
    RackLosses found;
    if (!have_segment_) return found;
    for (uint32_t i = 0; i < log.size(); ++i) {
        TransmitRecord& r = log.at(i);
        if (r.has(TransmitRecord::kDelivered) || r.has(TransmitRecord::kLost)) continue;
        if (!sent_after(xmit_us_, end_, r.xmit_us, r.end())) continue;
        const uint64_t deadline = r.xmit_us + rtt_us_ + reo_wnd_us;
        if (deadline <= now_us) {
            r.flags |= TransmitRecord::kLost;
            ++found.marked;
            if (r.has(TransmitRecord::kRetransmitted)) ++found.retransmitted;
        } else if (found.timeout_us == 0 || deadline < found.timeout_us) {
            found.timeout_us = deadline;
        }
    }
    return found;
}

} // namespace ringcast::tcp
