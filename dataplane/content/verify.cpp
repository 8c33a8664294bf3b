// Content snapshot verification. Runs once per load on the control thread (allocation and
// formatted messages are fine here); afterwards the packet path trusts every index and offset.
//
// Order: what makes the rest meaningless (size, magic, version, byte order), then the checksum
// (so random corruption reads as "checksum mismatch"), then every count, section, range, offset
// and index (which catches a compiler bug even when the checksum is right). Arithmetic on
// untrusted fields is done in 64 bits, where no sum of two 32-bit fields can wrap.
#include "dataplane/content/verify.h"

#include "dataplane/snapshot/index_hash.h"
#include "dataplane/util/image_checks.h"

#include <bit>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <openssl/evp.h>
#include <string_view>
#include <vector>

namespace ringcast::content {
namespace {

constexpr std::string_view kSectionLabels[kSectionCount] = {"sites",    "hosts",       "host index",
                                                            "routes",   "route index", "objects",
                                                            "variants", "strings",     "bodies"};

using image::format;
using image::ull;

bool is_power_of_two(uint32_t v) {
    return std::has_single_bit(v);
}

// SHA-256 of the file with Header::checksum read as zeros (format.h).
bool file_checksum(const uint8_t* data, size_t size, uint8_t out[kChecksumSize]) {
    constexpr size_t kAt = offsetof(Header, checksum);
    static const uint8_t kZeros[kChecksumSize] = {};
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned int len = 0;
    const bool ok =
        ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
        EVP_DigestUpdate(ctx, data, kAt) == 1 &&
        EVP_DigestUpdate(ctx, kZeros, kChecksumSize) == 1 &&
        EVP_DigestUpdate(ctx, data + kAt + kChecksumSize, size - kAt - kChecksumSize) == 1 &&
        EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == kChecksumSize;
    EVP_MD_CTX_free(ctx);
    return ok;
}

class Verifier {
  public:
    Verifier(std::span<const uint8_t> bytes, View& view, std::string& error)
        : base_(bytes.data()), size_(bytes.size()), view_(view), error_(error) {}

    bool run() {
        return check_header() && check_checksum() && check_counts() && check_sections() &&
               map_sections() && check_sites() && check_hosts() && check_routes() &&
               check_objects() && check_variants() && check_host_index() && check_route_index();
    }

  private:
    bool fail(std::string message) {
        error_ = std::move(message);
        return false;
    }

    bool check_header() {
        const std::string error = image::check_header<Header>(
            base_, size_, {kMagic, kFormatVersion, kByteOrderMark, "content snapshot"});
        if (!error.empty()) return fail(error);
        h_ = reinterpret_cast<const Header*>(base_);
        return true;
    }

    bool check_checksum() {
        uint8_t digest[kChecksumSize];
        if (!file_checksum(base_, size_, digest))
            return fail("cannot compute SHA-256 (OpenSSL EVP failure)");
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        if (fuzzing_skip_checksum) return true; // verify.h
#endif
        if (std::memcmp(digest, h_->checksum, kChecksumSize) != 0)
            return fail("checksum mismatch: file is corrupted");
        return true;
    }

    bool check_counts() {
        if (size_ > kMaxTotalBytes)
            return fail(format("%zu bytes, above the limit of %llu", size_, ull(kMaxTotalBytes)));
        if (h_->site_count > kMaxSites)
            return fail(format("%u sites, above the limit of %u", h_->site_count, kMaxSites));
        if (h_->object_count > kMaxObjects)
            return fail(format("%u objects, above the limit of %u", h_->object_count, kMaxObjects));
        if (uint64_t{h_->host_count} > uint64_t{h_->site_count} * kMaxHostsPerSite)
            return fail(format("%u hosts for %u sites", h_->host_count, h_->site_count));
        if (uint64_t{h_->variant_count} > uint64_t{h_->object_count} * kMaxVariants)
            return fail(format("%u variants for %u objects", h_->variant_count, h_->object_count));
        // A route is an object's own path or one of its index.html's two directory names.
        if (uint64_t{h_->route_count} > uint64_t{h_->object_count} * 3)
            return fail(format("%u routes for %u objects", h_->route_count, h_->object_count));
        // An index needs a free slot so that a lookup of a missing key terminates.
        if (!is_power_of_two(h_->host_index_slots) || h_->host_index_slots <= h_->host_count)
            return fail(format("host index has %u slots for %u hosts", h_->host_index_slots,
                               h_->host_count));
        if (!is_power_of_two(h_->route_index_slots) || h_->route_index_slots <= h_->route_count)
            return fail(format("route index has %u slots for %u routes", h_->route_index_slots,
                               h_->route_count));
        return true;
    }

