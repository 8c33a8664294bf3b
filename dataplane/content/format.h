// The content snapshot file format: the one contract between ringcastd's content compiler
// (controlplane/content, which writes it) and ringcast-dataplane (dataplane/content, which maps
// it read-only and serves objects from it). A companion of the zone snapshot
// (dataplane/snapshot/format.h): built beside it with the same generation, loaded with it, and
// published to the lcores together with it.
//
// Integers are little-endian fixed-width fields read in place (the static_assert below keeps the
// build to little-endian hosts; a byte-order mark in the header catches a file written by a
// foreign one). Every cross reference is an index or an offset, never a pointer, and is checked
// by the verifier (dataplane/content/verify.cpp) before the snapshot is published, so the packet
// path does no bounds checks of its own.
//
// Layout: Header, then the sections at the offsets the header gives, each aligned to kAlignment.
//   sites       Site[site_count]
//   hosts       Host[host_count], grouped by site
//   host index  IndexSlot[host_index_slots]: lowercase host name -> host
//   routes      Route[route_count], grouped by site: a request path -> object
//   route index IndexSlot[route_index_slots]: (site, path) -> route
//   objects     Object[object_count], grouped by site
//   variants    Variant[variant_count], each object's variant_count of them in a row
//   strings     bytes (not NUL-terminated): host names, paths, header blocks
//   bodies      each variant's body, at a multiple of kBodyAlignment
//
// A route is a name an object answers to. An object has one route for its own path, and a
// directory's index.html two more: "/dir/" (the root's is "/") and "/dir" without the slash.
// Serving "/dir" directly rather than redirecting it to "/dir/" costs no round trip; the price
// is that relative links in that index.html resolve against the parent directory when it is
// fetched as "/dir", so pages that use relative links should be linked to with the slash.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace ringcast::content {

static_assert(std::endian::native == std::endian::little,
              "the content snapshot stores little-endian fields and reads them in place");

inline constexpr char kMagic[8] = {'R', 'C', 'C', 'O', 'N', 'T', '\r', '\n'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint32_t kByteOrderMark = 0x01020304;
inline constexpr uint32_t kAlignment = 64;     // every section
inline constexpr uint32_t kBodyAlignment = 64; // every body: a cache line, for transmit from it
inline constexpr uint32_t kNone = 0xffffffffu; // an empty index slot
inline constexpr uint32_t kChecksumSize = 32;  // SHA-256

// Limits the compiler enforces and the verifier checks again.
inline constexpr size_t kMaxHostLength = 253;     // a DNS name in text form (RFC 1035 §2.3.4)
inline constexpr size_t kMaxPathLength = 1024;    // decoded request path, leading '/' included
inline constexpr uint32_t kMaxSites = 4096;       // [[site]] tables
inline constexpr uint32_t kMaxHostsPerSite = 64;  // names in one site's hosts
inline constexpr uint32_t kMaxObjects = 1u << 20; // objects over every site
inline constexpr uint64_t kMaxObjectBytes = 256ull << 20; // one variant's body
inline constexpr uint64_t kMaxTotalBytes = 4ull << 30;    // the whole file
inline constexpr uint32_t kMaxStringBytes = 0x7fffffffu;  // strings section (u32 offsets)
inline constexpr size_t kMaxHeaderBlock = 2048;           // one variant's precomputed headers

enum SectionId : uint32_t {
    kSectionSites,
    kSectionHosts,
    kSectionHostIndex,
    kSectionRoutes,
    kSectionRouteIndex,
    kSectionObjects,
    kSectionVariants,
    kSectionStrings,
    kSectionBodies,
    kSectionCount
};

struct Section {
    uint64_t offset; // from the start of the file; a multiple of kAlignment
    uint64_t size;   // bytes
};

struct Header {
    char magic[8];
    uint32_t format_version;
    uint32_t byte_order;  // kByteOrderMark as written by the compiler
    uint32_t header_size; // sizeof(Header) of the writer
    uint32_t reserved0;
    uint64_t file_size; // the whole file, header included
    // SHA-256 over the whole file with these 32 bytes taken as zero: any byte changed anywhere,
    // header fields and padding included, and the file is refused.
    uint8_t checksum[kChecksumSize];
    uint64_t generation;   // the zone snapshot's generation it was compiled with
    uint64_t created_unix; // seconds since the epoch
    uint64_t hash_seed;    // seed of both indexes (see route_index_seed())
    uint32_t site_count;
    uint32_t host_count;
    uint32_t route_count;
    uint32_t object_count;
    uint32_t variant_count;
    uint32_t host_index_slots;  // power of two, above host_count
    uint32_t route_index_slots; // power of two, above route_count
    uint32_t reserved1;
    uint64_t body_bytes; // sum of every variant's body size
    Section sections[kSectionCount];
};
static_assert(sizeof(Header) == 272);

// A string in kSectionStrings.
struct StringRef {
    uint32_t offset;
    uint32_t length;
};
static_assert(sizeof(StringRef) == 8);

struct Site {
    uint32_t first_host; // hosts [first_host, first_host + host_count)
    uint32_t host_count; // >= 1; the first is the site's name in status and metrics
    uint32_t first_route;
    uint32_t route_count;
    uint32_t first_object;
    uint32_t object_count;
    uint64_t body_bytes; // its variants' bodies
};
static_assert(sizeof(Site) == 32);

struct Host {
    StringRef name; // lowercase, 1..kMaxHostLength bytes
    uint32_t site;
    uint32_t reserved;
};
static_assert(sizeof(Host) == 16);

struct Route {
    StringRef path; // percent-decoded, starts with '/', 1..kMaxPathLength bytes
    uint32_t site;
    uint32_t object; // an object of the same site
};
static_assert(sizeof(Route) == 16);

struct Object {
    int64_t last_modified_unix; // the identity file's mtime
    uint32_t site;
    uint32_t first_variant; // variants [first_variant, first_variant + variant_count)
    uint8_t variant_count;  // 1..kMaxVariants (object.h)
    uint8_t reserved[7];
};
static_assert(sizeof(Object) == 24);

struct Variant {
    uint8_t encoding; // content::Encoding (object.h); an object's first variant is identity
    uint8_t reserved[7];
    StringRef headers; // object.h VariantView::headers, up to kMaxHeaderBlock bytes
    StringRef etag;    // inside `headers`: the quoted tag after "ETag: "
    uint64_t body;     // offset in kSectionBodies, a multiple of kBodyAlignment
    uint64_t body_size;
};
static_assert(sizeof(Variant) == 40);

// Index slot: `tag` is the upper 32 bits of the key's 64-bit hash, `target` the host or route
// (kNone marks an empty slot). Probing is linear from (hash & (slots - 1)), and stops at the
// first empty slot; the compiler fills an index at most half full.
struct IndexSlot {
    uint32_t tag;
    uint32_t target;
};
static_assert(sizeof(IndexSlot) == 8);

// Both indexes hash their key's bytes with XXH3-64 (dataplane/snapshot/index_hash.h): the host
// index a lowercase host name with hash_seed, the route index a path with the site mixed into
// the seed, so the same path in two sites has one entry for each.
inline constexpr uint64_t host_index_seed(uint64_t hash_seed) {
    return hash_seed;
}
inline constexpr uint64_t route_index_seed(uint64_t hash_seed, uint32_t site) {
    return hash_seed ^ (0x9e3779b97f4a7c15ull * (uint64_t{site} + 1));
}

} // namespace ringcast::content
