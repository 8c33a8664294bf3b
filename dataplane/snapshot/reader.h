// Opening and verifying a snapshot, and the read-only view the packet path answers from.
#pragma once

#include "dataplane/snapshot/format.h"
#include "dataplane/snapshot/index_hash.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace ringcast::snapshot {

class FileImage;

// Pointers into a verified snapshot. Every index and offset in it has been checked by
// Snapshot::open_*, so lookups do no bounds checks of their own.
struct View {
    const Header* header = nullptr;
    const Zone* zones = nullptr;
    const IndexSlot* zone_index = nullptr;
    const uint32_t* node_offsets = nullptr; // not read by the packet path
    const NodeBucket* node_index = nullptr;
    // kSectionData: the node blocks (format.h, Node), each part referenced by its offset.
    const uint8_t* data = nullptr;
    const char* strings = nullptr;
    const uint32_t* nsec_chain = nullptr; // kSectionNsecChain
    const uint64_t* nsec3_keys = nullptr; // kSectionNsec3Keys
    uint32_t zone_index_mask = 0;
    uint32_t node_index_buckets = 0;
    // Bit n set when some zone's origin has n labels (n <= 127, RFC 1035 §2.3.4), filled in by
    // the verifier: a suffix of another label count cannot be an origin, so zone selection
    // skips its hash and probe.
    uint64_t origin_label_counts[2] = {};

    bool may_be_origin(unsigned labels) const {
        return (origin_label_counts[labels / 64] >> (labels % 64)) & 1u;
    }

    // Zone whose origin is exactly `lower_name` (lowercase wire form), or kNone.
    uint32_t find_zone(const uint8_t* lower_name, size_t len) const;
    // The same through the zone index, whatever the zone count (find_zone scans a few zones).
    uint32_t find_zone_in_index(const uint8_t* lower_name, size_t len) const;
    // Node owning exactly `lower_name` in `zone`, or kNone.
    uint32_t find_node(uint32_t zone, const uint8_t* lower_name, size_t len) const {
        return find_node(zone, lower_name, len, node_hash(zone, lower_name, len));
    }
    // The same with node_hash() of the name already computed.
    uint32_t find_node(uint32_t zone, const uint8_t* lower_name, size_t len, uint64_t hash) const;
    // Whether `node` (from a node index slot) is `lower_name`'s in `zone`.
    bool is_node_of(uint32_t zone, uint32_t node, const uint8_t* lower_name, size_t len) const;
    // A name's hash in `zone`'s node index.
    uint64_t node_hash(uint32_t zone, const uint8_t* lower_name, size_t len) const {
        return index_hash(lower_name, len, node_index_seed(header->hash_seed, zone));
    }
    // The node's RRset of `type`, or nullptr.
    static const Rrset* find_rrset(const Node& node, uint16_t type);
    // The node whose NSEC covers or owns `lower_name` in `zone`: the last NSEC owner at or
    // before it in canonical order (RFC 4035 §3.1.3), or the last of the chain for a name
    // past it (whose NSEC points back to the apex). kNone for a zone without NSEC.
    uint32_t covering_nsec(uint32_t zone, const uint8_t* lower_name, size_t len) const;
    // The same in an NSEC3 zone (kZoneNsec3) for a hash label (dns::kNsec3HashLabelLength
    // lowercase base32hex characters, no length octet) and its key (dns::nsec3_key): every
    // owner of its chain is such a label over the origin (the verifier checks), so their
    // canonical order is the labels', and the keys' where those differ.
    uint32_t covering_nsec3(uint32_t zone, uint64_t key, const uint8_t* hash_label) const;

    // The node whose block starts at `offset` (a node index entry, parent, or additional node).
    const Node& node(uint32_t offset) const {
        return *reinterpret_cast<const Node*>(data + offset);
    }
    // The Rrset at `offset` in kSectionData (Zone::soa_rrset).
    const Rrset& rrset(uint32_t offset) const {
        return *reinterpret_cast<const Rrset*>(data + offset);
    }
    static const uint8_t* name_of(const Node& node) {
        return reinterpret_cast<const uint8_t*>(&node + 1);
    }
    // The node of "*.<node's name>" (Node::flags must have kNodeWildcardChild).
    static uint32_t wildcard_child_of(const Node& node) {
        return *reinterpret_cast<const uint32_t*>(reinterpret_cast<const uint8_t*>(&node) +
                                                  node_wildcard_offset(node));
    }
    static std::span<const Rrset> rrsets_of(const Node& node) {
        return {reinterpret_cast<const Rrset*>(reinterpret_cast<const uint8_t*>(&node) +
                                               node_rrsets_offset(node.name_len)),
                node.rrset_count};
    }

    // The node index bucket a name's lookup starts at.
    const NodeBucket* home_bucket(uint64_t hash) const {
        return node_index + node_bucket(hash, node_index_buckets);
    }
    const NodeBucket* next_bucket(const NodeBucket* bucket) const {
        return ++bucket == node_index + node_index_buckets ? node_index : bucket;
    }

    // The nodes of an RRset's additional list (Rrset::additional must not be kNone).
    const AdditionalList& additional_of(const Rrset& rrset) const {
        return *reinterpret_cast<const AdditionalList*>(data + rrset.additional);
    }
    static std::span<const uint32_t> additional_nodes(const AdditionalList& list) {
        return {reinterpret_cast<const uint32_t*>(&list + 1), list.count};
    }
    const uint8_t* origin_of(const Zone& zone) const { return data + zone.origin_name; }
    const char* source_file_of(const Zone& zone) const { return strings + zone.source_file; }
};

// A verified snapshot: either a private read-only copy of a file (file_image.h) or a borrowed
// memory range.
class Snapshot {
  public:
    // Reads `path` into a huge-page-backed image and verifies it (magic, version, byte order, size,
    // checksum, every cross reference). On failure returns nullptr and sets `error` to one line
    // saying why.
    static std::unique_ptr<Snapshot> open_file(const std::string& path, std::string& error);
    // Verifies `bytes`, which must outlive the Snapshot and be 8-byte aligned.
    static std::unique_ptr<Snapshot> open_memory(std::span<const uint8_t> bytes,
                                                 std::string& error);

    ~Snapshot();
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

    const View& view() const { return view_; }
    const Header& header() const { return *view_.header; }

  private:
    Snapshot() = default;
    View view_;
    std::unique_ptr<FileImage> image_; // set when opened from a file
};

} // namespace ringcast::snapshot