    bool check_section(SectionId id, uint64_t expected_size) {
        const std::string error =
            image::check_section(h_->sections[id], kSectionLabels[id], h_->header_size, size_,
                                 kAlignment, expected_size);
        return error.empty() || fail(error);
    }

    bool check_sections() {
        const Section& strings = h_->sections[kSectionStrings];
        if (strings.size > kMaxStringBytes)
            return fail(format("strings section has %llu bytes, above the limit of %u",
                               ull(strings.size), kMaxStringBytes));
        return check_section(kSectionSites, uint64_t{h_->site_count} * sizeof(Site)) &&
               check_section(kSectionHosts, uint64_t{h_->host_count} * sizeof(Host)) &&
               check_section(kSectionHostIndex,
                             uint64_t{h_->host_index_slots} * sizeof(IndexSlot)) &&
               check_section(kSectionRoutes, uint64_t{h_->route_count} * sizeof(Route)) &&
               check_section(kSectionRouteIndex,
                             uint64_t{h_->route_index_slots} * sizeof(IndexSlot)) &&
               check_section(kSectionObjects, uint64_t{h_->object_count} * sizeof(Object)) &&
               check_section(kSectionVariants, uint64_t{h_->variant_count} * sizeof(Variant)) &&
               check_section(kSectionStrings, strings.size) &&
               check_section(kSectionBodies, h_->sections[kSectionBodies].size);
    }

    bool map_sections() {
        auto at = [&](SectionId id) { return base_ + h_->sections[id].offset; };
        view_.header = h_;
        view_.sites = reinterpret_cast<const Site*>(at(kSectionSites));
        view_.hosts = reinterpret_cast<const Host*>(at(kSectionHosts));
        view_.host_index = reinterpret_cast<const IndexSlot*>(at(kSectionHostIndex));
        view_.routes = reinterpret_cast<const Route*>(at(kSectionRoutes));
        view_.route_index = reinterpret_cast<const IndexSlot*>(at(kSectionRouteIndex));
        view_.objects = reinterpret_cast<const Object*>(at(kSectionObjects));
        view_.variants = reinterpret_cast<const Variant*>(at(kSectionVariants));
        view_.strings = reinterpret_cast<const char*>(at(kSectionStrings));
        view_.bodies = reinterpret_cast<const std::byte*>(at(kSectionBodies));
        view_.host_index_mask = h_->host_index_slots - 1;
        view_.route_index_mask = h_->route_index_slots - 1;
        strings_size_ = h_->sections[kSectionStrings].size;
        bodies_size_ = h_->sections[kSectionBodies].size;
        return true;
    }

    bool string_in_bounds(StringRef ref) const {
        return uint64_t{ref.offset} + ref.length <= strings_size_;
    }

    // Each site owns the next run of hosts, routes and objects: the runs tile their arrays in
    // site order, so every entry belongs to exactly one site, which its own `site` must name.
    bool check_sites() {
        uint64_t host = 0, route = 0, object = 0;
        for (uint32_t s = 0; s < h_->site_count; ++s) {
            const Site& site = view_.sites[s];
            if (site.first_host != host || site.first_route != route || site.first_object != object)
                return fail(format("site %u: its hosts, routes or objects do not follow the "
                                   "previous site's",
                                   s));
            if (site.host_count == 0 || site.host_count > kMaxHostsPerSite)
                return fail(
                    format("site %u has %u hosts (1 to %u)", s, site.host_count, kMaxHostsPerSite));
            host += site.host_count;
            route += site.route_count;
            object += site.object_count;
            if (host > h_->host_count || route > h_->route_count || object > h_->object_count)
                return fail(format("site %u: its ranges run past the hosts, routes or objects", s));
            for (uint64_t i = site.first_host; i < host; ++i)
                if (view_.hosts[i].site != s) return fail(format("host %llu: wrong site", ull(i)));
            for (uint64_t i = site.first_route; i < route; ++i)
                if (view_.routes[i].site != s)
                    return fail(format("route %llu: wrong site", ull(i)));
            for (uint64_t i = site.first_object; i < object; ++i)
                if (view_.objects[i].site != s)
                    return fail(format("object %llu: wrong site", ull(i)));
        }
        if (host != h_->host_count || route != h_->route_count || object != h_->object_count)
            return fail("hosts, routes or objects that belong to no site");
        return true;
    }

