// The shape of one parsed zone, computed once and shared by the semantic checks and the snapshot
// builder: every owner name plus the empty non-terminals between it and the apex, parent links,
// the node flags of dataplane/snapshot/format.h, and the RRsets of each name with identical RRs
// merged (RFC 2181 §5).
#pragma once

#include "controlplane/zone/name_table.h"
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/snapshot/format.h"

#include <cstdint>
#include <vector>

namespace ringcast::zone {

struct TreeRrset {
    uint16_t type = 0;
    uint32_t ttl = 0;   // the first record's: RFC 2181 §5.2 wants one TTL, Knot keeps the first
    uint32_t first = 0; // [first, first + count) in ZoneTree::rrs
    uint32_t count = 0;
};

struct TreeNode {
    uint32_t parent = snapshot::kNone; // id of the name one label up; kNone at the apex
    uint32_t first_rrset = 0;          // [first_rrset, first_rrset + rrset_count) in rrsets,
    uint32_t rrset_count = 0;          // sorted by type
    uint8_t labels = 0;                // root excluded
    uint8_t flags = 0;                 // snapshot::NodeFlags
    // (The wildcard child of a kNodeWildcardChild node is not kept here: ZoneTree::wildcard_child
    // finds it. One node in a million has one, and 16 bytes a node rather than 24 keep the
    // compile's peak within 3x the snapshot, bench/RESULTS.md.)
};
static_assert(sizeof(TreeNode) == 16, "a million nodes are held at once: keep them small");

struct ZoneTree {
    // Lowercase wire names; a name's id is its index in `nodes`. Id 0 is the apex, and a parent
    // always has a smaller id than its children, so one pass in id order sees parents first.
    NameTable names;
    std::vector<TreeNode> nodes;
    std::vector<TreeRrset> rrsets;
    std::vector<uint32_t> rrs;         // indexes into ParsedZone::records, grouped per RRset
    std::vector<uint32_t> out_of_zone; // indexes of records not at or below the origin
    uint32_t owner_count = 0;          // names that own records (empty non-terminals excluded)

    static constexpr uint32_t kApex = 0;

    const TreeRrset* find_rrset(uint32_t node, uint16_t type) const;
    bool has_address(uint32_t node) const; // owns A or AAAA
    // Id of "*.<name of node>", or snapshot::kNone.
    uint32_t wildcard_child(uint32_t node) const;
};

ZoneTree build_zone_tree(const ParsedZone& zone);

// The semantic checks of check_zone() on an already built tree.
bool check_zone_tree(const ParsedZone& zone, const ZoneTree& tree, std::vector<Diagnostic>& errors);

// build_snapshot() on already built trees (trees[i] belongs to zones[i]).
std::vector<uint8_t> build_snapshot_from_trees(const std::vector<ParsedZone>& zones,
                                               const std::vector<ZoneTree>& trees,
                                               const BuildOptions& options);

// An upper bound of the size of the snapshot build_snapshot_from_trees() would write, from the
// trees alone (for the compile's memory budget).
uint64_t snapshot_size_bound(const std::vector<ParsedZone>& zones,
                             const std::vector<ZoneTree>& trees);

// The SOA fields the snapshot and the summaries need, from the apex SOA RRset's first RR.
struct SoaFacts {
    bool present = false;
    uint32_t serial = 0;
    uint32_t minimum = 0;
    uint32_t ttl = 0;
};
SoaFacts soa_facts(const ParsedZone& zone, const ZoneTree& tree);

} // namespace ringcast::zone
