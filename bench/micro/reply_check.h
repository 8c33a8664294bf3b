// Is a reply what its query's category promises? The benchmark only times a path that answers
// correctly, so it checks every reply of the mix once before timing (a count, never an abort).
#pragma once

#include "bench/micro/query_frames.h"

#include <cstdint>

namespace ringcast::bench {

// Offset of the DNS header in a reply: Ethernet + IPv4 without options + UDP (replies always
// carry a 20-byte IPv4 header, see dataplane/net/pipeline.h).
inline constexpr uint32_t kReplyDnsOffset = 14 + 20 + 8;
inline constexpr uint32_t kDnsHeaderSize = 12;
inline constexpr uint8_t kRcodeNoError = 0;
inline constexpr uint8_t kRcodeNxdomain = 3;

struct ReplySummary {
    uint8_t rcode = 0;
    bool authoritative = false;
    bool truncated = false;
    uint16_t answers = 0;
    uint16_t authority = 0;
};

inline bool summarize_reply(const uint8_t* frame, uint32_t len, ReplySummary& out) {
    if (len < kReplyDnsOffset + kDnsHeaderSize) return false;
    const uint8_t* dns = frame + kReplyDnsOffset;
    out.authoritative = (dns[2] & 0x04) != 0;
    out.truncated = (dns[2] & 0x02) != 0;
    out.rcode = dns[3] & 0x0f;
    out.answers = static_cast<uint16_t>(dns[6] << 8 | dns[7]);
    out.authority = static_cast<uint16_t>(dns[8] << 8 | dns[9]);
    return true;
}

// RFC 1034 §4.3.2 outcomes: data (possibly via CNAME or wildcard), name error, referral (not
// authoritative, NS in authority), no data (authoritative, empty answer).
inline bool reply_matches(Category category, const ReplySummary& r) {
    switch (category) {
    case Category::kPositive:
        return r.rcode == kRcodeNoError && r.answers > 0;
    case Category::kNxdomain:
        return r.rcode == kRcodeNxdomain && r.answers == 0;
    case Category::kReferral:
        return r.rcode == kRcodeNoError && !r.authoritative && r.answers == 0 && r.authority > 0;
    case Category::kNodata:
        return r.rcode == kRcodeNoError && r.authoritative && r.answers == 0;
    case Category::kCount:
        break;
    }
    return false;
}

// A DO=1 reply from a signed zone (RFC 4035 §3.1) also holds, whole (no TC): an RRSIG after each
// answer RRset; in a negative answer the SOA, its RRSIG and at least one signed NSEC or NSEC3;
// in a referral to an unsigned child the NS and the signed NSEC or NSEC3 proving no DS.
inline constexpr uint16_t kMinSignedAnswer = 2;
inline constexpr uint16_t kMinSignedNegativeAuthority = 4;
inline constexpr uint16_t kMinSignedReferralAuthority = 3;

inline bool signed_reply_matches(Category category, const ReplySummary& r) {
    if (!reply_matches(category, r) || r.truncated) return false;
    switch (category) {
    case Category::kPositive:
        return r.answers >= kMinSignedAnswer;
    case Category::kNxdomain:
    case Category::kNodata:
        return r.authority >= kMinSignedNegativeAuthority;
    case Category::kReferral:
        return r.authority >= kMinSignedReferralAuthority;
    case Category::kCount:
        break;
    }
    return false;
}

} // namespace ringcast::bench