    bool check_hosts() {
        for (uint32_t i = 0; i < h_->host_count; ++i) {
            const StringRef name = view_.hosts[i].name;
            if (!string_in_bounds(name) || name.length == 0 || name.length > kMaxHostLength)
                return fail(format("host %u: name out of bounds or of length %u", i, name.length));
            for (char c : view_.string(name))
                if (c >= 'A' && c <= 'Z') return fail(format("host %u: name not lowercase", i));
        }
        return true;
    }

    bool check_routes() {
        for (uint32_t i = 0; i < h_->route_count; ++i) {
            const Route& route = view_.routes[i];
            if (!string_in_bounds(route.path) || route.path.length == 0 ||
                route.path.length > kMaxPathLength)
                return fail(
                    format("route %u: path out of bounds or of length %u", i, route.path.length));
            if (view_.strings[route.path.offset] != '/')
                return fail(format("route %u: path does not start with '/'", i));
            if (route.object >= h_->object_count || view_.objects[route.object].site != route.site)
                return fail(
                    format("route %u: object %u is not one of its site's", i, route.object));
        }
        return true;
    }

    bool check_objects() {
        uint64_t variant = 0;
        for (uint32_t i = 0; i < h_->object_count; ++i) {
            const Object& object = view_.objects[i];
            if (object.first_variant != variant || object.variant_count == 0 ||
                object.variant_count > kMaxVariants ||
                variant + object.variant_count > h_->variant_count)
                return fail(format("object %u: variants [%u, +%u) invalid", i, object.first_variant,
                                   object.variant_count));
            unsigned seen = 0;
            for (uint32_t v = 0; v < object.variant_count; ++v) {
                const uint8_t encoding = view_.variants[variant + v].encoding;
                if (encoding >= kMaxVariants || (seen >> encoding & 1u) ||
                    (v == 0) != (encoding == uint8_t(Encoding::identity)))
                    return fail(format("object %u: variant %u has encoding %u (identity first, "
                                       "each encoding once)",
                                       i, v, encoding));
                seen |= 1u << encoding;
            }
            variant += object.variant_count;
        }
        if (variant != h_->variant_count) return fail("variants that belong to no object");
        return true;
    }

    bool check_variants() {
        std::vector<uint64_t> site_bytes(h_->site_count, 0);
        uint64_t total = 0;
        for (uint32_t i = 0; i < h_->object_count; ++i) {
            const Object& object = view_.objects[i];
            for (uint32_t v = 0; v < object.variant_count; ++v) {
                const Variant& variant = view_.variants[object.first_variant + v];
                const uint32_t n = object.first_variant + v;
                if (!string_in_bounds(variant.headers) || variant.headers.length > kMaxHeaderBlock)
                    return fail(format("variant %u: headers out of bounds", n));
                const uint64_t etag_end = uint64_t{variant.etag.offset} + variant.etag.length;
                if (variant.etag.offset < variant.headers.offset ||
                    etag_end > uint64_t{variant.headers.offset} + variant.headers.length ||
                    variant.etag.length < 2 || view_.strings[variant.etag.offset] != '"' ||
                    view_.strings[etag_end - 1] != '"')
                    return fail(format("variant %u: ETag is not a quoted tag in its headers", n));
                if (variant.body % kBodyAlignment != 0 || variant.body > bodies_size_ ||
                    variant.body_size > bodies_size_ - variant.body ||
                    variant.body_size > kMaxObjectBytes)
                    return fail(format("variant %u: body [%llu, +%llu) invalid (bodies: %llu "
                                       "bytes, %u-byte aligned)",
                                       n, ull(variant.body), ull(variant.body_size),
                                       ull(bodies_size_), kBodyAlignment));
                site_bytes[object.site] += variant.body_size;
                total += variant.body_size;
            }
        }
        for (uint32_t s = 0; s < h_->site_count; ++s)
            if (site_bytes[s] != view_.sites[s].body_bytes)
                return fail(format("site %u: body bytes %llu, its variants hold %llu", s,
                                   ull(view_.sites[s].body_bytes), ull(site_bytes[s])));
        if (total != h_->body_bytes)
            return fail(
                format("body bytes %llu, the variants hold %llu", ull(h_->body_bytes), ull(total)));
        return true;
    }

