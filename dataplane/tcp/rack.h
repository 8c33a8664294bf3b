// RACK (RFC 8985 §6): loss detection by time. A segment is lost once a segment sent after it has
// been delivered and more than RACK.rtt + RACK.reo_wnd have passed since it left, so a lost
// retransmission is found like any other loss instead of waiting for the RTO, and reordering
// within the window starts no recovery. One per SACK connection, on its TransmitLog.
#pragma once

#include "dataplane/tcp/seq.h"
#include "dataplane/tcp/transmit_log.h"

#include <cstdint>

namespace ringcast::tcp {

inline constexpr uint32_t kDupThreshSegments = 3;    // RFC 5681 §3.2, RFC 8985 §6.2 step 4
inline constexpr uint32_t kReoWndPersistRounds = 16; // §6.2 step 4: recoveries a DSACK lasts
inline constexpr uint32_t kMaxReoWndMult = 64;

struct RackLosses {
    uint32_t marked = 0;        // records newly deemed lost
    uint32_t retransmitted = 0; // of those, retransmissions lost in turn
    uint64_t timeout_us = 0;    // §6.2 step 5: when to look again (0: nothing pending)
};

class Rack {
  public:
    // §6.2 steps 1–3 for a record just delivered (cumulatively ACKed or SACKed). `echo_older`:
    // the ACK's TSecr predates the record's last transmission (the RTT is ambiguous). A nonzero
    // `late_original_us`: the ACK shows that an earlier copy, sent then, filled the hole, so
    // the retransmission was spurious and that copy came late.
    void delivered(const TransmitRecord& r, uint64_t now_us, bool echo_older,
                   uint64_t late_original_us);
    // §6.2 step 4, part 1: a DSACK arrived (the peer got a segment twice).
    void dsack(Seq snd_una, Seq snd_max);
    // §6.2 step 4, part 2: a loss recovery ended.
    void recovery_ended();
    // §6.2 step 4: the reordering window now.
    uint32_t reo_wnd_us(bool in_recovery, uint32_t sacked_segments, uint32_t srtt_us) const;
    // §6.2 step 5: marks the records lost, returns what it found.
    RackLosses detect_loss(TransmitLog& log, uint64_t now_us, uint32_t reo_wnd_us) const;

    bool reordering_seen() const { return reordering_seen_; }
    uint32_t min_rtt_us() const { return min_rtt_us_; }
    uint32_t reo_wnd_mult() const { return mult_; }

  private:
    uint64_t xmit_us_ = 0; // RACK.xmit_ts: of the most recently sent delivered segment
    Seq end_;              // RACK.end_seq
    uint32_t rtt_us_ = 0;  // RACK.rtt
    bool have_segment_ = false;
    Seq fack_; // RACK.fack: the highest sequence delivered
    bool reordering_seen_ = false;
    // How late the reordered segments came past RACK's deadline for them, at most: the window
    // that would have kept them from looking lost (see reo_wnd_us()).
    uint32_t reo_extent_us_ = 0;
    uint32_t min_rtt_us_ = UINT32_MAX;
    uint32_t mult_ = 1;    // RACK.reo_wnd_mult
    uint32_t persist_ = 0; // RACK.reo_wnd_persist
    bool dsack_round_active_ = false;
    Seq dsack_round_; // RACK.dsack_round
};

} // namespace ringcast::tcp
