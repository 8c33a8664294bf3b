#include "dataplane/dns/nsec3_hash.h"

#include "dataplane/dns/protocol.h"
#include "dataplane/util/sha1.h"

#include <cstring>

namespace ringcast::dns {
namespace {

constexpr char kBase32Hex[] = "0123456789abcdefghijklmnopqrstuv"; // lowercase, as owners are

} // namespace

void nsec3_digest(const uint8_t* lower, size_t len, const Nsec3Params& params,
                  uint8_t (&digest)[kNsec3DigestSize]) {
    // RFC 5155 §5: IH(0) = H(name || salt), IH(k) = H(IH(k-1) || salt).
    static_assert(kNsec3DigestSize == util::kSha1DigestSize);
    util::Sha1 sha;
    sha.update(lower, len);
    sha.update(params.salt, params.salt_length);
    sha.finish(digest);
    for (unsigned i = 0; i < params.iterations; ++i) {
        sha.reset();
        sha.update(digest, sizeof digest);
        sha.update(params.salt, params.salt_length);
        sha.finish(digest);
    }
}

size_t nsec3_owner_name(const uint8_t (&digest)[kNsec3DigestSize], const uint8_t* origin,
                        size_t origin_len, uint8_t* out) {
    if (1 + kNsec3HashLabelLength + origin_len > kMaxNameLength) return 0;
    // Base32hex (RFC 4648 §7): each 5 bytes are 8 characters, most significant bits first;
    // 160 bits are 4 such groups, with no padding.
    constexpr size_t kGroupBytes = 5, kGroupChars = 8, kBitsPerChar = 5;
    out[0] = kNsec3HashLabelLength;
    for (size_t g = 0; g < sizeof digest / kGroupBytes; ++g) {
        uint64_t bits = 0;
        for (size_t i = 0; i < kGroupBytes; ++i)
            bits = bits << 8 | digest[g * kGroupBytes + i];
        uint8_t* chars = out + 1 + g * kGroupChars;
        for (size_t c = 0; c < kGroupChars; ++c)
            chars[c] = static_cast<uint8_t>(
                kBase32Hex[(bits >> (kBitsPerChar * (kGroupChars - 1 - c))) & 0x1f]);
    }
    std::memcpy(out + 1 + kNsec3HashLabelLength, origin, origin_len);
    return 1 + kNsec3HashLabelLength + origin_len;
}

size_t nsec3_owner_name(const uint8_t* lower, size_t len, const Nsec3Params& params,
                        const uint8_t* origin, size_t origin_len, uint8_t* out) {
    uint8_t digest[kNsec3DigestSize];
    nsec3_digest(lower, len, params, digest);
    return nsec3_owner_name(digest, origin, origin_len, out);
}

} // namespace ringcast::dns
