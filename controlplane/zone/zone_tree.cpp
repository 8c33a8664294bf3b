#include "controlplane/zone/zone_tree.h"

#include "controlplane/zone/dname.h"
#include "controlplane/zone/huge_pages.h"
#include "controlplane/zone/rr_types.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <unordered_set>

namespace ringcast::zone {

namespace {

// RRsets up to this size are de-duplicated by pairwise comparison; larger ones through a hash set
// so a name with thousands of TXT records does not go quadratic.
constexpr size_t kLinearDedupLimit = 16;
// Records ahead whose owner's name-table slot is prefetched: enough to cover a memory access
// with the work of interning the records in between.
constexpr uint32_t kPrefetchDistance = 8;
constexpr size_t kSoaFixedFields = 20; // SERIAL REFRESH RETRY EXPIRE MINIMUM (RFC 1035 §3.3.13)

uint32_t read_u32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

class TreeBuilder {
  public:
    TreeBuilder(const ParsedZone& zone, ZoneTree& tree) : zone_(zone), tree_(tree) {}

    void build() {
        const auto& records = zone_.records;
        bool added = false;
        tree_.names.insert(zone_.origin, added);
        const dns::NameInfo origin = dns::name_info(zone_.origin.data());
        tree_.nodes.push_back(TreeNode{snapshot::kNone, 0, 0, origin.labels,
                                       snapshot::kNodeApex | snapshot::kNodeEmptyNonTerminal});

        // (name id, type) of every in-zone record, then grouped by sorting.
        std::vector<Key> keys;
        reserve_huge(keys, records.size());
        std::array<uint8_t, dname::kMaxNameLength> lower{};
        std::array<uint8_t, dname::kMaxNameLength> ahead{};
        for (uint32_t i = 0; i < records.size(); ++i) {
            if (i + kPrefetchDistance < records.size()) {
                const std::span<const uint8_t> next = zone_.owner(records[i + kPrefetchDistance]);
                if (!next.empty() && next.size() <= ahead.size()) {
                    dns::copy_lowercase(next.data(), ahead.data());
                    tree_.names.prefetch({ahead.data(), next.size()});
                }
            }
            const Record& r = records[i];
            const std::span<const uint8_t> owner_as_written = zone_.owner(r);
            if (owner_as_written.empty() || owner_as_written.size() > lower.size()) {
                tree_.out_of_zone.push_back(i);
                continue;
            }
            const dns::NameInfo info = dns::copy_lowercase(owner_as_written.data(), lower.data());
            const dname::Name owner(lower.data(), info.length);
            if (!dns::is_subdomain(lower.data(), info, zone_.origin.data(), origin)) {
                tree_.out_of_zone.push_back(i);
                continue;
            }
            const uint32_t id = intern(owner);
            tree_.nodes[id].flags &= static_cast<uint8_t>(~snapshot::kNodeEmptyNonTerminal);
            keys.push_back(Key{(uint64_t{id} << 16) | r.type, i});
        }
        std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
            return a.group != b.group ? a.group < b.group : a.record < b.record;
        });
        group_rrsets(keys);
        set_flags();
    }

  private:
    struct Key {
        uint64_t group; // name id << 16 | type
        uint32_t record;
    };

    // Id of `name` (lowercase, at or below the origin), creating it and any missing ancestors
    // top-down so that parents get smaller ids than their children.
    uint32_t intern(dname::Name name) {
        uint32_t id = tree_.names.find(name);
        if (id != NameTable::kNotFound) return id;
        missing_.assign(1, name); // not the apex, which is always present: it has a parent
        dname::Name cursor = dname::parent(name);
        while ((id = tree_.names.find(cursor)) == NameTable::kNotFound) {
            missing_.push_back(cursor);
            cursor = dname::parent(cursor); // ends at the apex, which is always present
        }
        for (auto it = missing_.rbegin(); it != missing_.rend(); ++it) {
            bool added = false;
            const uint32_t child = tree_.names.insert(*it, added);
            const TreeNode& parent = tree_.nodes[id];
            tree_.nodes.push_back(TreeNode{id, 0, 0, static_cast<uint8_t>(parent.labels + 1),
                                           snapshot::kNodeEmptyNonTerminal});
            id = child;
        }
        return id;
    }

