// The query path's names (RFC 1035 §3.1): reading a question name with the protocol's limits
// into its lowercase form, skipping record owners, and case-insensitive comparison eight bytes
// at a time. The facts both planes share (measuring, case folding, trusted-name walks) are in
// dataplane/dns/wire_name.h.
#pragma once

#include "dataplane/dns/protocol.h"
#include "dataplane/dns/wire.h"
#include "dataplane/dns/wire_name.h"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringcast::dns {

// ascii_lower on eight bytes at once (SWAR): a byte is an upper-case letter when its low seven
// bits are >= 'A' and <= 'Z' and its top bit is clear; adding the case bit (0x20) then lowers
// it. The per-byte additions stay below 0x100, so no carry crosses into the next byte.
inline uint64_t ascii_lower8(uint64_t x) {
    constexpr uint64_t kEachByte = 0x0101010101010101ull;
    const uint64_t low7 = x & (0x7f * kEachByte);
    const uint64_t at_least_a = low7 + (0x80 - 'A') * kEachByte;  // top bit: >= 'A'
    const uint64_t above_z = low7 + (0x80 - 'Z' - 1) * kEachByte; // top bit: > 'Z'
    const uint64_t upper = (at_least_a ^ above_z) & ~x & (0x80 * kEachByte);
    return x | (upper >> 2); // 0x80 >> 2 == 0x20, the case bit
}

// The index of the first of `len` bytes where `a` and `b` differ ignoring ASCII case, or `len`
// when they are equal. Reads only bytes [0, len) of each, eight at a time when len >= 8.
inline size_t first_mismatch_ignoring_case(const uint8_t* a, const uint8_t* b, size_t len) {
    constexpr size_t kWord = sizeof(uint64_t);
    if (len < kWord) {
        for (size_t i = 0; i < len; ++i)
            if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i])) return i;
        return len;
    }
    for (size_t i = 0;;) {
        // The last word overlaps the one before: its first bytes are known equal already.
        if (i + kWord > len) i = len - kWord;
        uint64_t x;
        uint64_t y;
        std::memcpy(&x, a + i, kWord);
        std::memcpy(&y, b + i, kWord);
        if (x != y) {
            const uint64_t diff = ascii_lower8(x) ^ ascii_lower8(y);
            if (diff != 0) {
                // The first differing byte in memory order.
                if constexpr (std::endian::native == std::endian::little)
                    return i + static_cast<size_t>(__builtin_ctzll(diff)) / 8;
                else
                    return i + static_cast<size_t>(__builtin_clzll(diff)) / 8;
            }
        }
        i += kWord;
        if (i >= len) return len;
    }
}

enum class NameStatus : uint8_t {
    kOk,
    kTruncated,    // runs past the message
    kCompressed,   // a compression pointer where none may be (RFC 1035 §4.1.4)
    kBadLabelType, // 0x40/0x80 label types (RFC 6891 §5: obsolete extended labels)
    kLabelTooLong, // more than 63 bytes (RFC 1035 §2.3.4)
    kNameTooLong,  // more than 255 bytes (RFC 1035 §2.3.4)
};

// Reads the uncompressed question name at the reader's position, writing its lowercase form to
// `lower` (room for kMaxNameLength bytes). On kOk the reader is past the name.
NameStatus read_question_name(WireReader& reader, uint8_t* lower, NameInfo& info);

// Skips the owner name of a record in a query: labels ended by the root label or by one
// compression pointer (where it points is irrelevant when skipping). Returns false when the
// name is malformed or runs past the message; `is_root` tells whether it was the root name.
bool skip_record_name(WireReader& reader, bool& is_root);

} // namespace ringcast::dns
