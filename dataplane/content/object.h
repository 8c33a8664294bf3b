// What a content lookup gives the HTTP responder: one static object, in up to kMaxVariants
// encodings, every byte of it (headers and body) pointing into the mapped content snapshot, so a
// response is sent from snapshot memory without a copy.
//
// The seam between controlplane/content (which compiles a site directory into the snapshot),
// dataplane/content (which maps, verifies and looks objects up) and dataplane/http (which
// chooses a variant and writes the status line and the per-response headers).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace ringcast::content {

// Identity is always present; precompressed siblings (`name.gz`, `name.br`) add the others.
enum class Encoding : std::uint8_t { identity = 0, gzip = 1, br = 2 };
inline constexpr std::size_t kMaxVariants = 3;

struct VariantView {
    Encoding encoding = Encoding::identity;
    std::span<const std::byte> body;
    // Precomputed response headers for this variant, each line ending in CRLF, in this order:
    // Content-Type, Content-Encoding (not for identity), ETag, Last-Modified, Cache-Control,
    // Vary: Accept-Encoding (when the object has more than one variant), Accept-Ranges: bytes.
    // No Content-Length, Content-Range, Date or Connection: those depend on the request.
    std::string_view headers;
    // The entity tag as sent, quoted ("\"<hex>\""), for If-None-Match (RFC 9110 §13.1.2).
    // Computed from the content hash so every PoP sends the same tag for the same bytes.
    std::string_view etag;
};

struct ObjectView {
    // Seconds since the epoch, for If-Modified-Since (RFC 9110 §13.1.3).
    std::int64_t last_modified_unix = 0;
    std::uint8_t variant_count = 0; // 1..kMaxVariants; variants[0] is identity
    std::array<VariantView, kMaxVariants> variants{};

    std::span<const VariantView> all() const { return {variants.data(), variant_count}; }
};

} // namespace ringcast::content
