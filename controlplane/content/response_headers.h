// The precomputed response headers of one variant (dataplane/content/object.h gives their order).
#pragma once

#include "dataplane/content/object.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ringcast::content {

// Bytes of the SHA-256 of a body that make its entity tag: 128 bits, 32 hex digits, as unlikely
// to collide as any site needs and shorter on the wire than all 256.
inline constexpr size_t kEtagHashBytes = 16;

// The quoted strong entity tag of `body` (RFC 9110 §8.8.3): the same bytes give the same tag on
// every PoP, and a gzip variant has a tag of its own, as §8.8.3.3 requires.
std::string entity_tag(std::span<const uint8_t> body);

// IMF-fixdate (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(int64_t unix_seconds);

struct VariantHeaders {
    std::string block;    // every line, each ending in CRLF
    size_t etag_at = 0;   // where the quoted tag starts in `block`
    size_t etag_size = 0; // its length, quotes included
};

// The header block of a variant: Content-Type, Content-Encoding (not for identity), ETag,
// Last-Modified, Cache-Control (when configured), Vary: Accept-Encoding (when the object has more
// than one variant), Accept-Ranges: bytes.
VariantHeaders variant_headers(std::string_view media_type, Encoding encoding,
                               std::string_view etag, int64_t last_modified_unix,
                               std::string_view cache_control, bool several_variants);

} // namespace ringcast::content
