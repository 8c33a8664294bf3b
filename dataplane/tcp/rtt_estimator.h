// The retransmission timer's value (RFC 6298): smoothed RTT and its variation from samples,
// RTO = SRTT + max(G, 4 * RTTVAR), bounded, doubled on every expiry (§5.5) until a new sample.
// Times in microseconds.
#pragma once

#include <algorithm>
#include <cstdint>

namespace ringcast::tcp {

// RFC 6298 §2.4 says 1 s; like Linux, this server uses 200 ms, as §2.4 permits (a lower
// minimum trades a few spurious retransmissions for recovering from loss in one RTT on the
// short paths an anycast PoP serves).
inline constexpr uint32_t kMinRtoUs = 200'000;
inline constexpr uint32_t kMaxRtoUs = 60'000'000;      // §2.5: at least 60 s
inline constexpr uint32_t kInitialRtoUs = 1'000'000;   // §2.1
inline constexpr uint32_t kClockGranularityUs = 1'000; // G: the millisecond timestamp clock

class RttEstimator {
  public:
    uint32_t rto_us() const { return rto_us_; }
    bool has_sample() const { return srtt_us_ != 0; }
    uint32_t srtt_us() const { return srtt_us_; }

    // §2.2 and §2.3 with alpha = 1/8, beta = 1/4.
    void sample(uint32_t rtt_us) {
        rtt_us = std::max<uint32_t>(rtt_us, 1);
        if (!has_sample()) {
            srtt_us_ = rtt_us;
            rttvar_us_ = rtt_us / 2;
        } else {
            const uint32_t delta = srtt_us_ > rtt_us ? srtt_us_ - rtt_us : rtt_us - srtt_us_;
            rttvar_us_ = rttvar_us_ - rttvar_us_ / 4 + delta / 4;
            srtt_us_ = srtt_us_ - srtt_us_ / 8 + rtt_us / 8;
        }
        const uint64_t rto =
            uint64_t{srtt_us_} + std::max<uint64_t>(kClockGranularityUs, 4ull * rttvar_us_);
        rto_us_ = static_cast<uint32_t>(std::clamp<uint64_t>(rto, kMinRtoUs, kMaxRtoUs));
    }

    // §5.5: back the timer off on expiry.
    void back_off() { rto_us_ = std::min(kMaxRtoUs, rto_us_ * 2); }

  private:
    uint32_t srtt_us_ = 0;
    uint32_t rttvar_us_ = 0;
    uint32_t rto_us_ = kInitialRtoUs;
};

} // namespace ringcast::tcp
