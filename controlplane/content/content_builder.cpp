#include "controlplane/content/content_builder.h"

#include "dataplane/snapshot/index_hash.h"

#include <cstring>
#include <ctime>
#include <openssl/evp.h>
#include <random>
#include <stdexcept>

namespace ringcast::content {
namespace {

uint64_t align_up(uint64_t value, uint64_t alignment) {
    return (value + alignment - 1) / alignment * alignment;
}

// Slots for `entries` keys: a power of two at least twice the count (at most half full), so
// nearly every lookup probes one or two slots and a missing key meets an empty slot soon.
uint32_t index_slots(uint32_t entries) {
    uint32_t slots = 1;
    while (slots < uint64_t{entries} * 2)
        slots <<= 1;
    return slots;
}

void insert(std::vector<IndexSlot>& index, std::string_view key, uint64_t seed, uint32_t target) {
    const uint64_t hash =
        snapshot::index_hash(reinterpret_cast<const uint8_t*>(key.data()), key.size(), seed);
    const uint32_t mask = static_cast<uint32_t>(index.size() - 1);
    uint32_t slot = static_cast<uint32_t>(hash) & mask;
    while (index[slot].target != kNone)
        slot = (slot + 1) & mask;
    index[slot] = IndexSlot{snapshot::index_tag(hash), target};
}

class StringPool {
  public:
    StringRef add(std::string_view text) {
        if (bytes_.size() + text.size() > kMaxStringBytes)
            throw std::length_error("more header and path text than a content snapshot holds");
        const StringRef ref{static_cast<uint32_t>(bytes_.size()),
                            static_cast<uint32_t>(text.size())};
        bytes_.append(text);
        return ref;
    }
    const std::string& bytes() const { return bytes_; }

