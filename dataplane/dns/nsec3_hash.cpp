#include "dataplane/dns/nsec3_hash.h"

#include "dataplane/dns/protocol.h"
#include "dataplane/util/sha1.h"

#include <cstring>

namespace ringcast::dns {
namespace {

constexpr size_t kHashLabel = 32; // 160 bits in base32hex (RFC 4648 §7)
constexpr char kBase32Hex[] = "0123456789abcdefghijklmnopqrstuv"; // lowercase, as owners are

} // namespace

size_t nsec3_owner_name(const uint8_t* lower, size_t len, const Nsec3Params& params,
                        const uint8_t* origin, size_t origin_len, uint8_t* out) {
    if (1 + kHashLabel + origin_len > kMaxNameLength) return 0;
    // RFC 5155 §5: IH(0) = H(name || salt), IH(k) = H(IH(k-1) || salt).
    util::Sha1 sha;
    uint8_t digest[util::kSha1DigestSize];
    sha.update(lower, len);
    sha.update(params.salt, params.salt_length);
    sha.finish(digest);
    for (unsigned i = 0; i < params.iterations; ++i) {
        sha.reset();
        sha.update(digest, sizeof digest);
        sha.update(params.salt, params.salt_length);
        sha.finish(digest);
    }
    // Base32hex, five bits at a time, most significant first (RFC 4648 §7; 160 bits, no pad).
    out[0] = kHashLabel;
    for (size_t i = 0; i < kHashLabel; ++i) {
        const size_t bit = i * 5;
        const unsigned pair = unsigned{digest[bit / 8]} << 8 |
                              (bit / 8 + 1 < sizeof digest ? digest[bit / 8 + 1] : 0u);
        out[1 + i] = static_cast<uint8_t>(kBase32Hex[(pair >> (11 - bit % 8)) & 0x1f]);
    }
    std::memcpy(out + 1 + kHashLabel, origin, origin_len);
    return 1 + kHashLabel + origin_len;
}

} // namespace ringcast::dns
