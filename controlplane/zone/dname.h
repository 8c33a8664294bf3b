// Helpers for uncompressed wire-format domain names (RFC 1035 §3.1): a sequence of
// length-prefixed labels ending with the zero-length root label. Every function here expects a
// well-formed name, as produced by libzscanner or by from_presentation(); none follows
// compression pointers, which never appear in zone data.
#pragma once

#include "dataplane/dns/limits.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringcast::zone::dname {

using dns::kMaxLabelLength;
using dns::kMaxNameLength;

using Name = std::span<const uint8_t>;

// ASCII-only case folding: DNS names compare case-insensitively on A-Z only (RFC 4343 §3).
inline uint8_t lower(uint8_t c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<uint8_t>(c + 32) : c;
}

// Writes the lowercase form of `name` to `out` (at least name.size() bytes).
void to_lower(Name name, uint8_t* out);
std::vector<uint8_t> lowered(Name name);

// Length of the well-formed name starting at data[0], root label included, or 0 when the bytes
// do not hold one within `size` (a label runs past the end, a compression pointer, > 255 bytes).
size_t wire_length(const uint8_t* data, size_t size);

// Label count, root excluded: "example.net." has 2, "." has 0.
unsigned label_count(Name name);

// True when `name` is `origin` or below it. Both must be lowercase.
bool is_at_or_below(Name name, Name origin);

// The name with its first label removed; `name` must not be the root.
inline Name parent(Name name) {
    return name.subspan(1u + name[0]);
}

// True when the first label is the single asterisk of a wildcard (RFC 4592 §2.1.1).
inline bool is_wildcard(Name name) {
    return name.size() >= 2 && name[0] == 1 && name[1] == '*';
}

// Case-insensitive equality.
bool equal_ignore_case(Name a, Name b);

// Absolute presentation form ("www.example.net."), characters outside letters, digits, '-', '_'
// and '*' escaped as in RFC 1035 §5.1 (\. \\ for specials, \DDD for the rest). Case preserved.
std::string to_presentation(Name name);

// Parses an absolute or relative presentation name; a missing final dot is added, so the result is
// always absolute. Handles \X and \DDD escapes. Returns false and sets `error` when malformed.
bool from_presentation(std::string_view text, std::vector<uint8_t>& out, std::string& error);

} // namespace ringcast::zone::dname