  private:
    std::string bytes_;
};

template <typename T>
void put(std::vector<uint8_t>& file, uint64_t at, const std::vector<T>& items) {
    if (!items.empty()) std::memcpy(file.data() + at, items.data(), items.size() * sizeof(T));
}

} // namespace

std::vector<uint8_t> build_content_image(const std::vector<CompiledSite>& sites,
                                         const ContentOptions& options) {
    std::vector<Site> site_table;
    std::vector<Host> hosts;
    std::vector<Route> routes;
    std::vector<Object> objects;
    std::vector<Variant> variants;
    StringPool strings;
    uint64_t bodies_size = 0;
    uint64_t body_bytes = 0;

    for (uint32_t s = 0; s < sites.size(); ++s) {
        const CompiledSite& site = sites[s];
        Site record{};
        record.first_host = static_cast<uint32_t>(hosts.size());
        record.host_count = static_cast<uint32_t>(site.hosts.size());
        record.first_route = static_cast<uint32_t>(routes.size());
        record.first_object = static_cast<uint32_t>(objects.size());
        record.object_count = static_cast<uint32_t>(site.objects.size());
        for (const std::string& host : site.hosts)
            hosts.push_back(Host{strings.add(host), s, 0});
        for (const CompiledObject& object : site.objects) {
            const auto index = static_cast<uint32_t>(objects.size());
            Object o{};
            o.last_modified_unix = object.last_modified_unix;
            o.site = s;
            o.first_variant = static_cast<uint32_t>(variants.size());
            o.variant_count = static_cast<uint8_t>(object.variants.size());
            objects.push_back(o);
            for (const std::string& path : object.routes)
                routes.push_back(Route{strings.add(path), s, index});
            for (const CompiledVariant& variant : object.variants) {
                Variant v{};
                v.encoding = static_cast<uint8_t>(variant.encoding);
                v.headers = strings.add(variant.headers);
                v.etag = StringRef{v.headers.offset + static_cast<uint32_t>(variant.etag_at),
                                   static_cast<uint32_t>(variant.etag_size)};
                v.body = bodies_size;
                v.body_size = variant.body.size();
                bodies_size = align_up(bodies_size + variant.body.size(), kBodyAlignment);
                body_bytes += variant.body.size();
                record.body_bytes += variant.body.size();
                variants.push_back(v);
            }
        }
        record.route_count = static_cast<uint32_t>(routes.size()) - record.first_route;
        site_table.push_back(record);
    }

    uint64_t seed = options.hash_seed;
    if (seed == 0) seed = (uint64_t{std::random_device{}()} << 32) | std::random_device{}();

    std::vector<IndexSlot> host_index(index_slots(static_cast<uint32_t>(hosts.size())),
                                      IndexSlot{0, kNone});
    for (uint32_t i = 0; i < hosts.size(); ++i)
        insert(host_index, strings.bytes().substr(hosts[i].name.offset, hosts[i].name.length),
               host_index_seed(seed), i);
    std::vector<IndexSlot> route_index(index_slots(static_cast<uint32_t>(routes.size())),
                                       IndexSlot{0, kNone});
    for (uint32_t i = 0; i < routes.size(); ++i)
        insert(route_index, strings.bytes().substr(routes[i].path.offset, routes[i].path.length),
               route_index_seed(seed, routes[i].site), i);

    Header header{};
    std::memcpy(header.magic, kMagic, sizeof kMagic);
    header.format_version = kFormatVersion;
    header.byte_order = kByteOrderMark;
    header.header_size = sizeof(Header);
    header.generation = options.generation;
    header.created_unix =
        options.created_unix ? options.created_unix : static_cast<uint64_t>(std::time(nullptr));
    header.hash_seed = seed;
    header.site_count = static_cast<uint32_t>(site_table.size());
    header.host_count = static_cast<uint32_t>(hosts.size());
    header.route_count = static_cast<uint32_t>(routes.size());
    header.object_count = static_cast<uint32_t>(objects.size());
    header.variant_count = static_cast<uint32_t>(variants.size());
    header.host_index_slots = static_cast<uint32_t>(host_index.size());
    header.route_index_slots = static_cast<uint32_t>(route_index.size());
    header.body_bytes = body_bytes;

    const uint64_t sizes[kSectionCount] = {site_table.size() * sizeof(Site),
                                           hosts.size() * sizeof(Host),
                                           host_index.size() * sizeof(IndexSlot),
                                           routes.size() * sizeof(Route),
                                           route_index.size() * sizeof(IndexSlot),
                                           objects.size() * sizeof(Object),
                                           variants.size() * sizeof(Variant),
                                           strings.bytes().size(),
                                           bodies_size};
    uint64_t end = sizeof(Header);
    for (uint32_t id = 0; id < kSectionCount; ++id) {
        header.sections[id].offset = align_up(end, kAlignment);
        header.sections[id].size = sizes[id];
        end = header.sections[id].offset + sizes[id];
    }
    header.file_size = end;

    std::vector<uint8_t> file(end, 0);
    put(file, header.sections[kSectionSites].offset, site_table);
    put(file, header.sections[kSectionHosts].offset, hosts);
    put(file, header.sections[kSectionHostIndex].offset, host_index);
    put(file, header.sections[kSectionRoutes].offset, routes);
    put(file, header.sections[kSectionRouteIndex].offset, route_index);
    put(file, header.sections[kSectionObjects].offset, objects);
    put(file, header.sections[kSectionVariants].offset, variants);
    std::memcpy(file.data() + header.sections[kSectionStrings].offset, strings.bytes().data(),
                strings.bytes().size());
    uint8_t* const bodies = file.data() + header.sections[kSectionBodies].offset;
    size_t v = 0;
    for (const CompiledSite& site : sites)
        for (const CompiledObject& object : site.objects)
            for (const CompiledVariant& variant : object.variants) {
                if (!variant.body.empty())
                    std::memcpy(bodies + variants[v].body, variant.body.data(),
                                variant.body.size());
                ++v;
            }

    // The checksum covers the whole file with its own field zero (format.h), as it is here.
    std::memcpy(file.data(), &header, sizeof header);
    unsigned int len = 0;
    if (EVP_Digest(file.data(), file.size(), header.checksum, &len, EVP_sha256(), nullptr) != 1 ||
        len != kChecksumSize)
        throw std::runtime_error("SHA-256 failed (OpenSSL EVP)");
    std::memcpy(file.data(), &header, sizeof header);
    return file;
}

} // namespace ringcast::content
