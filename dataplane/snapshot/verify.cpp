// Snapshot verification. Runs once per snapshot on the control path (allocation and formatted
// messages are fine here); afterwards the packet path trusts every index and offset.
//
// Order: what makes the rest meaningless first (size, magic, version, byte order), then the
// checksum (so random corruption reads as "checksum mismatch"), then structure and every cross
// reference (which catches a builder bug even when the checksum is right).
#include "dataplane/snapshot/verify.h"

#include "dataplane/dns/nsec3_hash.h"
#include "dataplane/dns/protocol.h"
#include "dataplane/dns/wire_name.h"
#include "dataplane/snapshot/canonical_order.h"
#include "dataplane/snapshot/index_hash.h"
#include "dataplane/snapshot/rdata_layout.h"
#include "dataplane/util/image_checks.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <openssl/evp.h>
#include <string_view>
#include <vector>

namespace ringcast::snapshot {
namespace {

using dns::kTypeCname;
using dns::kTypeDname;
using dns::kTypeNsec;
using dns::kTypeNsec3;
using dns::kTypeNsec3param;
using dns::kTypeRrsig;
using dns::kTypeSoa;
// RFC 4034 §3.1: type covered, algorithm, labels, original TTL, expiration, inception, key tag
// (18 bytes), then the signer's name (at least the root) and the signature.
constexpr uint16_t kMinRrsigRdata = 19;
constexpr uint16_t kKnownZoneFlags = kZoneSigned | kZoneNsec3;

constexpr std::string_view kSectionLabels[kSectionCount] = {
    "zones", "zone index", "node offsets", "node index",
    "data",  "strings",    "nsec chain",   "nsec3 keys"};

// A big-endian 16-bit field (RDLENGTH).
uint16_t load_u16_be(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

using image::format;

bool is_power_of_two(uint32_t v) {
    return std::has_single_bit(v);
}

bool sha256(const uint8_t* data, size_t len, uint8_t out[kChecksumSize]) {
    unsigned int out_len = 0;
    return EVP_Digest(data, len, out, &out_len, EVP_sha256(), nullptr) == 1 &&
           out_len == kChecksumSize;
}

class Verifier {
  public:
    Verifier(std::span<const uint8_t> bytes, View& view, std::string& error)
        : base_(bytes.data()), size_(bytes.size()), view_(view), error_(error) {}

    bool run() {
        return check_header() && check_checksum() && check_sections() && map_sections() &&
               check_node_blocks() && check_zones() && check_nodes() && check_indexes() &&
               check_nsec_chains();
    }

  private:
    bool fail(std::string message) {
        error_ = std::move(message);
        return false;
    }

    bool check_header() {
        const std::string error = image::check_header<Header>(
            base_, size_, {kMagic, kFormatVersion, kByteOrderMark, "snapshot"});
        if (!error.empty()) return fail(error);
        h_ = reinterpret_cast<const Header*>(base_);
        return true;
    }

    bool check_checksum() {
        uint8_t digest[kChecksumSize];
        if (!sha256(base_ + h_->header_size, size_ - h_->header_size, digest))
            return fail("cannot compute SHA-256 (OpenSSL EVP failure)");
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        if (fuzzing_skip_checksum) return true; // verify.h
#endif
        if (std::memcmp(digest, h_->checksum, kChecksumSize) != 0)
            return fail("checksum mismatch: file is corrupted");
        return true;
    }

    bool check_section(SectionId id, uint64_t expected_size, bool exact) {
        const std::string error = image::check_section(
            h_->sections[id], kSectionLabels[id], h_->header_size, size_, kAlignment, expected_size,
            exact ? image::SectionSize::exact : image::SectionSize::at_least);
        return error.empty() || fail(error);
    }

    bool check_sections() {
        if (!is_power_of_two(h_->zone_index_slots))
            return fail(
                format("zone index has %u slots, not a power of two", h_->zone_index_slots));
        if (h_->node_index_buckets == 0) return fail("node index has no buckets");
        // An index needs a free slot so that a lookup of a missing name terminates.
        if (h_->zone_count >= h_->zone_index_slots)
            return fail(format("zone index has %u slots for %u zones: no free slot",
                               h_->zone_index_slots, h_->zone_count));
        if (h_->node_count >= uint64_t{h_->node_index_buckets} * kNodeBucketSlots)
            return fail(format("node index has %u buckets for %u nodes: no free slot",
                               h_->node_index_buckets, h_->node_count));
        return check_section(kSectionZones, uint64_t{h_->zone_count} * sizeof(Zone), true) &&
               check_section(kSectionZoneIndex, uint64_t{h_->zone_index_slots} * sizeof(IndexSlot),
                             true) &&
               check_section(kSectionNodeOffsets, uint64_t{h_->node_count} * sizeof(uint32_t),
                             true) &&
               check_section(kSectionNodeIndex,
                             uint64_t{h_->node_index_buckets} * sizeof(NodeBucket), true) &&
               check_section(kSectionData, 0, false) && check_section(kSectionStrings, 0, false) &&
               check_section(kSectionNsecChain,
                             h_->sections[kSectionNsecChain].size / sizeof(uint32_t) *
                                 sizeof(uint32_t),
                             true) &&
               check_section(kSectionNsec3Keys,
                             h_->sections[kSectionNsecChain].size / sizeof(uint32_t) *
                                 sizeof(uint64_t),
                             true);
    }

    bool map_sections() {
        auto at = [&](SectionId id) { return base_ + h_->sections[id].offset; };
        view_.header = h_;
        view_.zones = reinterpret_cast<const Zone*>(at(kSectionZones));
        view_.zone_index = reinterpret_cast<const IndexSlot*>(at(kSectionZoneIndex));
        view_.node_offsets = reinterpret_cast<const uint32_t*>(at(kSectionNodeOffsets));
        view_.node_index = reinterpret_cast<const NodeBucket*>(at(kSectionNodeIndex));
        view_.data = at(kSectionData);
        view_.strings = reinterpret_cast<const char*>(at(kSectionStrings));
        view_.nsec_chain = reinterpret_cast<const uint32_t*>(at(kSectionNsecChain));
        nsec_chain_size_ = h_->sections[kSectionNsecChain].size / sizeof(uint32_t);
        view_.nsec3_keys = reinterpret_cast<const uint64_t*>(at(kSectionNsec3Keys));
        view_.zone_index_mask = h_->zone_index_slots - 1;
        view_.node_index_buckets = h_->node_index_buckets;
        data_size_ = h_->sections[kSectionData].size;
        strings_size_ = h_->sections[kSectionStrings].size;
        return true;
    }

    bool check_name_ref(const char* what, uint32_t index, uint32_t offset, uint8_t len,
                        uint8_t labels) {
        if (offset > data_size_ || len > data_size_ - offset)
            return fail(
                format("%s %u: name [%u, +%u) outside the data section", what, index, offset, len));
        const dns::NameInfo name =
            dns::measure_name(view_.data + offset, len, dns::NameCase::kLowercase);
        if (name.length == 0 || name.length != len)
            return fail(format("%s %u: name at %u is not a lowercase uncompressed wire name of %u "
                               "bytes",
                               what, index, offset, len));
        if (name.labels != labels)
            return fail(format("%s %u: name has %u labels, record says %u", what, index,
                               name.labels, labels));
        return true;
    }

    // The number of the node whose block starts at `offset`, or kNone: node references
    // (parents, index slots, additional lists, apexes) must each name a real block.
    uint32_t node_number(uint32_t offset) const {
        const uint32_t* begin = view_.node_offsets;
        const uint32_t* end = begin + h_->node_count;
        const uint32_t* at = std::lower_bound(begin, end, offset);
        return at != end && *at == offset ? static_cast<uint32_t>(at - begin) : kNone;
    }

    // The blocks: ascending and 4-byte aligned, each one's record, name and Rrset table inside
    // the data section and before the next block, each name a lowercase wire name.
    bool check_node_blocks() {
        uint64_t previous_end = 0;
        uint64_t rrsets = 0;
        for (uint32_t n = 0; n < h_->node_count; ++n) {
            const uint32_t offset = view_.node_offsets[n];
            if (offset % alignof(Node) != 0 || offset < previous_end ||
                data_size_ - std::min<uint64_t>(offset, data_size_) < sizeof(Node))
                return fail(format("node %u: block at %u misaligned, out of order or outside the "
                                   "data section",
                                   n, offset));
            const Node& node = view_.node(offset);
            previous_end = uint64_t{offset} + node_header_size(node);
            if (previous_end > data_size_)
                return fail(format("node %u: name or %u rrsets run past the data section", n,
                                   node.rrset_count));
            if (!check_name_ref("node", n, offset + sizeof(Node), node.name_len, node.labels))
                return false;
            rrsets += node.rrset_count;
        }
        if (rrsets != h_->rrset_count)
            return fail(format("nodes hold %llu rrsets, header says %u",
                               static_cast<unsigned long long>(rrsets), h_->rrset_count));
        return true;
    }

    bool check_zones() {
        zone_of_node_.assign(h_->node_count, kNone);
        uint32_t next_zone_node = 0;
        uint64_t next_nsec = 0;
        for (uint32_t z = 0; z < h_->zone_count; ++z) {
            const Zone& zone = view_.zones[z];
            if (!check_name_ref("zone", z, zone.origin_name, zone.origin_len, zone.origin_labels))
                return false;
            // At most 127 labels: the name was just checked to fit 255 bytes.
            view_.origin_label_counts[zone.origin_labels / 64] |= uint64_t{1}
                                                                  << (zone.origin_labels % 64);
            // The zones' node ranges tile the node offsets in zone order, so every node has
            // exactly one zone, and their block ranges follow one another.
            if (zone.first_node != next_zone_node || zone.node_count == 0 ||
                zone.node_count > h_->node_count - zone.first_node)
                return fail(format("zone %u: nodes [%u, +%u) do not follow the previous zone's "
                                   "(%u nodes in all)",
                                   z, zone.first_node, zone.node_count, h_->node_count));
            next_zone_node = zone.first_node + zone.node_count;
            const uint64_t blocks_end =
                next_zone_node < h_->node_count ? view_.node_offsets[next_zone_node] : data_size_;
            if (zone.apex_node != view_.node_offsets[zone.first_node] ||
                zone.nodes_end != blocks_end)
                return fail(format("zone %u: blocks [%u, %u) are not those of its nodes", z,
                                   zone.apex_node, zone.nodes_end));
            for (uint32_t n = zone.first_node; n < next_zone_node; ++n)
                zone_of_node_[n] = z;
            const Node& apex = view_.node(zone.apex_node);
            if (!(apex.flags & kNodeApex) || apex.parent != kNone ||
                zone.origin_name != zone.apex_node + sizeof(Node) ||
                zone.origin_len != apex.name_len)
                return fail(format("zone %u: node at %u is not its apex", z, zone.apex_node));
            const uint64_t soa = uint64_t{zone.soa_rrset} - zone.apex_node;
            const uint32_t table = node_rrsets_offset(apex.name_len);
            if (soa < table || (soa - table) % sizeof(Rrset) != 0 ||
                (soa - table) / sizeof(Rrset) >= apex.rrset_count ||
                view_.rrset(zone.soa_rrset).type != kTypeSoa)
                return fail(format("zone %u: rrset at %u is not the apex SOA", z, zone.soa_rrset));
            if (zone.flags & ~kKnownZoneFlags)
                return fail(format("zone %u: unknown flags 0x%x", z, zone.flags));
            if (zone.first_nsec != next_nsec || zone.nsec_count > nsec_chain_size_ - next_nsec)
                return fail(format("zone %u: NSEC chain [%u, +%u) does not follow the previous "
                                   "zone's (%llu in all)",
                                   z, zone.first_nsec, zone.nsec_count,
                                   static_cast<unsigned long long>(nsec_chain_size_)));
            next_nsec += zone.nsec_count;
            if (zone.source_file >= strings_size_ ||
                std::memchr(view_.strings + zone.source_file, 0,
                            strings_size_ - zone.source_file) == nullptr)
                return fail(format("zone %u: source file string at %u is not NUL-terminated "
                                   "inside the strings section",
                                   z, zone.source_file));
        }
        if (next_zone_node != h_->node_count)
            return fail(format("nodes [%u, %u) belong to no zone", next_zone_node, h_->node_count));
        if (next_nsec != nsec_chain_size_)
            return fail(format("NSEC chain entries [%llu, %llu) belong to no zone",
                               static_cast<unsigned long long>(next_nsec),
                               static_cast<unsigned long long>(nsec_chain_size_)));
        return true;
    }

    // The responder binary-searches each zone's chain for the NSEC (NSEC3) covering a name
    // (hash): entries are the zone's own NSEC (NSEC3) owners, not occluded, strictly ascending
    // in canonical order. An NSEC3 zone's NSEC3PARAM is read on the packet path.
    bool check_nsec_chains() {
        for (uint32_t z = 0; z < h_->zone_count; ++z) {
            const Zone& zone = view_.zones[z];
            const bool nsec3 = zone.flags & kZoneNsec3;
            if (nsec3) {
                const Rrset* param = View::find_rrset(view_.node(zone.apex_node), kTypeNsec3param);
                dns::Nsec3Params params;
                if (param == nullptr ||
                    !dns::read_nsec3_params(view_.data + param->rdata + 2,
                                            load_u16_be(view_.data + param->rdata), params))
                    return fail(format("zone %u: NSEC3 flag without a usable NSEC3PARAM", z));
            }
            const uint16_t denial_type = nsec3 ? kTypeNsec3 : kTypeNsec;
            const Node* previous = nullptr;
            for (uint32_t i = zone.first_nsec; i < zone.first_nsec + zone.nsec_count; ++i) {
                const uint32_t n = node_number(view_.nsec_chain[i]);
                if (n == kNone || zone_of_node_[n] != z)
                    return fail(format("NSEC chain entry %u: %u is no node of zone %u", i,
                                       view_.nsec_chain[i], z));
                const Node& node = view_.node(view_.nsec_chain[i]);
                if (View::find_rrset(node, denial_type) == nullptr || (node.flags & kNodeBelowCut))
                    return fail(format("NSEC chain entry %u: node %u owns no %s of its zone", i, n,
                                       nsec3 ? "NSEC3" : "NSEC"));
                // View::covering_nsec3 compares the keys, then the first labels alone.
                uint64_t key = 0;
                if (nsec3 && !dns::nsec3_owner_key(View::name_of(node), node.labels,
                                                   zone.origin_labels, key))
                    return fail(format("NSEC chain entry %u: node %u is not a hash label over "
                                       "its zone's origin",
                                       i, n));
                if (view_.nsec3_keys[i] != key)
                    return fail(format("NSEC chain entry %u: key is not its owner's hash", i));
                if (previous != nullptr &&
                    canonical_compare(View::name_of(*previous), previous->name_len,
                                      View::name_of(node), node.name_len) >= 0)
                    return fail(format("NSEC chain entry %u: not in canonical order", i));
                previous = &node;
            }
        }
        return true;
    }

    bool check_nodes() {
        uint32_t rrset_number = 0;
        for (uint32_t n = 0; n < h_->node_count; ++n) {
            const uint32_t offset = view_.node_offsets[n];
            const Node& node = view_.node(offset);
            const uint8_t* name = View::name_of(node);
            const uint32_t zone_index = zone_of_node_[n];
            const Zone& zone = view_.zones[zone_index];
            // The owner is the zone origin or below it.
            if (node.labels < zone.origin_labels || node.name_len < zone.origin_len ||
                std::memcmp(name + node.name_len - zone.origin_len, view_.origin_of(zone),
                            zone.origin_len) != 0)
                return fail(format("node %u: name is not inside its zone %u", n, zone_index));
            // The cut search climbs parents up to the first apex flag.
            if (((node.flags & kNodeApex) != 0) != (node.parent == kNone))
                return fail(format("node %u: apex flag and parent disagree", n));
            if (node.parent == kNone) {
                if (zone.apex_node != offset)
                    return fail(format("node %u: no parent but not its zone's apex", n));
            } else {
                const uint32_t parent_number = node_number(node.parent);
                if (parent_number == kNone)
                    return fail(format("node %u: parent %u is no node", n, node.parent));
                const Node& parent = view_.node(node.parent);
                if (zone_of_node_[parent_number] != zone_index ||
                    parent.labels + 1 != node.labels ||
                    parent.name_len + name[0] + 1 != node.name_len ||
                    std::memcmp(View::name_of(parent), name + name[0] + 1, parent.name_len) != 0)
                    return fail(format("node %u: node %u is not its parent", n, parent_number));
            }
            const std::span<const Rrset> rrsets = View::rrsets_of(node);
            for (uint32_t i = 1; i < rrsets.size(); ++i)
                if (rrsets[i - 1].type >= rrsets[i].type)
                    return fail(format("node %u: rrsets not sorted by type", n));
            for (const Rrset& rrset : rrsets)
                if (!check_rrset(rrset_number++, rrset)) return false;
            // The responder skips the search for a zone cut above a node without these flags.
            const bool under_cut = node.parent != kNone && (view_.node(node.parent).flags &
                                                            (kNodeDelegation | kNodeBelowCut)) != 0;
            if (((node.flags & kNodeBelowCut) != 0) != under_cut)
                return fail(format("node %u: below-cut flag disagrees with its parent", n));
            if ((node.flags & kNodeCname) && View::find_rrset(node, kTypeCname) == nullptr)
                return fail(format("node %u: CNAME flag without a CNAME rrset", n));
            if (!check_dname(n, node) || !check_nsec3_only(n, node)) return false;
        }
        return true;
    }

    // A node left out of the node index (kNodeNsec3Only) must be one whose absence is right: an
    // NSEC3 owner with nothing else there and nothing below (RFC 5155 §7.2.8).
    bool check_nsec3_only(uint32_t n, const Node& node) {
        if (node.parent != kNone && (view_.node(node.parent).flags & kNodeNsec3Only))
            return fail(format("node %u: below an NSEC3-only node", n));
        if (!(node.flags & kNodeNsec3Only)) return true;
        if (node.flags != kNodeNsec3Only)
            return fail(format("node %u: NSEC3-only node with other flags", n));
        if (View::find_rrset(node, kTypeNsec3) == nullptr)
            return fail(format("node %u: NSEC3-only node without NSEC3", n));
        for (const Rrset& rrset : View::rrsets_of(node))
            if (rrset.type != kTypeNsec3 && rrset.type != kTypeRrsig)
                return fail(format("node %u: NSEC3-only node owns type %u", n, rrset.type));
        return true;
    }

    // The responder substitutes the one DNAME target of a flagged node into names below it
    // (RFC 6672 §2.2), and a DNAME owner has no descendants (the closest encloser of every
    // name below it is the owner).
    bool check_dname(uint32_t n, const Node& node) {
        const Rrset* dname = View::find_rrset(node, kTypeDname);
        if (((node.flags & kNodeDname) != 0) != (dname != nullptr))
            return fail(format("node %u: DNAME flag and DNAME rrset disagree", n));
        if (node.parent != kNone && (view_.node(node.parent).flags & kNodeDname))
            return fail(format("node %u: below a DNAME", n));
        if (dname == nullptr) return true;
        const uint8_t* rdata = view_.data + dname->rdata;
        const uint16_t rdlength = load_u16_be(rdata);
        if (dname->rr_count != 1 || !dns::is_whole_name(rdata + 2, rdlength))
            return fail(format("node %u: DNAME is not one record of one name", n));
        return true;
    }

    bool check_rrset(uint32_t r, const Rrset& rrset) {
        if (rrset.rdata > data_size_)
            return fail(format("rrset %u: rdata at %u outside the data section", r, rrset.rdata));
        if (rrset.rr_count == 0) return fail(format("rrset %u: no records", r));
        // The packet path walks the records by their RDLENGTHs: each must stay inside the
        // section.
        const RdataNameLayout layout = compressible_rdata_layout(rrset.type);
        const uint8_t* p = view_.data + rrset.rdata;
        const uint64_t avail = data_size_ - rrset.rdata;
        uint64_t pos = 0;
        for (uint32_t i = 0; i < rrset.rr_count; ++i) {
            if (avail - pos < 2)
                return fail(format("rrset %u: record %u runs past the data section", r, i));
            const uint16_t rdlength = load_u16_be(p + pos);
            pos += 2;
            if (avail - pos < rdlength)
                return fail(format("rrset %u: record %u runs past the data section", r, i));
            // The responder reads an RRSIG's type covered to pick the signatures of an RRset.
            if (rrset.type == kTypeRrsig && rdlength < kMinRrsigRdata)
                return fail(
                    format("rrset %u: RRSIG record %u of %u bytes is too short", r, i, rdlength));
            if (layout.names > 0 && !rdata_fits_layout(p + pos, rdlength, layout))
                return fail(format("rrset %u: record %u: RDATA of %u bytes does not fit its type's "
                                   "names (a bad name, or bytes before or after them)",
                                   r, i, rdlength));
            pos += rdlength;
        }
        return rrset.additional == kNone || check_additional_list(r, rrset.additional);
    }

    bool check_additional_list(uint32_t r, uint32_t offset) {
        if (offset % alignof(AdditionalList) != 0 || offset > data_size_ ||
            data_size_ - offset < sizeof(AdditionalList))
            return fail(format("rrset %u: additional list at %u misaligned or outside the rdata "
                               "section",
                               r, offset));
        const auto* list = reinterpret_cast<const AdditionalList*>(view_.data + offset);
        if (list->count == 0 ||
            list->count > (data_size_ - offset - sizeof(AdditionalList)) / sizeof(uint32_t))
            return fail(format("rrset %u: additional list at %u has %u entries, outside the "
                               "data section or none",
                               r, offset, list->count));
        for (const uint32_t node : view_.additional_nodes(*list))
            if (node_number(node) == kNone)
                return fail(format("rrset %u: additional node %u is no node", r, node));
        return true;
    }

    // Every index slot points in range, every index has one slot per entry (so a free one,
    // where the lookup of a missing name ends), and every zone and node is found by a lookup of
    // its own name (so a builder hashing differently is caught here, not by missing answers).
    bool check_indexes() {
        uint32_t filled = 0;
        for (uint32_t i = 0; i < h_->zone_index_slots; ++i) {
            if (view_.zone_index[i].target == kNone) continue;
            if (view_.zone_index[i].target >= h_->zone_count)
                return fail(format("zone index slot %u: zone %u out of range", i,
                                   view_.zone_index[i].target));
            ++filled;
        }
        if (filled != h_->zone_count)
            return fail(
                format("zone index has %u filled slots for %u zones", filled, h_->zone_count));
        filled = 0;
        uint32_t indexed = 0;
        for (uint32_t n = 0; n < h_->node_count; ++n)
            if (!(view_.node(view_.node_offsets[n]).flags & kNodeNsec3Only)) ++indexed;
        for (uint32_t b = 0; b < h_->node_index_buckets; ++b) {
            bool seen_empty = false;
            for (uint32_t i = 0; i < kNodeBucketSlots; ++i) {
                const NodeSlot& slot = view_.node_index[b].slots[i];
                if (slot.node == kNone) {
                    seen_empty = true;
                    continue;
                }
                // Lookups stop at a bucket's first empty slot (format.h, NodeBucket).
                if (seen_empty)
                    return fail(
                        format("node index bucket %u: slot %u filled after an empty one", b, i));
                if (node_number(slot.node) == kNone)
                    return fail(format("node index bucket %u: node %u is no node", b, slot.node));
                ++filled;
            }
        }
        if (filled != indexed)
            return fail(
                format("node index has %u filled slots for %u indexed nodes", filled, indexed));
        for (uint32_t z = 0; z < h_->zone_count; ++z) {
            const Zone& zone = view_.zones[z];
            if (view_.find_zone_in_index(view_.origin_of(zone), zone.origin_len) != z ||
                view_.find_zone(view_.origin_of(zone), zone.origin_len) != z)
                return fail(format("zone %u: not found through the zone index", z));
        }
        for (uint32_t n = 0; n < h_->node_count; ++n) {
            const Node& node = view_.node(view_.node_offsets[n]);
            const uint32_t found =
                view_.find_node(zone_of_node_[n], View::name_of(node), node.name_len);
            if (node.flags & kNodeNsec3Only) {
                if (found != kNone)
                    return fail(format("node %u: NSEC3-only node found through the node index", n));
            } else if (found != view_.node_offsets[n]) {
                return fail(format("node %u: not found through the node index", n));
            }
        }
        // The responder synthesises from "*.<node>" when this flag is set (RFC 4592).
        std::vector<uint8_t> wildcard;
        for (uint32_t n = 0; n < h_->node_count; ++n) {
            const Node& node = view_.node(view_.node_offsets[n]);
            if (!(node.flags & kNodeWildcardChild)) continue;
            if (node.name_len + 2u > dns::kMaxNameLength)
                return fail(format("node %u: wildcard child name too long", n));
            wildcard.assign({1, '*'});
            wildcard.insert(wildcard.end(), View::name_of(node),
                            View::name_of(node) + node.name_len);
            const uint32_t child = View::wildcard_child_of(node);
            if (view_.find_node(zone_of_node_[n], wildcard.data(), wildcard.size()) != child ||
                child == kNone)
                return fail(
                    format("node %u: wildcard flag set but no \"*\" child at %u", n, child));
        }
        return true;
    }

    const uint8_t* base_;
    size_t size_;
    View& view_;
    std::string& error_;
    const Header* h_ = nullptr;
    uint64_t data_size_ = 0;
    uint64_t strings_size_ = 0;
    uint64_t nsec_chain_size_ = 0;       // entries
    std::vector<uint32_t> zone_of_node_; // from the zones' node ranges, filled by check_zones
};

} // namespace

bool verify_snapshot(std::span<const uint8_t> bytes, View& view, std::string& error) {
    View candidate;
    if (!Verifier(bytes, candidate, error).run()) return false;
    view = candidate;
    return true;
}

} // namespace ringcast::snapshot
