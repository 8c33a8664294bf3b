// The canonical order of DNS names (RFC 4034 §6.1), in which an NSEC chain runs: the snapshot
// builder sorts each zone's NSEC owners by it, the verifier checks that, and the responder
// searches it for the NSEC covering a missing name. Header-only: both planes use it.
#pragma once

#include "dataplane/dns/limits.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringcast::snapshot {

namespace canonical_detail {

using dns::kMaxLabels; // the root is not among the offsets

// Offsets of the labels of `name`, root excluded; returns how many.
inline size_t label_offsets(const uint8_t* name, size_t len, uint8_t (&out)[kMaxLabels]) {
    size_t count = 0;
    for (size_t at = 0; at < len && name[at] != 0 && count < kMaxLabels; at += 1u + name[at])
        out[count++] = static_cast<uint8_t>(at);
    return count;
}

} // namespace canonical_detail

// <0, 0 or >0 as `a` sorts before, equal to or after `b`. Both are lowercase uncompressed wire
// names of `a_len` and `b_len` bytes, root label included (at most 255 bytes).
inline int canonical_compare(const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len) {
    using canonical_detail::kMaxLabels;
    uint8_t a_labels[kMaxLabels];
    uint8_t b_labels[kMaxLabels];
    size_t i = canonical_detail::label_offsets(a, a_len, a_labels);
    size_t j = canonical_detail::label_offsets(b, b_len, b_labels);
    // Most significant (rightmost) label first; a missing label sorts first, and within a
    // label the octets compare unsigned, a shorter prefix first.
    while (i > 0 && j > 0) {
        const uint8_t* la = a + a_labels[--i];
        const uint8_t* lb = b + b_labels[--j];
        const int c = std::memcmp(la + 1, lb + 1, std::min(la[0], lb[0]));
        if (c != 0) return c;
        if (la[0] != lb[0]) return la[0] < lb[0] ? -1 : 1;
    }
    return i > 0 ? 1 : (j > 0 ? -1 : 0);
}

} // namespace ringcast::snapshot
