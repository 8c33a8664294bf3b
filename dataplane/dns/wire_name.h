// Wire-format domain names (RFC 1035 §3.1), the facts both planes share: an uncompressed name is
// labels of 1..63 bytes, each after its length octet, ended by the zero-length root label, 255
// bytes in all at most (RFC 1035 §2.3.4); names compare ignoring ASCII case (RFC 4343 §3).
//
// measure_name() and is_whole_name() take untrusted bytes and a bound (the snapshot verifier,
// the zone compiler's RDATA checks). The others expect a "trusted" name: one from the verified
// snapshot, from libzscanner, or already measured; they read only its own bytes.
#pragma once

#include "dataplane/dns/limits.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

struct NameInfo {
    uint8_t length = 0; // wire length, root label included (0: no name)
    uint8_t labels = 0; // label count, root excluded
};

inline constexpr uint8_t kAsciiLetters = 'Z' - 'A' + 1;
inline constexpr uint8_t kAsciiCaseBit = 'a' - 'A';

// One unsigned range test, branch-free.
inline bool is_ascii_upper(uint8_t c) {
    return static_cast<uint8_t>(c - 'A') < kAsciiLetters;
}

// RFC 4343 §3: only ASCII letters fold; every other octet compares as is. Branch-free: it runs
// on every byte of every question name.
inline uint8_t ascii_lower(uint8_t c) {
    return static_cast<uint8_t>(c | (is_ascii_upper(c) ? kAsciiCaseBit : 0));
}

enum class NameCase : uint8_t {
    kAny,
    kLowercase, // no label may hold an upper-case ASCII letter
};

// Measures the uncompressed name at data[0], reading no byte at or past data[bound]: labels of
// at most 63 bytes ended by the root label within kMaxNameLength bytes (127 one-byte labels at
// most), in `letters` case. Returns {0, 0} when the bytes hold no such name: a label or the root
// past the bound or past 255 bytes, a compression pointer or an extended label type (both have
// a length octet above 63: RFC 1035 §4.1.4, RFC 6891 §5), an upper-case letter where refused.
NameInfo measure_name(const uint8_t* data, size_t bound, NameCase letters = NameCase::kAny);

// Whether data[0, size) is exactly one such name (nothing after its root label; size 0 is not).
inline bool is_whole_name(const uint8_t* data, size_t size, NameCase letters = NameCase::kAny) {
    const NameInfo info = measure_name(data, size, letters);
    return info.length != 0 && info.length == size;
}

// Length and label count of a trusted name.
NameInfo name_info(const uint8_t* name);
// Copies a trusted name in lowercase to `out` (room for its length, kMaxNameLength at most).
NameInfo copy_lowercase(const uint8_t* name, uint8_t* out);
// Whether a lowercase name lies at or below a lowercase `origin`, on label boundaries.
bool is_subdomain(const uint8_t* lower, NameInfo info, const uint8_t* origin, NameInfo origin_info);
// Whether two trusted names are equal, ignoring ASCII case (RFC 4343 §3).
bool names_equal(const uint8_t* a, const uint8_t* b);
// The name with its first label removed (the root stays the root).
inline const uint8_t* parent_name(const uint8_t* name) {
    return name[0] == 0 ? name : name + 1 + name[0];
}
// Whether the first label is the single asterisk of a wildcard (RFC 4592 §2.1.1).
inline bool is_wildcard_name(const uint8_t* name) {
    return name[0] == 1 && name[1] == '*';
}

} // namespace ringcast::dns
