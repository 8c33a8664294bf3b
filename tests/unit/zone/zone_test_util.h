// Helpers shared by the zone compiler tests: fixture paths, names from text, zones from text,
// and a lookup in a built snapshot written from format.h's rules alone (not the dataplane's
// reader), so the builder is checked against the contract rather than against itself.
#pragma once

#include "controlplane/zone/dname.h"
#include "controlplane/zone/zone_compiler.h"
#include "dataplane/snapshot/format.h"

#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>
#include <xxhash.h>

namespace ringcast::zone::test {

inline std::string data_path(const std::string& relative) {
    return std::string(RINGCAST_TEST_DATA) + "/" + relative;
}

// Wire form of a presentation name; throws on a malformed one (a bug in the test).
inline std::vector<uint8_t> wire(const std::string& text) {
    std::vector<uint8_t> out;
    std::string error;
    if (!dname::from_presentation(text, out, error)) throw std::invalid_argument(error);
    return out;
}

struct TextZone {
    ParsedZone zone;
    std::vector<Diagnostic> errors;
    bool ok = false;
};

inline TextZone parse_text(const std::string& text, const std::string& origin = "example.net.",
                           const std::string& file = "test.zone") {
    TextZone t;
    t.ok = parse_zone_text(ZoneSource{origin, file}, text, t.zone, t.errors);
    return t;
}

// The first few lines every well-formed test zone starts with.
inline const std::string kZoneHead = "$ORIGIN example.net.\n"
                                     "$TTL 3600\n"
                                     "@ IN SOA ns1 hostmaster 42 7200 3600 1209600 300\n"
                                     "@ IN NS ns1\n"
                                     "ns1 IN A 192.0.2.1\n";

// Read-only view of a snapshot built in memory, following format.h and nothing else.
struct SnapshotView {
    std::span<const uint8_t> bytes;

    const snapshot::Header& header() const {
        return *reinterpret_cast<const snapshot::Header*>(bytes.data());
    }
    template <typename T>
    const T* section(snapshot::SectionId id) const {
        return reinterpret_cast<const T*>(bytes.data() + header().sections[id].offset);
    }
    const snapshot::Zone& zone(uint32_t i) const {
        return section<snapshot::Zone>(snapshot::kSectionZones)[i];
    }
    // A node and an RRset are named by their offset in the data section.
    const snapshot::Node& node(uint32_t offset) const {
        return *reinterpret_cast<const snapshot::Node*>(data() + offset);
    }
    const snapshot::Rrset& rrset(uint32_t offset) const {
        return *reinterpret_cast<const snapshot::Rrset*>(data() + offset);
    }
    // The offsets of a node's RRsets: after the 8-byte record and the name padded to 4 bytes.
    std::vector<uint32_t> rrsets_of(uint32_t n) const {
        const uint32_t table = n + 8 + (node(n).name_len + 3u) / 4 * 4;
        std::vector<uint32_t> out;
        for (uint32_t r = 0; r < node(n).rrset_count; ++r)
            out.push_back(table + r * 16);
        return out;
    }
    const uint8_t* data() const { return section<uint8_t>(snapshot::kSectionData); }
    const char* strings() const { return section<char>(snapshot::kSectionStrings); }

    // The "*" child a node with kNodeWildcardChild names, just after its RRsets.
    uint32_t wildcard_child(uint32_t n) const {
        uint32_t child;
        std::memcpy(&child,
                    data() + n + 8 + (node(n).name_len + 3u) / 4 * 4 + node(n).rrset_count * 16,
                    sizeof child);
        return child;
    }
    std::vector<uint8_t> node_name(uint32_t i) const {
        const uint8_t* name = data() + i + 8;
        return {name, name + node(i).name_len};
    }

    // Linear probing from (hash & (slots - 1)); a slot matches on tag and on the target's name.
    uint32_t find_zone(const std::vector<uint8_t>& name) const {
        const uint64_t h = XXH3_64bits_withSeed(name.data(), name.size(),
                                                snapshot::zone_index_seed(header().hash_seed));
        const auto* slots = section<snapshot::IndexSlot>(snapshot::kSectionZoneIndex);
        const uint32_t mask = header().zone_index_slots - 1;
        for (uint32_t pos = h & mask, probes = 0; probes <= mask;
             pos = (pos + 1) & mask, ++probes) {
            const auto& slot = slots[pos];
            if (slot.target == snapshot::kNone) return snapshot::kNone;
            const auto& z = zone(slot.target);
            if (slot.tag == static_cast<uint32_t>(h >> 32) && z.origin_len == name.size() &&
                std::memcmp(data() + z.origin_name, name.data(), name.size()) == 0)
                return slot.target;
        }
        return snapshot::kNone;
    }

    uint32_t find_node(uint32_t zone_index, const std::vector<uint8_t>& name) const {
        const uint64_t h = XXH3_64bits_withSeed(
            name.data(), name.size(), snapshot::node_index_seed(header().hash_seed, zone_index));
        // Buckets of eight slots from ((h mod 2^32) * buckets) >> 32 on, in order, wrapping.
        const auto* slots = section<snapshot::NodeSlot>(snapshot::kSectionNodeIndex);
        const uint64_t count = uint64_t{header().node_index_buckets} * 8;
        const uint64_t home = ((h & 0xffffffffu) * header().node_index_buckets) >> 32;
        const auto& z = zone(zone_index);
        for (uint64_t probes = 0; probes < count; ++probes) {
            const auto& slot = slots[(home * 8 + probes) % count];
            if (slot.node == snapshot::kNone) return snapshot::kNone;
            if (slot.tag == static_cast<uint32_t>(h >> 32) && slot.node >= z.apex_node &&
                slot.node < z.nodes_end && node_name(slot.node) == name)
                return slot.node;
        }
        return snapshot::kNone;
    }

    // RRset of `type` at node `n`, or nullptr.
    const snapshot::Rrset* find_rrset(uint32_t n, uint16_t type) const {
        for (const uint32_t r : rrsets_of(n))
            if (rrset(r).type == type) return &rrset(r);
        return nullptr;
    }

    // The RRs of an RRset as (RDATA) byte strings, in stored order.
    std::vector<std::vector<uint8_t>> rrs(const snapshot::Rrset& r) const {
        std::vector<std::vector<uint8_t>> out;
        const uint8_t* p = data() + r.rdata;
        for (uint32_t i = 0; i < r.rr_count; ++i) {
            const size_t len = size_t{p[0]} << 8 | p[1];
            out.emplace_back(p + 2, p + 2 + len);
            p += 2 + len;
        }
        return out;
    }

    std::vector<uint32_t> additional(const snapshot::Rrset& r) const {
        if (r.additional == snapshot::kNone) return {};
        uint32_t count = 0;
        std::memcpy(&count, data() + r.additional, 4);
        std::vector<uint32_t> out(count);
        std::memcpy(out.data(), data() + r.additional + 4, 4 * out.size());
        return out;
    }
};

} // namespace ringcast::zone::test
