// The Range request header for an object of known length (RFC 9110 §14.1.2, §14.2): one byte
// range is served as 206, an unsatisfiable one as 416, and everything else — several ranges, a
// unit other than bytes, a field that does not parse — is ignored, so the whole object is sent
// with 200, as §14.2 allows ("A server MAY ignore the Range header field").
#pragma once

#include <cstdint>
#include <string_view>

namespace ringcast::http {

struct RangeResult {
    enum class Kind : uint8_t {
        kIgnore,        // no Range, or one this server does not honour: 200, the whole object
        kSatisfiable,   // 206 with bytes first..last (inclusive, last < object size)
        kUnsatisfiable, // 416, with "Content-Range: bytes */<size>" (§15.5.17)
    } kind = Kind::kIgnore;
    uint64_t first = 0;
    uint64_t last = 0;
};

// `range` is Request::range (empty when absent); `size` the length of the variant sent.
RangeResult evaluate_range(std::string_view range, uint64_t size);

} // namespace ringcast::http
