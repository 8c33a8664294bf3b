// Opening a snapshot (a file image or borrowed memory) and the name-index lookups of the packet
// path.
#include "dataplane/snapshot/reader.h"

#include "dataplane/dns/nsec3_hash.h"
#include "dataplane/snapshot/canonical_order.h"
#include "dataplane/snapshot/file_image.h"
#include "dataplane/snapshot/index_hash.h"
#include "dataplane/snapshot/verify.h"

#include <algorithm>
#include <cstring>

namespace ringcast::snapshot {

// ---- Lookups (packet path: no bounds checks, the verifier has done them) ----

namespace {

// Up to this many zones, find_zone compares the name with every origin instead of hashing it.
constexpr uint32_t kMaxZonesScanned = 4;

// memcmp(a, b, len) == 0 for a wire name (1 to 255 bytes), inline: names are short, and the
// library call costs more than the compare. Eight bytes at a time, the last word overlapping
// the one before it; nothing outside [0, len) of either name is read.
inline bool same_name_bytes(const uint8_t* a, const uint8_t* b, size_t len) {
    constexpr size_t kWord = sizeof(uint64_t);
    if (len < kWord) {
        for (size_t i = 0; i < len; ++i)
            if (a[i] != b[i]) return false;
        return true;
    }
    uint64_t x, y;
    for (size_t i = 0; i + kWord < len; i += kWord) {
        std::memcpy(&x, a + i, kWord);
        std::memcpy(&y, b + i, kWord);
        if (x != y) return false;
    }
    std::memcpy(&x, a + len - kWord, kWord);
    std::memcpy(&y, b + len - kWord, kWord);
    return x == y;
}

} // namespace

uint32_t View::find_zone(const uint8_t* lower_name, size_t len) const {
    // A PoP serving a handful of zones: comparing with each origin is cheaper than hashing.
    if (header->zone_count > kMaxZonesScanned) return find_zone_in_index(lower_name, len);
    for (uint32_t z = 0; z < header->zone_count; ++z)
        if (zones[z].origin_len == len && same_name_bytes(origin_of(zones[z]), lower_name, len))
            return z;
    return kNone;
}

uint32_t View::find_zone_in_index(const uint8_t* lower_name, size_t len) const {
    const uint64_t hash = index_hash(lower_name, len, zone_index_seed(header->hash_seed));
    const uint32_t tag = index_tag(hash);
    // Terminates: the verifier guarantees at least one empty slot.
    for (uint32_t slot = static_cast<uint32_t>(hash) & zone_index_mask;;
         slot = (slot + 1) & zone_index_mask) {
        const IndexSlot& s = zone_index[slot];
        if (s.target == kNone) return kNone;
        if (s.tag != tag) continue;
        const Zone& zone = zones[s.target];
        if (zone.origin_len == len && same_name_bytes(origin_of(zone), lower_name, len))
            return s.target;
    }
}

uint32_t View::find_node(uint32_t zone, const uint8_t* lower_name, size_t len,
                         uint64_t hash) const {
    const uint32_t tag = index_tag(hash);
    // Terminates: the verifier guarantees at least one empty slot.
    for (const NodeBucket* bucket = home_bucket(hash);; bucket = next_bucket(bucket)) {
        for (const NodeSlot& s : bucket->slots) {
            if (s.node == kNone) return kNone;
            if (s.tag == tag && is_node_of(zone, s.node, lower_name, len)) return s.node;
        }
    }
}

bool View::is_node_of(uint32_t zone, uint32_t node_offset, const uint8_t* lower_name,
                      size_t len) const {
    const Zone& z = zones[zone];
    // The block range check: the same name in a parent and a child zone has a node in each,
    // and a tag may collide across zones.
    if (node_offset - z.apex_node >= z.nodes_end - z.apex_node) return false;
    const Node& n = node(node_offset);
    return n.name_len == len && same_name_bytes(name_of(n), lower_name, len);
}

const Rrset* View::find_rrset(const Node& node, uint16_t type) {
    // A node has a handful of RRsets, sorted by type: a linear scan beats a binary search.
    for (const Rrset& rrset : rrsets_of(node)) {
        if (rrset.type == type) return &rrset;
        if (rrset.type > type) break;
    }
    return nullptr;
}

uint32_t View::covering_nsec(uint32_t zone, const uint8_t* lower_name, size_t len) const {
    const Zone& z = zones[zone];
    if (z.nsec_count == 0) return kNone;
    // Binary search for the first owner after the name; the one before it covers the name.
    // A name before the first owner (an NSEC3 hash can be) is covered by the last, whose
    // record wraps around to the first (RFC 4034 §4.1.1, RFC 5155 §3.1.7).
    const uint32_t* first = nsec_chain + z.first_nsec;
    uint32_t lo = 0, hi = z.nsec_count;
    while (lo < hi) {
        const uint32_t mid = lo + (hi - lo) / 2;
        const Node& owner = node(first[mid]);
        if (canonical_compare(name_of(owner), owner.name_len, lower_name, len) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return first[lo == 0 ? z.nsec_count - 1 : lo - 1];
}

uint32_t View::covering_nsec3(uint32_t zone, uint64_t key, const uint8_t* hash_label) const {
    const Zone& z = zones[zone];
    if (z.nsec_count == 0) return kNone;
    // The first entry whose key is above the hash's; the covering record is the last before it
    // whose label is not above the hash label (entries of an equal key, 64 bits of SHA-1 alike,
    // are told apart by their labels). Before the first entry: the last one, as covering_nsec.
    const uint64_t* keys = nsec3_keys + z.first_nsec;
    const uint32_t* first = nsec_chain + z.first_nsec;
    uint32_t at = static_cast<uint32_t>(std::upper_bound(keys, keys + z.nsec_count, key) - keys);
    while (at > 0 && keys[at - 1] == key &&
           std::memcmp(name_of(node(first[at - 1])) + 1, hash_label, dns::kNsec3HashLabelLength) >
               0)
        --at;
    return first[at == 0 ? z.nsec_count - 1 : at - 1];
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
