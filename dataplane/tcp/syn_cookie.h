// SYN cookies, always on (RFC 4987 §3.6): a SYN creates no state at all. The SYN-ACK's initial
// sequence number carries what the handshake must remember, authenticated by a keyed hash, and
// the final ACK (ack = ISN + 1) brings it back. Since every ISN is a cookie, every ISN is also a
// keyed, unpredictable function of the flow and time, as RFC 6528 asks of ISNs.
//
// The 32 bits:  | t: 5 | mss index: 3 | SipHash-2-4(key, flow, peer ISN, t, mss index): 24 |
//   t      the 64-second period the cookie was made in, modulo 32; a cookie is valid in its own
//          period and the next (64 to 128 s, longer than any SYN-ACK retransmission a client
//          waits for).
//   mss    an index into kCookieMssTable: the largest entry not above the peer's MSS.
// With timestamps (RFC 7323), the low bits of the SYN-ACK's TSval, echoed in every TSecr, carry
// the peer's window scale and, in the bit above, whether it sent SACK-permitted (RFC 2018 §2),
// as Linux syncookies do, so scaling and SACK survive the stateless handshake. Without
// timestamps there is nowhere to keep either: the SYN-ACK offers no window scale (both
// directions then run unscaled, which RFC 7323 §2.2 allows) and no SACK-permitted, so such a
// peer never sends SACK options and losses are recovered with NewReno.
#pragma once

#include "dataplane/tcp/flow.h"
#include "dataplane/tcp/seq.h"
#include "dataplane/util/siphash.h"

#include <array>
#include <cstdint>
#include <optional>

namespace ringcast::tcp {

// Common path MSS values (IPv6 minimum MTU, tunnels, PPPoE, Ethernet, jumbo frames).
inline constexpr std::array<uint16_t, 8> kCookieMssTable = {536,  1220, 1300, 1380,
                                                            1420, 1440, 1460, 8960};
inline constexpr uint32_t kCookiePeriodSeconds = 64;
inline constexpr uint32_t kCookiePeriods = 32;  // 5 bits of t
inline constexpr uint32_t kWindowScaleBits = 4; // low TSval bits: the peer's window scale
inline constexpr uint8_t kNoWindowScale = 0xf;  // "the peer sent none" (scales go to 14)
inline constexpr uint32_t kSackPermittedBit = 1u << kWindowScaleBits;
inline constexpr uint32_t kTimestampOptionBits = kWindowScaleBits + 1; // scale, then SACK-OK

struct CookieSecret {
    SipHashKey key{};
};

// Encodes the handshake facts for the SYN-ACK.
Seq make_syn_cookie(const CookieSecret& secret, const FlowKey& flow, Seq peer_isn,
                    uint16_t peer_mss, uint64_t now_seconds);

// The MSS a valid cookie carries, or nothing for a forged or expired one. `peer_isn` is the
// ACK's seq - 1 and `cookie` its ack - 1.
std::optional<uint16_t> check_syn_cookie(const CookieSecret& secret, const FlowKey& flow,
                                         Seq peer_isn, Seq cookie, uint64_t now_seconds);

// The SYN-ACK's TSval: the clock with its low bits replaced by the peer's window scale and its
// SACK-permitted bit, one period earlier when that would put it after the clock (never ahead of
// later segments' TSvals).
uint32_t cookie_ts_value(uint32_t clock, bool peer_has_window_scale, uint8_t peer_window_scale,
                         bool peer_sack_permitted);
// What the echoed TSval says: the peer's window scale, or nothing if it sent none.
std::optional<uint8_t> cookie_window_scale(uint32_t ts_echo);
// Whether the peer sent SACK-permitted, as the echoed TSval says.
bool cookie_sack_permitted(uint32_t ts_echo);

} // namespace ringcast::tcp
