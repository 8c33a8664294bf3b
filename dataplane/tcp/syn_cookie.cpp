#include "dataplane/tcp/syn_cookie.h"

#include <cstring>

namespace ringcast::tcp {
namespace {

constexpr uint32_t kHashBits = 24;
constexpr uint32_t kHashMask = (1u << kHashBits) - 1;
constexpr uint32_t kMssIndexBits = 3;
constexpr uint32_t kMssIndexMask = (1u << kMssIndexBits) - 1;
static_assert(kCookieMssTable.size() == 1u << kMssIndexBits);

uint32_t cookie_hash(const CookieSecret& secret, const FlowKey& flow, Seq peer_isn, uint64_t period,
                     uint32_t mss_index) {
    uint8_t input[FlowKey::kHashInputLength + 4 + 8 + 1];
    flow.hash_input(input);
    const uint32_t isn = peer_isn.raw();
    std::memcpy(input + FlowKey::kHashInputLength, &isn, sizeof(isn));
    std::memcpy(input + FlowKey::kHashInputLength + 4, &period, sizeof(period));
    input[FlowKey::kHashInputLength + 12] = static_cast<uint8_t>(mss_index);
    return static_cast<uint32_t>(siphash24(secret.key, input, sizeof(input))) & kHashMask;
}

uint32_t mss_index_for(uint16_t peer_mss) {
    uint32_t index = 0;
    for (uint32_t i = 0; i < kCookieMssTable.size(); ++i)
        if (kCookieMssTable[i] <= peer_mss) index = i;
    return index; // below the smallest entry: 536, the RFC 9293 default, anyway
}

} // namespace

Seq make_syn_cookie(const CookieSecret& secret, const FlowKey& flow, Seq peer_isn,
                    uint16_t peer_mss, uint64_t now_seconds) {
    const uint64_t period = now_seconds / kCookiePeriodSeconds;
    const uint32_t mss_index = mss_index_for(peer_mss);
    const uint32_t t = static_cast<uint32_t>(period % kCookiePeriods);
    return Seq(t << (kHashBits + kMssIndexBits) | mss_index << kHashBits |
               cookie_hash(secret, flow, peer_isn, period, mss_index));
}

std::optional<uint16_t> check_syn_cookie(const CookieSecret& secret, const FlowKey& flow,
                                         Seq peer_isn, Seq cookie, uint64_t now_seconds) {
    const uint32_t value = cookie.raw();
    const uint32_t t = value >> (kHashBits + kMssIndexBits);
    const uint32_t mss_index = (value >> kHashBits) & kMssIndexMask;
    const uint64_t now_period = now_seconds / kCookiePeriodSeconds;
    // The period the cookie names: this one or the one before (t is the period mod 32).
    const uint32_t age =
        (static_cast<uint32_t>(now_period % kCookiePeriods) + kCookiePeriods - t) % kCookiePeriods;
    if (age > 1 || age > now_period) return std::nullopt;
    const uint64_t period = now_period - age;
    if (cookie_hash(secret, flow, peer_isn, period, mss_index) != (value & kHashMask))
        return std::nullopt;
    return kCookieMssTable[mss_index];
}

uint32_t cookie_ts_value(uint32_t clock, bool peer_has_window_scale, uint8_t peer_window_scale,
                         bool peer_sack_permitted) {
    constexpr uint32_t kStep = 1u << kTimestampOptionBits;
    constexpr uint32_t kMask = kStep - 1;
    constexpr uint32_t kScaleMask = (1u << kWindowScaleBits) - 1;
    const uint32_t low =
        ((peer_has_window_scale ? peer_window_scale : kNoWindowScale) & kScaleMask) |
        (peer_sack_permitted ? kSackPermittedBit : 0);
    // The low bits are the options, not the time: when they read later than the clock's, step
    // back one period. Every later segment is stamped with the clock itself, and a TSval older
    // than the SYN-ACK's would fail the peer's PAWS check (RFC 7323 §5.3) and be dropped.
    const uint32_t period = (clock & kMask) < low ? (clock & ~kMask) - kStep : clock & ~kMask;
    return period | low;
}

std::optional<uint8_t> cookie_window_scale(uint32_t ts_echo) {
    const uint8_t scale = static_cast<uint8_t>(ts_echo & ((1u << kWindowScaleBits) - 1));
    if (scale == kNoWindowScale) return std::nullopt;
    return scale;
}

bool cookie_sack_permitted(uint32_t ts_echo) {
    return (ts_echo & kSackPermittedBit) != 0;
}

} // namespace ringcast::tcp