    bool same_rdata(uint32_t a, uint32_t b) const {
        return std::ranges::equal(zone_.rdata(zone_.records[a]), zone_.rdata(zone_.records[b]));
    }

    // One RRset per (name, type) group with identical RRs merged; names in id order so each
    // name's RRsets are contiguous and sorted by type.
    void group_rrsets(const std::vector<Key>& keys) {
        reserve_huge(tree_.rrsets, keys.size());
        reserve_huge(tree_.rrs, keys.size());
        size_t k = 0;
        for (uint32_t id = 0; id < tree_.nodes.size(); ++id) {
            TreeNode& node = tree_.nodes[id];
            node.first_rrset = static_cast<uint32_t>(tree_.rrsets.size());
            while (k < keys.size() && (keys[k].group >> 16) == id) {
                const uint64_t group = keys[k].group;
                TreeRrset rrset;
                rrset.type = static_cast<uint16_t>(group & 0xffff);
                rrset.ttl = zone_.records[keys[k].record].ttl;
                rrset.first = static_cast<uint32_t>(tree_.rrs.size());
                size_t end = k;
                while (end < keys.size() && keys[end].group == group)
                    ++end;
                if (end - k <= kLinearDedupLimit) {
                    for (size_t j = k; j < end; ++j) {
                        bool duplicate = false;
                        for (uint32_t m = rrset.first; m < tree_.rrs.size() && !duplicate; ++m)
                            duplicate = same_rdata(tree_.rrs[m], keys[j].record);
                        if (!duplicate) tree_.rrs.push_back(keys[j].record);
                    }
                } else {
                    std::unordered_set<std::string_view> seen;
                    seen.reserve(end - k);
                    for (size_t j = k; j < end; ++j) {
                        const auto rdata = zone_.rdata(zone_.records[keys[j].record]);
                        const std::string_view bytes(reinterpret_cast<const char*>(rdata.data()),
                                                     rdata.size());
                        if (seen.insert(bytes).second) tree_.rrs.push_back(keys[j].record);
                    }
                }
                rrset.count = static_cast<uint32_t>(tree_.rrs.size()) - rrset.first;
                tree_.rrsets.push_back(rrset);
                k = end;
            }
            node.rrset_count = static_cast<uint32_t>(tree_.rrsets.size()) - node.first_rrset;
            if (node.rrset_count != 0) ++tree_.owner_count;
        }
    }

    void set_flags() {
        std::vector<bool> has_children(tree_.nodes.size(), false);
        for (const TreeNode& node : tree_.nodes)
            if (node.parent != snapshot::kNone) has_children[node.parent] = true;
        for (uint32_t id = 0; id < tree_.nodes.size(); ++id) {
            TreeNode& node = tree_.nodes[id];
            if (tree_.find_rrset(id, kTypeCname)) node.flags |= snapshot::kNodeCname;
            if (tree_.find_rrset(id, kTypeDname)) node.flags |= snapshot::kNodeDname;
            if (id == ZoneTree::kApex) continue;
            const TreeNode& parent = tree_.nodes[node.parent];
            // RFC 1034 §4.2.1: NS below the apex marks a zone cut; everything under it is glue
            // or occluded data, never an authoritative answer.
            if (tree_.find_rrset(id, kTypeNs)) node.flags |= snapshot::kNodeDelegation;
            if (parent.flags & (snapshot::kNodeDelegation | snapshot::kNodeBelowCut))
                node.flags |= snapshot::kNodeBelowCut;
            if (dns::is_wildcard_name(tree_.names.name(id).data()))
                tree_.nodes[node.parent].flags |= snapshot::kNodeWildcardChild;
            if (!has_children[id] && node.flags == 0 && owns_nsec3_only(id))
                node.flags = snapshot::kNodeNsec3Only;
        }
    }

