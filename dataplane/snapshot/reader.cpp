// Opening a snapshot (a file image or borrowed memory) and the name-index lookups of the packet
// path.
#include "dataplane/snapshot/reader.h"

#include "dataplane/snapshot/file_image.h"
#include "dataplane/snapshot/index_hash.h"
#include "dataplane/snapshot/verify.h"

#include <cstring>

namespace ringcast::snapshot {

// ---- Lookups (packet path: no bounds checks, the verifier has done them) ----

uint32_t View::find_zone(const uint8_t* lower_name, size_t len) const {
    const uint64_t hash = index_hash(lower_name, len, zone_index_seed(header->hash_seed));
    const uint32_t tag = index_tag(hash);
    // Terminates: the verifier guarantees at least one empty slot.
    for (uint32_t slot = static_cast<uint32_t>(hash) & zone_index_mask;;
         slot = (slot + 1) & zone_index_mask) {
        const IndexSlot& s = zone_index[slot];
        if (s.target == kNone) return kNone;
        if (s.tag != tag) continue;
        const Zone& zone = zones[s.target];
        if (zone.origin_len == len && std::memcmp(origin_of(zone), lower_name, len) == 0)
            return s.target;
    }
}

uint32_t View::find_node(uint32_t zone, const uint8_t* lower_name, size_t len) const {
    const uint64_t hash = index_hash(lower_name, len, node_index_seed(header->hash_seed, zone));
    const uint32_t tag = index_tag(hash);
    const Zone& z = zones[zone];
    // Terminates: the verifier guarantees at least one empty slot.
    for (const NodeBucket* bucket = home_bucket(hash);; bucket = next_bucket(bucket)) {
        for (const NodeSlot& s : bucket->slots) {
            if (s.node == kNone) return kNone;
            if (s.tag != tag) continue;
            // On a large zone the node, its name and its RRsets are three cache misses: start
            // the last two now so that all three overlap (format.h, NodeSlot). A hit's caller
            // reads the RRsets next.
            const uint8_t* name = names + s.name;
            __builtin_prefetch(name);
            __builtin_prefetch(rrsets + s.first_rrset);
            const Node& node = nodes[s.node];
            // The node range check: the same name in a parent and a child zone has a node in
            // each, and a tag may collide across zones.
            if (s.node - z.apex_node < z.node_count && node.name_len == len &&
                std::memcmp(name, lower_name, len) == 0)
                return s.node;
        }
    }
}

const Rrset* View::find_rrset(const Node& node, uint16_t type) const {
    // A node has a handful of RRsets, sorted by type: a linear scan beats a binary search.
    const Rrset* rrset = rrsets + node.first_rrset;
    for (uint32_t i = 0; i < node.rrset_count; ++i, ++rrset) {
        if (rrset->type == type) return rrset;
        if (rrset->type > type) break;
    }
    return nullptr;
}

// ---- Opening ----

Snapshot::~Snapshot() = default;

std::unique_ptr<Snapshot> Snapshot::open_memory(std::span<const uint8_t> bytes,
                                                std::string& error) {
    std::unique_ptr<Snapshot> snapshot(new Snapshot());
    if (!verify_snapshot(bytes, snapshot->view_, error)) return nullptr;
    return snapshot;
}

std::unique_ptr<Snapshot> Snapshot::open_file(const std::string& path, std::string& error) {
    std::unique_ptr<Snapshot> snapshot(new Snapshot());
    snapshot->image_ = std::make_unique<FileImage>();
    std::string why;
    if (!snapshot->image_->load(path, why) ||
        !verify_snapshot({snapshot->image_->data(), snapshot->image_->size()}, snapshot->view_,
                         why)) {
        error = "snapshot " + path + ": " + why;
        return nullptr;
    }
    return snapshot;
}

} // namespace ringcast::snapshot
