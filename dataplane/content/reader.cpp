// Opening a content snapshot and the lookups of the packet path (no bounds checks here: the
// verifier has done them).
#include "dataplane/content/reader.h"

#include "dataplane/content/verify.h"
#include "dataplane/snapshot/file_image.h"
#include "dataplane/snapshot/index_hash.h"

#include <cstring>

namespace ringcast::content {
namespace {

// What /proc/PID/maps calls the image, beside the zone snapshot's "ringcast-snapshot".
constexpr char kMappingName[] = "ringcast-content";

using snapshot::index_hash;
using snapshot::index_tag;

uint64_t hash_of(std::string_view key, uint64_t seed) {
    return index_hash(reinterpret_cast<const uint8_t*>(key.data()), key.size(), seed);
}

bool same(std::string_view stored, std::string_view key) {
    return stored.size() == key.size() && std::memcmp(stored.data(), key.data(), key.size()) == 0;
}

} // namespace

uint32_t View::find_site(std::string_view host) const {
    if (!header || host.empty() || host.size() > kMaxHostLength) return kNone;
    char lower[kMaxHostLength];
    for (size_t i = 0; i < host.size(); ++i) {
        const char c = host[i];
        lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    const std::string_view key(lower, host.size());
    const uint64_t hash = hash_of(key, host_index_seed(header->hash_seed));
    const uint32_t tag = index_tag(hash);
    // Terminates: the verifier guarantees an empty slot.
    for (uint32_t slot = static_cast<uint32_t>(hash) & host_index_mask;;
         slot = (slot + 1) & host_index_mask) {
        const IndexSlot& s = host_index[slot];
        if (s.target == kNone) return kNone;
        if (s.tag == tag && same(string(hosts[s.target].name), key)) return hosts[s.target].site;
    }
}

uint32_t View::find_object(uint32_t site, std::string_view path) const {
    const uint64_t hash = hash_of(path, route_index_seed(header->hash_seed, site));
    const uint32_t tag = index_tag(hash);
    for (uint32_t slot = static_cast<uint32_t>(hash) & route_index_mask;;
         slot = (slot + 1) & route_index_mask) {
        const IndexSlot& s = route_index[slot];
        if (s.target == kNone) return kNone;
        const Route& route = routes[s.target];
        if (s.tag == tag && route.site == site && same(string(route.path), path))
            return route.object;
    }
}

ObjectView View::object_view(uint32_t index) const {
    const Object& object = objects[index];
    ObjectView out;
    out.last_modified_unix = object.last_modified_unix;
    out.variant_count = object.variant_count;
    for (uint32_t i = 0; i < object.variant_count; ++i) {
        const Variant& v = variants[object.first_variant + i];
        out.variants[i] = VariantView{static_cast<Encoding>(v.encoding),
                                      {bodies + v.body, static_cast<size_t>(v.body_size)},
                                      string(v.headers),
                                      string(v.etag)};
    }
    return out;
}

std::optional<ObjectView> View::find(std::string_view host, std::string_view path) const {
    const uint32_t site = find_site(host);
    if (site == kNone) return std::nullopt;
    const uint32_t object = find_object(site, path);
    if (object == kNone) return std::nullopt;
    return object_view(object);
}

// ---- Opening ----

Snapshot::~Snapshot() = default;

std::unique_ptr<Snapshot> Snapshot::empty() {
    return std::unique_ptr<Snapshot>(new Snapshot());
}

std::unique_ptr<Snapshot> Snapshot::open_memory(std::span<const uint8_t> bytes,
                                                std::string& error) {
    std::unique_ptr<Snapshot> out(new Snapshot());
    if (!verify_content(bytes, out->view_, error)) return nullptr;
    return out;
}

std::unique_ptr<Snapshot> Snapshot::open_file(const std::string& path, std::string& error) {
    std::unique_ptr<Snapshot> out(new Snapshot());
    out->image_ = std::make_unique<snapshot::FileImage>();
    std::string why;
    if (!out->image_->load(path, sizeof(Header), kMappingName, why) ||
        !verify_content({out->image_->data(), out->image_->size()}, out->view_, why)) {
        error = "content " + path + ": " + why;
        return nullptr;
    }
    return out;
}

} // namespace ringcast::content
