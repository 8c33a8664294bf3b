// Lays out checked zones as a snapshot file, exactly as dataplane/snapshot/format.h describes.
// Everything the packet path needs is decided here, once: node flags, RRsets sorted by type,
// ready-to-copy RDATA, additional-section targets, and the two name indexes.
#include "controlplane/zone/dname.h"
#include "controlplane/zone/file_section.h"
#include "controlplane/zone/huge_pages.h"
#include "controlplane/zone/rr_types.h"
#include "controlplane/zone/zone_tree.h"
#include "dataplane/dns/nsec3_hash.h"
#include "dataplane/snapshot/canonical_order.h"
#include "dataplane/snapshot/index_hash.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <ctime>
#include <fmt/format.h>
#include <memory>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>

namespace ringcast::zone {

namespace snap = ringcast::snapshot;

namespace {

constexpr uint32_t kMinIndexSlots = 2;
constexpr uint64_t kMaxIndexSlots = uint64_t{1} << 31; // slot counts are uint32_t powers of two
constexpr uint32_t kMaxRrsetRecords = 0xffffu;         // Rrset::rr_count
// Node index fill (format.h, NodeBucket): at 5/8, with eight slots a bucket, about one name in
// forty overflows its home bucket, one bucket in seven is full, and a lookup of a missing name
// reads ~1.2 buckets (at 3/4: one in three full, ~1.7 buckets; the 1M-name zone's name errors
// took 30 cycles more, bench/RESULTS.md fourth session). The index costs 13 bytes a name.
constexpr uint64_t kNodeIndexLoadNumerator = 5;
constexpr uint64_t kNodeIndexLoadDenominator = 8;
// Additional-section targets are de-duplicated pairwise up to this many, then with a hash set.
constexpr size_t kLinearAdditionalLimit = 16;
// Most bytes of padding before an aligned item of the data section (4-byte alignment).
constexpr size_t kMaxDataPadding = alignof(snap::Node) - 1;

uint64_t align_up(uint64_t value, uint64_t alignment) {
    return (value + alignment - 1) / alignment * alignment;
}

// Offsets and counts in the format are 32-bit: refuse, loudly, a snapshot that would wrap them.
uint32_t checked_u32(size_t value, const char* what) {
    if (value > UINT32_MAX) throw std::length_error(fmt::format("snapshot too large: {}", what));
    return static_cast<uint32_t>(value);
}

// Zone index: power of two, at least twice the entry count so linear probes stay short (load
// <= 1/2). It has one entry per zone: its size does not matter.
uint32_t index_slots(size_t entries) {
    uint64_t slots = kMinIndexSlots;
    while (slots < 2 * uint64_t{entries})
        slots <<= 1;
    if (slots > kMaxIndexSlots) throw std::length_error("snapshot too large: index slots");
    return static_cast<uint32_t>(slots);
}

// Node index: enough buckets for the load factor, and always one free slot at least.
uint32_t node_index_buckets(size_t nodes) {
    const uint64_t slots =
        (uint64_t{nodes} * kNodeIndexLoadDenominator + kNodeIndexLoadNumerator - 1) /
            kNodeIndexLoadNumerator +
        1;
    const uint64_t buckets = (slots + snap::kNodeBucketSlots - 1) / snap::kNodeBucketSlots;
    if (buckets > UINT32_MAX) throw std::length_error("snapshot too large: node index buckets");
    return static_cast<uint32_t>(buckets);
}

uint64_t random_seed() {
    uint64_t seed = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1)
        throw std::runtime_error("cannot draw a random hash seed (RAND_bytes failed)");
    return seed;
}

void put_u16_be(FileSection& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

template <typename T>
std::span<const uint8_t> bytes_of(const std::vector<T>& v) {
    return {reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(T)};
}

// What the file will hold, from the trees alone: the sizes of the sections before the data
// section, and upper bounds of the others.
struct FilePlan {
    std::array<size_t, snap::kSectionData>
        before_data{}; // Zones, ZoneIndex, NodeOffsets, NodeIndex
    size_t data = 0;
    size_t strings = 0;
    size_t chain = 0; // NSEC and NSEC3 RRsets: entries of the chain and of its keys at most

    size_t bound() const {
        size_t total = sizeof(snap::Header) + data + strings +
                       chain * (sizeof(uint32_t) + sizeof(uint64_t)) +
                       snap::kSectionCount * snap::kAlignment;
        for (const size_t size : before_data)
            total += size;
        return total;
    }
};

FilePlan plan_file(const std::vector<ParsedZone>& zones, const std::vector<ZoneTree>& trees) {
    if (zones.size() != trees.size())
        throw std::invalid_argument("build_snapshot: one zone tree per zone expected");
    FilePlan plan;
    size_t nodes = 0;
    for (size_t z = 0; z < zones.size(); ++z) {
        const ZoneTree& tree = trees[z];
        nodes += tree.nodes.size();
        // Per node: its record, name, wildcard child and final padding; per RRset: its table
        // entry and an additional list (padding, count, one target per RR at most); per RR:
        // RDLENGTH, RDATA and that target.
        plan.data +=
            tree.names.byte_size() +
            tree.nodes.size() * (sizeof(snap::Node) + 2 * kMaxDataPadding + sizeof(uint32_t)) +
            tree.rrsets.size() * (sizeof(snap::Rrset) + kMaxDataPadding + sizeof(uint32_t)) +
            tree.rrs.size() * (sizeof(uint16_t) + sizeof(uint32_t));
        for (uint32_t index : tree.rrs)
            plan.data += zones[z].records[index].rdata_length;
        for (const TreeRrset& rrset : tree.rrsets)
            if (rrset.type == kTypeNsec || rrset.type == kTypeNsec3) ++plan.chain;
        plan.strings += zones[z].source.file.size() + 1;
    }
    plan.before_data[snap::kSectionZones] = zones.size() * sizeof(snap::Zone);
    plan.before_data[snap::kSectionZoneIndex] = index_slots(zones.size()) * sizeof(snap::IndexSlot);
    plan.before_data[snap::kSectionNodeOffsets] = nodes * sizeof(uint32_t);
    plan.before_data[snap::kSectionNodeIndex] =
        node_index_buckets(nodes) * sizeof(snap::NodeBucket);
    return plan;
}

class SnapshotBuilder {
  public:
    SnapshotBuilder(const std::vector<ParsedZone>& zones, const std::vector<ZoneTree>& trees,
                    const BuildOptions& options)
        : zones_(zones), trees_(trees), options_(options), file_(start_file()), data_(file_) {}

    std::vector<uint8_t> build() {
        for (uint32_t z = 0; z < zones_.size(); ++z)
            add_zone(z);
        header_.sections[snap::kSectionData] = snap::Section{data_.base(), data_.size()};
        append_section(snap::kSectionStrings, bytes_of(strings_));
        append_section(snap::kSectionNsecChain, bytes_of(nsec_chain_));
        append_section(snap::kSectionNsec3Keys, bytes_of(nsec3_keys_));
        hash_seed_ = options_.hash_seed != 0 ? options_.hash_seed : random_seed();
        fill_section(snap::kSectionZones, bytes_of(zones_out_));
        build_zone_index();
        build_node_index();
        return finish();
    }

  private:
    // The file up to its data section, sized for all of it: the sections before the data have
    // sizes known from the node and zone counts, and the buffer's capacity is an upper bound of
    // the whole file, so that it never moves while the data section is written into it (the
    // part of the capacity left unused is never touched, so it is never resident).
    std::vector<uint8_t> start_file() {
        const FilePlan plan = plan_file(zones_, trees_);
        std::vector<uint8_t> file;
        reserve_huge(file, plan.bound());
        file.resize(sizeof(snap::Header), 0);
        for (uint32_t s = 0; s < plan.before_data.size(); ++s)
            reserve_section(file, s, plan.before_data[s]);
        file.resize(align_up(file.size(), snap::kAlignment), 0); // where the data section starts
        return file;
    }

    // Sections start at the next multiple of kAlignment (format.h), zero bytes between them.
    void reserve_section(std::vector<uint8_t>& file, uint32_t section, size_t size) {
        const uint64_t offset = align_up(file.size(), snap::kAlignment);
        header_.sections[section] = snap::Section{offset, size};
        file.resize(offset + size, 0);
    }
    void append_section(uint32_t section, std::span<const uint8_t> bytes) {
        reserve_section(file_, section, 0);
        header_.sections[section].size = bytes.size();
        file_.insert(file_.end(), bytes.begin(), bytes.end());
    }
    // kSectionNodeOffsets, written in its place as the nodes are: every node's block, in order.
    void place_node(uint32_t offset) {
        const snap::Section& section = header_.sections[snap::kSectionNodeOffsets];
        if ((nodes_placed_ + 1) * sizeof(uint32_t) > section.size)
            throw std::logic_error("build_snapshot: more nodes than the trees counted");
        std::memcpy(file_.data() + section.offset + nodes_placed_ * sizeof(uint32_t), &offset,
                    sizeof offset);
        ++nodes_placed_;
    }
    uint32_t node_offset(size_t node) const {
        uint32_t offset;
        std::memcpy(&offset,
                    file_.data() + header_.sections[snap::kSectionNodeOffsets].offset +
                        node * sizeof(uint32_t),
                    sizeof offset);
        return offset;
    }

    // Copies `bytes` into a section placed by start_file().
    void fill_section(uint32_t section, std::span<const uint8_t> bytes) {
        if (bytes.size() != header_.sections[section].size)
            throw std::logic_error("build_snapshot: a section's size changed while building");
        if (!bytes.empty())
            std::memcpy(file_.data() + header_.sections[section].offset, bytes.data(),
                        bytes.size());
    }

    void add_zone(uint32_t z) {
        const ParsedZone& zone = zones_[z];
        const ZoneTree& tree = trees_[z];
        const std::string origin = dname::to_presentation(zone.origin);
        if (!origins_.emplace(zone.origin.begin(), zone.origin.end()).second)
            throw std::invalid_argument(fmt::format("zone {} given twice", origin));
        const SoaFacts soa = soa_facts(zone, tree);
        if (!soa.present)
            throw std::invalid_argument(
                fmt::format("zone {} has no usable SOA at its apex", origin));

        const auto node_base = checked_u32(nodes_placed_, "node count");
        pending_lists_.clear();
        pending_wildcards_.clear();
        for (uint32_t id = 0; id < tree.nodes.size(); ++id)
            add_node(z, tree, id, node_base);
        for (const auto& [at, id] : pending_wildcards_) {
            if (id == snap::kNone) throw std::logic_error("build_snapshot: lost a wildcard child");
            store(at, node_offset(node_base + id));
        }
        // Additional targets may come later in the zone than their RRset: name them now.
        for (const uint32_t list : pending_lists_) {
            uint32_t count;
            std::memcpy(&count, data_.data() + list, sizeof count);
            for (uint32_t i = 1; i <= count; ++i) {
                const size_t at = list + i * sizeof(uint32_t);
                uint32_t id;
                std::memcpy(&id, data_.data() + at, sizeof id);
                store(at, node_offset(node_base + id));
            }
        }

        snap::Zone out{};
        const uint32_t apex_offset = node_offset(node_base);
        snap::Node apex;
        std::memcpy(&apex, data_.data() + apex_offset, sizeof apex);
        out.origin_name = apex_offset + sizeof(snap::Node);
        out.origin_len = apex.name_len;
        out.origin_labels = apex.labels;
        out.apex_node = apex_offset;
        out.nodes_end = checked_u32(data_.size(), "data section");
        out.first_node = node_base;
        out.node_count = checked_u32(tree.nodes.size(), "node count");
        out.soa_rrset = snap::kNone;
        const uint32_t table = apex_offset + snap::node_rrsets_offset(apex.name_len);
        for (uint32_t r = 0; r < apex.rrset_count; ++r) {
            const uint32_t at = table + r * static_cast<uint32_t>(sizeof(snap::Rrset));
            snap::Rrset rrset;
            std::memcpy(&rrset, data_.data() + at, sizeof rrset);
            if (rrset.type == kTypeSoa) out.soa_rrset = at;
        }
        out.serial = soa.serial;
        out.negative_ttl = std::min(soa.ttl, soa.minimum); // RFC 2308 §5
        out.record_count = checked_u32(tree.rrs.size(), "record count");
        out.source_file = checked_u32(strings_.size(), "strings");
        strings_.insert(strings_.end(), zone.source.file.begin(), zone.source.file.end());
        strings_.push_back('\0');
        if (is_signed(zone, tree)) out.flags |= snap::kZoneSigned;
        const std::span<const uint8_t> nsec3param = usable_nsec3param(zone, tree);
        if (!nsec3param.empty()) out.flags |= snap::kZoneNsec3;
        out.first_nsec = checked_u32(nsec_chain_.size(), "NSEC chain");
        add_nsec_chain(zone, tree, node_base, nsec3param);
        out.nsec_count = checked_u32(nsec_chain_.size() - out.first_nsec, "NSEC chain");
        zones_out_.push_back(out);
    }

    // Knot's test for a signed zone: an RRSIG over the apex SOA (RFC 4035 §2.1 signs every
    // authoritative RRset, the SOA included).
    static bool is_signed(const ParsedZone& zone, const ZoneTree& tree) {
        const TreeRrset* sigs = tree.find_rrset(ZoneTree::kApex, kTypeRrsig);
        if (sigs == nullptr) return false;
        for (uint32_t i = 0; i < sigs->count; ++i) {
            const auto rdata = zone.rdata(zone.records[tree.rrs[sigs->first + i]]);
            // RFC 4034 §3.1: RDATA starts with the type covered.
            if (rdata.size() >= 2 && (rdata[0] << 8 | rdata[1]) == kTypeSoa) return true;
        }
        return false;
    }

    // The RDATA of the apex NSEC3PARAM when the dataplane can answer from its chain (first
    // record; dns/nsec3_hash.h), else empty.
    static std::span<const uint8_t> usable_nsec3param(const ParsedZone& zone,
                                                      const ZoneTree& tree) {
        const TreeRrset* param = tree.find_rrset(ZoneTree::kApex, kTypeNsec3param);
        if (param == nullptr) return {};
        const auto rdata = zone.rdata(zone.records[tree.rrs[param->first]]);
        dns::Nsec3Params params;
        if (!dns::read_nsec3_params(rdata.data(), rdata.size(), params)) return {};
        return rdata;
    }

    // The zone's NSEC owners, or with `nsec3param` the owners of that NSEC3 chain, in canonical
    // order (format.h, kSectionNsecChain). Names below a cut are not the zone's data; an NSEC
    // there is occluded like the rest.
    void add_nsec_chain(const ParsedZone& zone, const ZoneTree& tree, uint32_t node_base,
                        std::span<const uint8_t> nsec3param) {
        const size_t first = nsec_chain_.size();
        for (uint32_t id = 0; id < tree.nodes.size(); ++id) {
            if (tree.nodes[id].flags & snap::kNodeBelowCut) continue;
            const TreeRrset* denial =
                tree.find_rrset(id, nsec3param.empty() ? kTypeNsec : kTypeNsec3);
            if (denial == nullptr) continue;
            if (!nsec3param.empty()) {
                uint64_t key;
                if (!dns::nsec3_owner_key(tree.names.name(id).data(), tree.nodes[id].labels,
                                          tree.nodes[ZoneTree::kApex].labels, key))
                    continue;
                const auto rdata = zone.rdata(zone.records[tree.rrs[denial->first]]);
                if (!dns::in_nsec3_chain(rdata.data(), rdata.size(), nsec3param.data())) continue;
            }
            nsec_chain_.push_back(node_offset(node_base + id));
        }
        const uint8_t* data = data_.data();
        std::sort(nsec_chain_.begin() + static_cast<std::ptrdiff_t>(first), nsec_chain_.end(),
                  [data](uint32_t a, uint32_t b) {
                      constexpr size_t kLen = offsetof(snap::Node, name_len);
                      return snap::canonical_compare(data + a + sizeof(snap::Node), data[a + kLen],
                                                     data + b + sizeof(snap::Node),
                                                     data[b + kLen]) < 0;
                  });
        // The search keys: each owner's hash prefix, read back from its label (0 with NSEC).
        for (size_t i = first; i < nsec_chain_.size(); ++i) {
            uint64_t key = 0;
            if (!nsec3param.empty())
                dns::nsec3_key_of_label(data + nsec_chain_[i] + sizeof(snap::Node) + 1, key);
            nsec3_keys_.push_back(key);
        }
    }

    // The node's block (format.h, Node): record, name, RRset table, then each RRset's RDATA and
    // additional list. Blocks end 4-byte aligned, so the next one starts where this one ends.
    void add_node(uint32_t z, const ZoneTree& tree, uint32_t id, uint32_t node_base) {
        const TreeNode& in = tree.nodes[id];
        const auto name = tree.names.name(id);
        if (in.rrset_count > snap::kMaxNodeRrsets) // refused by the zone checks before this
            throw std::length_error("a node has more RRsets than the format can count");
        const auto offset = checked_u32(data_.size(), "data section");
        snap::Node node{};
        node.name_len = static_cast<uint8_t>(name.size());
        node.labels = in.labels;
        node.flags = in.flags;
        node.rrset_count = static_cast<uint8_t>(in.rrset_count);
        // A parent has a smaller id (zone_tree.h), so its block is already placed.
        node.parent = in.parent == snap::kNone ? snap::kNone : node_offset(node_base + in.parent);
        place_node(offset);
        append(node);
        data_.append(name);
        const uint32_t table = offset + snap::node_rrsets_offset(node.name_len);
        data_.resize(offset + snap::node_header_size(node));
        if (node.flags & snap::kNodeWildcardChild) // a child: placed later, named in add_zone
            pending_wildcards_.emplace_back(offset + snap::node_wildcard_offset(node),
                                            tree.wildcard_child(id));
        rrset_count_ += in.rrset_count;
        for (uint32_t r = 0; r < in.rrset_count; ++r)
            store(table + r * sizeof(snap::Rrset),
                  add_rrset(zones_[z], tree, tree.rrsets[in.first_rrset + r]));
        data_.resize(align_up(data_.size(), alignof(snap::Node)));
        (void)checked_u32(data_.size(), "data section"); // the next offset must fit too
    }

    snap::Rrset add_rrset(const ParsedZone& zone, const ZoneTree& tree, const TreeRrset& in) {
        if (in.count > kMaxRrsetRecords)
            throw std::length_error("an RRset has more records than the format can count");
        snap::Rrset out{};
        out.type = in.type;
        out.rr_count = static_cast<uint16_t>(in.count);
        out.ttl = in.ttl;
        out.rdata = checked_u32(data_.size(), "data section");
        out.additional = snap::kNone;
        for (uint32_t i = 0; i < in.count; ++i) {
            const auto rdata = zone.rdata(zone.records[tree.rrs[in.first + i]]);
            put_u16_be(data_, static_cast<uint16_t>(rdata.size())); // <= 65535 by zscanner
            data_.append(rdata);
        }
        (void)checked_u32(data_.size(), "data section");
        add_additional(zone, tree, in, out);
        return out;
    }

    template <typename T>
    void append(const T& value) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
        data_.append({bytes, sizeof value});
    }
    template <typename T>
    void store(size_t at, const T& value) {
        std::memcpy(data_.data() + at, &value, sizeof value);
    }

    // RFC 1034 §4.3.2 step 6 / RFC 1035 §3.3.9, RFC 2782, RFC 9460 §4.2: NS, MX, SRV, SVCB and
    // HTTPS answers carry the addresses of their targets when this zone has them. Stored as
    // nodes, in target order, each once (tree ids until add_zone names their blocks). (An SVCB
    // TargetName of "." is never a node here.)
    void add_additional(const ParsedZone& zone, const ZoneTree& tree, const TreeRrset& in,
                        snap::Rrset& out) {
        size_t target_offset;
        switch (in.type) {
        case kTypeNs:
            target_offset = 0;
            break;
        case kTypeMx:
            target_offset = kMxTargetOffset;
            break;
        case kTypeSrv:
            target_offset = kSrvTargetOffset;
            break;
        case kTypeSvcb:
        case kTypeHttps:
            target_offset = kSvcbTargetOffset;
            break;
        default:
            return;
        }
        targets_.clear();
        seen_.clear();
        std::array<uint8_t, dname::kMaxNameLength> lower{};
        const dns::NameInfo origin = dns::name_info(zone.origin.data());
        for (uint32_t i = 0; i < in.count; ++i) {
            const auto rdata = zone.rdata(zone.records[tree.rrs[in.first + i]]);
            if (rdata.size() <= target_offset) continue;
            const uint8_t* target = rdata.data() + target_offset;
            const dns::NameInfo info = dns::measure_name(target, rdata.size() - target_offset);
            if (info.length == 0) continue;
            dns::copy_lowercase(target, lower.data());
            const dname::Name name(lower.data(), info.length);
            if (!dns::is_subdomain(lower.data(), info, zone.origin.data(), origin)) continue;
            const uint32_t id = tree.names.find(name);
            if (id == NameTable::kNotFound || !tree.has_address(id)) continue;
            if (in.count <= kLinearAdditionalLimit) {
                if (std::find(targets_.begin(), targets_.end(), id) != targets_.end()) continue;
            } else if (!seen_.insert(id).second) {
                continue;
            }
            targets_.push_back(id);
        }
        if (targets_.empty()) return;
        data_.resize(align_up(data_.size(), alignof(snap::AdditionalList)));
        out.additional = checked_u32(data_.size(), "data section");
        pending_lists_.push_back(out.additional);
        targets_.insert(targets_.begin(), static_cast<uint32_t>(targets_.size())); // the count
        data_.append(bytes_of(targets_));
    }

    // Open addressing, linear probing from (hash & mask); the tag is the hash's upper half.
    static uint64_t free_slot(const std::vector<snap::IndexSlot>& slots, uint64_t hash) {
        const uint64_t mask = slots.size() - 1;
        uint64_t pos = hash & mask;
        while (slots[pos].target != snap::kNone)
            pos = (pos + 1) & mask;
        return pos;
    }
    // The first free slot from the name's home bucket on (format.h, NodeBucket).
    static snap::NodeSlot& free_slot(std::span<snap::NodeBucket> buckets, uint64_t hash) {
        const auto count = static_cast<uint32_t>(buckets.size());
        for (uint32_t b = snap::node_bucket(hash, count);; b = b + 1 == count ? 0 : b + 1)
            for (snap::NodeSlot& slot : buckets[b].slots)
                if (slot.node == snap::kNone) return slot;
    }

    void build_zone_index() {
        std::vector<snap::IndexSlot> zone_index(index_slots(zones_out_.size()),
                                                snap::IndexSlot{0, snap::kNone});
        const uint64_t seed = snap::zone_index_seed(hash_seed_);
        for (uint32_t z = 0; z < zones_out_.size(); ++z) {
            const snap::Zone& zone = zones_out_[z];
            const uint64_t hash =
                snap::index_hash(data_.data() + zone.origin_name, zone.origin_len, seed);
            zone_index[free_slot(zone_index, hash)] = snap::IndexSlot{snap::index_tag(hash), z};
        }
        fill_section(snap::kSectionZoneIndex, bytes_of(zone_index));
        header_.zone_index_slots = static_cast<uint32_t>(zone_index.size());
    }

    // Built where the file keeps it: the largest index is not held twice either.
    void build_node_index() {
        snap::NodeBucket empty{};
        for (snap::NodeSlot& slot : empty.slots)
            slot = snap::NodeSlot{0, snap::kNone};
        const snap::Section& section = header_.sections[snap::kSectionNodeIndex];
        const size_t count = section.size / sizeof(snap::NodeBucket);
        auto* first = reinterpret_cast<snap::NodeBucket*>(file_.data() + section.offset);
        std::uninitialized_fill_n(first, count, empty);
        const std::span<snap::NodeBucket> node_index(first, count);
        for (uint32_t z = 0; z < zones_out_.size(); ++z) {
            const snap::Zone& zone = zones_out_[z];
            const uint64_t seed = snap::node_index_seed(hash_seed_, z);
            for (uint32_t n = zone.first_node; n < zone.first_node + zone.node_count; ++n) {
                const uint32_t offset = node_offset(n);
                const uint8_t* block = data_.data() + offset;
                if (block[offsetof(snap::Node, flags)] & snap::kNodeNsec3Only) continue;
                const uint8_t name_len = block[offsetof(snap::Node, name_len)];
                const uint64_t hash = snap::index_hash(block + sizeof(snap::Node), name_len, seed);
                free_slot(node_index, hash) = snap::NodeSlot{snap::index_tag(hash), offset};
            }
        }
        header_.node_index_buckets = static_cast<uint32_t>(count);
    }

    std::vector<uint8_t> finish() {
        snap::Header& header = header_;
        std::memcpy(header.magic, snap::kMagic, sizeof header.magic);
        header.format_version = snap::kFormatVersion;
        header.byte_order = snap::kByteOrderMark;
        header.header_size = sizeof(snap::Header);
        header.generation = options_.generation;
        header.created_unix = options_.created_unix != 0
                                  ? options_.created_unix
                                  : static_cast<uint64_t>(std::time(nullptr));
        header.hash_seed = hash_seed_;
        header.zone_count = checked_u32(zones_out_.size(), "zone count");
        header.node_count = checked_u32(nodes_placed_, "node count");
        header.rrset_count = checked_u32(rrset_count_, "RRset count");
        header.file_size = file_.size();

        unsigned int digest_len = 0;
        if (EVP_Digest(file_.data() + sizeof(snap::Header), file_.size() - sizeof(snap::Header),
                       header.checksum, &digest_len, EVP_sha256(), nullptr) != 1 ||
            digest_len != snap::kChecksumSize)
            throw std::runtime_error("SHA-256 of the snapshot failed");
        std::memcpy(file_.data(), &header, sizeof header);
        release_unused(file_);
        return std::move(file_);
    }

    const std::vector<ParsedZone>& zones_;
    const std::vector<ZoneTree>& trees_;
    const BuildOptions& options_;
    uint64_t hash_seed_ = 0;

    snap::Header header_{}; // section offsets and sizes as they are placed
    std::vector<uint8_t> file_;
    FileSection data_; // kSectionData, the last section of file_ until the data is complete
    std::vector<snap::Zone> zones_out_;
    size_t nodes_placed_ = 0; // kSectionNodeOffsets entries written so far
    uint64_t rrset_count_ = 0;
    std::vector<uint8_t> strings_;
    std::vector<uint32_t> nsec_chain_; // kSectionNsecChain
    std::vector<uint64_t> nsec3_keys_; // kSectionNsec3Keys, one per nsec_chain_ entry

    std::unordered_set<std::string> origins_; // wire origins seen, to refuse duplicates
    std::vector<uint32_t> targets_;           // scratch for add_additional
    std::vector<uint32_t> pending_lists_;     // the zone's additional lists, holding tree ids
    // The zone's wildcard child fields (format.h, Node) and the tree id each is to name.
    std::vector<std::pair<uint32_t, uint32_t>> pending_wildcards_;
    std::unordered_set<uint32_t> seen_;
};

} // namespace

uint64_t snapshot_size_bound(const std::vector<ParsedZone>& zones,
                             const std::vector<ZoneTree>& trees) {
    return plan_file(zones, trees).bound();
}

std::vector<uint8_t> build_snapshot_from_trees(const std::vector<ParsedZone>& zones,
                                               const std::vector<ZoneTree>& trees,
                                               const BuildOptions& options) {
    return SnapshotBuilder(zones, trees, options).build();
}

std::vector<uint8_t> build_snapshot(const std::vector<ParsedZone>& zones,
                                    const BuildOptions& options) {
    std::vector<ZoneTree> trees;
    trees.reserve(zones.size());
    for (const ParsedZone& zone : zones)
        trees.push_back(build_zone_tree(zone));
    return build_snapshot_from_trees(zones, trees, options);
}

} // namespace ringcast::zone