    // Every slot names an entry or is empty, each entry has exactly one slot, and a lookup of
    // each entry's key finds that entry: a compiler that put one in the wrong slot, or two
    // entries under one key, is caught here rather than by a request that misses.
    bool check_slots(const IndexSlot* slots, uint32_t slot_count, uint32_t entries,
                     const char* what) {
        std::vector<bool> seen(entries, false);
        for (uint32_t i = 0; i < slot_count; ++i) {
            const uint32_t target = slots[i].target;
            if (target == kNone) continue;
            if (target >= entries || seen[target])
                return fail(
                    format("%s index slot %u: entry %u invalid or indexed twice", what, i, target));
            seen[target] = true;
        }
        for (uint32_t i = 0; i < entries; ++i)
            if (!seen[i]) return fail(format("%s %u is not in the index", what, i));
        return true;
    }

    bool check_host_index() {
        if (!check_slots(view_.host_index, h_->host_index_slots, h_->host_count, "host"))
            return false;
        for (uint32_t i = 0; i < h_->host_count; ++i) {
            const Host& host = view_.hosts[i];
            const uint64_t hash = snapshot::index_hash(
                reinterpret_cast<const uint8_t*>(view_.strings + host.name.offset),
                host.name.length, host_index_seed(h_->hash_seed));
            if (!reaches(view_.host_index, view_.host_index_mask, hash, i))
                return fail(format("host %u is not where its hash leads", i));
            if (view_.find_site(view_.string(host.name)) != host.site)
                return fail(format("host %u: its name is also another host's", i));
        }
        return true;
    }

    bool check_route_index() {
        if (!check_slots(view_.route_index, h_->route_index_slots, h_->route_count, "route"))
            return false;
        for (uint32_t i = 0; i < h_->route_count; ++i) {
            const Route& route = view_.routes[i];
            const uint64_t hash = snapshot::index_hash(
                reinterpret_cast<const uint8_t*>(view_.strings + route.path.offset),
                route.path.length, route_index_seed(h_->hash_seed, route.site));
            if (!reaches(view_.route_index, view_.route_index_mask, hash, i))
                return fail(format("route %u is not where its hash leads", i));
            if (view_.find_object(route.site, view_.string(route.path)) != route.object)
                return fail(format("route %u: its path is also another route's", i));
        }
        return true;
    }

    // Whether probing for `hash` reaches `target`'s slot, with the right tag, before an empty
    // slot (terminates: check_counts left one empty).
    static bool reaches(const IndexSlot* slots, uint32_t mask, uint64_t hash, uint32_t target) {
        for (uint32_t slot = static_cast<uint32_t>(hash) & mask;; slot = (slot + 1) & mask) {
            if (slots[slot].target == kNone) return false;
            if (slots[slot].target == target) return slots[slot].tag == snapshot::index_tag(hash);
        }
    }

    const uint8_t* base_;
    size_t size_;
    View& view_;
    std::string& error_;
    const Header* h_ = nullptr;
    uint64_t strings_size_ = 0;
    uint64_t bodies_size_ = 0;
};

} // namespace

bool verify_content(std::span<const uint8_t> bytes, View& view, std::string& error) {
    View candidate;
    if (!Verifier(bytes, candidate, error).run()) return false;
    view = candidate;
    return true;
}

} // namespace ringcast::content
