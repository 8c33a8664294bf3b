#include "dataplane/http/range.h"

#include "dataplane/http/chars.h"

namespace ringcast::http {
namespace {

// Reads 1*DIGIT from the front of `s`, saturating at UINT64_MAX (a huge first-pos is simply
// past the end, a huge suffix-length simply the whole object). False when there is no digit.
bool take_number(std::string_view& s, uint64_t& out) {
    size_t i = 0;
    out = 0;
    for (; i < s.size() && chars::is_digit(static_cast<uint8_t>(s[i])); ++i) {
        const uint64_t digit = static_cast<uint64_t>(s[i] - '0');
        out = out > (UINT64_MAX - digit) / 10 ? UINT64_MAX : out * 10 + digit;
    }
    s.remove_prefix(i);
    return i > 0;
}

} // namespace

RangeResult evaluate_range(std::string_view range, uint64_t size) {
    constexpr RangeResult kIgnore{};
    // ranges-specifier = range-unit "=" range-set; range units are case-insensitive (§14.1).
    const size_t eq = range.find('=');
    if (eq == std::string_view::npos || !chars::iequals(range.substr(0, eq), "bytes"))
        return kIgnore;
    std::string_view set = range.substr(eq + 1);

    // range-set = 1#range-spec. Only a single range is served; several (a multipart/byteranges
    // answer) are ignored, which also defuses overlapping-range amplification (§14.2).
    std::string_view spec, more;
    if (!chars::next_list_element(set, spec) || chars::next_list_element(set, more)) return kIgnore;

    RangeResult r;
    if (spec.front() == '-') {
        // suffix-range = "-" suffix-length: the last N bytes (§14.1.2).
        spec.remove_prefix(1);
        uint64_t suffix = 0;
        if (!take_number(spec, suffix) || !spec.empty()) return kIgnore;
        // Satisfiable with a non-zero length; an empty object has no bytes to send, so it is
        // served whole (200 with an empty body) rather than as an impossible 206.
        if (suffix == 0) return {RangeResult::Kind::kUnsatisfiable, 0, 0};
        if (size == 0) return kIgnore;
        r.first = suffix >= size ? 0 : size - suffix;
        r.last = size - 1;
    } else {
        // int-range = first-pos "-" [ last-pos ]; last-pos < first-pos is invalid (§14.1.2).
        uint64_t first = 0, last = UINT64_MAX;
        if (!take_number(spec, first) || spec.empty() || spec.front() != '-') return kIgnore;
        spec.remove_prefix(1);
        if (!spec.empty() && (!take_number(spec, last) || !spec.empty())) return kIgnore;
        if (last < first) return kIgnore;
        // Satisfiable when first-pos is inside the object; last-pos is cut to its end.
        if (first >= size) return {RangeResult::Kind::kUnsatisfiable, 0, 0};
        r.first = first;
        r.last = last >= size ? size - 1 : last;
    }
    r.kind = RangeResult::Kind::kSatisfiable;
    return r;
}

} // namespace ringcast::http