    // RFC 5155 §7.2.8 (erratum 4622): a name that owns NSEC3 and nothing else, with nothing
    // below it, does not exist as far as queries go; its RRSIGs go with the NSEC3.
    bool owns_nsec3_only(uint32_t id) const {
        const TreeNode& node = tree_.nodes[id];
        if (tree_.find_rrset(id, kTypeNsec3) == nullptr) return false;
        for (uint32_t r = node.first_rrset; r < node.first_rrset + node.rrset_count; ++r)
            if (tree_.rrsets[r].type != kTypeNsec3 && tree_.rrsets[r].type != kTypeRrsig)
                return false;
        return true;
    }

    const ParsedZone& zone_;
    ZoneTree& tree_;
    std::vector<dname::Name> missing_;
};

} // namespace

const TreeRrset* ZoneTree::find_rrset(uint32_t node, uint16_t type) const {
    const TreeNode& n = nodes[node];
    const auto begin = rrsets.begin() + n.first_rrset;
    const auto end = begin + n.rrset_count;
    const auto it = std::lower_bound(begin, end, type,
                                     [](const TreeRrset& r, uint16_t t) { return r.type < t; });
    return it != end && it->type == type ? &*it : nullptr;
}

bool ZoneTree::has_address(uint32_t node) const {
    return find_rrset(node, kTypeA) != nullptr || find_rrset(node, kTypeAaaa) != nullptr;
}

uint32_t ZoneTree::wildcard_child(uint32_t node) const {
    static constexpr uint8_t kWildcardLabel[] = {1, '*'};
    const auto name = names.name(node);
    if (name.size() + sizeof kWildcardLabel > dname::kMaxNameLength) return snapshot::kNone;
    std::array<uint8_t, dname::kMaxNameLength> wildcard{};
    std::memcpy(wildcard.data(), kWildcardLabel, sizeof kWildcardLabel);
    std::memcpy(wildcard.data() + sizeof kWildcardLabel, name.data(), name.size());
    const uint32_t id = names.find({wildcard.data(), name.size() + sizeof kWildcardLabel});
    return id == NameTable::kNotFound ? snapshot::kNone : id;
}

ZoneTree build_zone_tree(const ParsedZone& zone) {
    if (!dns::is_whole_name(zone.origin.data(), zone.origin.size()))
        throw std::invalid_argument("zone origin is not a wire-format name");
    ZoneTree tree{NameTable(zone.records.size() + 1), {}, {}, {}, {}, 0};
    reserve_huge(tree.nodes, zone.records.size() + 1);
    TreeBuilder(zone, tree).build();
    tree.names.release_unused_capacity();
    release_unused(tree.nodes);
    release_unused(tree.rrsets);
    release_unused(tree.rrs);
    return tree;
}

SoaFacts soa_facts(const ParsedZone& zone, const ZoneTree& tree) {
    SoaFacts facts;
    const TreeRrset* soa = tree.find_rrset(ZoneTree::kApex, kTypeSoa);
    if (soa == nullptr || soa->count == 0) return facts;
    const auto rdata = zone.rdata(zone.records[tree.rrs[soa->first]]);
    // MNAME and RNAME, uncompressed, then the five 32-bit fields.
    const size_t mname = dns::measure_name(rdata.data(), rdata.size()).length;
    if (mname == 0) return facts;
    const size_t rname = dns::measure_name(rdata.data() + mname, rdata.size() - mname).length;
    if (rname == 0 || rdata.size() != mname + rname + kSoaFixedFields) return facts;
    const uint8_t* fixed = rdata.data() + mname + rname;
    facts.present = true;
    facts.serial = read_u32(fixed);
    facts.minimum = read_u32(fixed + 16);
    facts.ttl = soa->ttl;
    return facts;
}

} // namespace ringcast::zone
