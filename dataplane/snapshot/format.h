// The snapshot file format: the one contract between ringcastd (which writes it) and
// ringcast-dataplane (which maps it read-only and answers from it).
//
// A snapshot is a single file built on the same host that serves it, so integers are stored in
// host byte order (a byte-order mark in the header catches a file carried to a foreign host);
// DNS wire data inside it (names, RDATA, RDLENGTH) is in network order, ready to copy.
//
// Layout: Header, then sections at the offsets the header gives, each aligned to kAlignment.
// Every cross reference is an index or an offset checked by the reader before the snapshot is
// published, so the packet path never bounds-checks snapshot data.
#pragma once

#include <cstdint>

namespace ringcast::snapshot {

inline constexpr char kMagic[8] = {'R', 'C', 'S', 'N', 'A', 'P', '\r', '\n'};
// 2: the node index holds NodeSlot (16 bytes: name offset and first RRset beside the node), so
//    a lookup fetches the node, its name and its RRsets in parallel instead of one by one.
// 3: the node index is cache-line buckets of four slots filled to 3/4 (it was at most half full,
//    in single slots); Node and Rrset are 16 bytes (were 24): a zone's nodes are one range of
//    Node, an RRset's extent is found from its RDLENGTHs, and its additional-section list
//    carries its own count. The snapshot shrank by a quarter.
// 4: owner names live in the data section, each just before its node's RDATA (the names
//    section is gone): a positive answer's name and RDATA are one or two cache lines, not
//    two or three.
// 5: a node's record, owner name, RRsets, RDATA and additional lists are one block in the data
//    section, and a node is named by its block's offset (the Node and Rrset arrays are gone):
//    a positive answer reads its index bucket and one or two adjacent lines of the block,
//    where it read four scattered lines. Index slots are 8 bytes, eight to a bucket.
// 6: kNodeDname marks a DNAME owner, whose subtree the responder redirects (RFC 6672); a
//    format-5 dataplane would serve the DNAME as plain data.
// 7: Zone::flags marks a signed zone (and an NSEC3 one), and kSectionNsecChain lists each
//    zone's NSEC or NSEC3 owners in canonical order, so DO=1 answers carry RRSIGs and denial
//    proofs (RFC 4035 §3.1, RFC 5155 §7.2).
// 8: kNodeNsec3Only marks an NSEC3 owner with nothing else at or below it; such nodes are left
//    out of the node index, so a query for a hashed name is a name error (RFC 5155 §7.2.8).
// 9: kSectionNsec3Keys holds each NSEC3 chain entry's hash prefix, so the search for the record
//    covering a hash reads one dense array instead of a node block per step.
inline constexpr uint32_t kFormatVersion = 9;
inline constexpr uint32_t kByteOrderMark = 0x01020304;
inline constexpr uint32_t kAlignment = 64;
inline constexpr uint32_t kNone = 0xffffffffu; // "no such index" in every index field
inline constexpr uint32_t kChecksumSize = 32;  // SHA-256

enum SectionId : uint32_t {
    kSectionZones,       // Zone[zone_count]
    kSectionZoneIndex,   // IndexSlot[zone_index_slots]: origin name -> zone
    kSectionNodeOffsets, // uint32_t[node_count]: every node's offset, ascending (for the verifier)
    kSectionNodeIndex,   // NodeBucket[node_index_buckets]: (zone, owner name) -> node
    // One block per node, 4-byte aligned, zone after zone (see Node), referenced by offset.
    kSectionData,
    kSectionStrings, // NUL-terminated UTF-8 strings (source file paths), by offset
    // uint32_t[]: per zone, the nodes owning an NSEC RRset (occluded names excepted), or with
    // kZoneNsec3 those owning an NSEC3 of the NSEC3PARAM's chain, in canonical order (RFC 4034
    // §6.1; for NSEC3 owners that is hash order), Zone::first_nsec on: the record covering a
    // missing name (or hash) is its predecessor there (RFC 4035 §3.1.3.2, RFC 5155 §7.2).
    kSectionNsecChain,
    // uint64_t[], one per kSectionNsecChain entry: in an NSEC3 zone the first 64 bits of the
    // owner's hash (its label decoded from base32hex, big-endian), so ascending with the chain;
    // 0 in an NSEC zone. View::covering_nsec3 binary-searches these.
    kSectionNsec3Keys,
    kSectionCount
};

struct Section {
    uint64_t offset; // from the start of the file; a multiple of kAlignment
    uint64_t size;   // bytes
};

struct Header {
    char magic[8];
    uint32_t format_version;
    uint32_t byte_order;  // kByteOrderMark as written by the builder
    uint32_t header_size; // sizeof(Header) of the writer
    uint32_t reserved0;
    uint64_t file_size; // the whole file, header included
    // SHA-256 over bytes [header_size, file_size): a truncated or corrupted file is refused.
    uint8_t checksum[kChecksumSize];
    uint64_t generation;   // strictly increasing per build host: the snapshot's serial
    uint64_t created_unix; // seconds since the epoch, for "snapshot age"
    uint64_t hash_seed;    // seed of both name indexes (see name_hash())
    uint32_t zone_count;
    uint32_t node_count;
    uint32_t rrset_count;
    uint32_t zone_index_slots;   // power of two
    uint32_t node_index_buckets; // any count >= 1 (see node_bucket())
    uint32_t reserved1;
    Section sections[kSectionCount];
};
static_assert(sizeof(Header) == 240);

struct Zone {
    uint32_t origin_name;  // offset in kSectionData (the apex's name)
    uint8_t origin_len;    // wire length, root label included
    uint8_t origin_labels; // label count, root excluded ("example.net." has 2)
    uint16_t flags;        // ZoneFlags
    // The zone's node blocks fill [apex_node, nodes_end) of kSectionData, the apex first; their
    // offsets are entries [first_node, first_node + node_count) of kSectionNodeOffsets.
    uint32_t apex_node;
    uint32_t nodes_end;
    uint32_t first_node;
    uint32_t node_count;
    uint32_t soa_rrset; // offset in kSectionData of the apex's SOA Rrset
    uint32_t serial;
    // RFC 2308 §5: negative answers carry the SOA with TTL min(SOA TTL, SOA MINIMUM).
    uint32_t negative_ttl;
    uint32_t record_count; // resource records loaded from the zone file
    uint32_t source_file;  // offset in kSectionStrings
    // [first_nsec, first_nsec + nsec_count) of kSectionNsecChain; empty for a zone without NSEC.
    uint32_t first_nsec;
    uint32_t nsec_count;
};
static_assert(sizeof(Zone) == 52);

enum ZoneFlags : uint16_t {
    // The apex SOA has an RRSIG, the test Knot applies too: DO=1 answers from this zone carry
    // RRSIGs, and NSEC proofs when the zone has an NSEC chain (RFC 4035 §3.1).
    kZoneSigned = 1u << 0,
    // The apex NSEC3PARAM names a usable NSEC3 chain (RFC 5155 §4; dns/nsec3_hash.h): denial
    // proofs are NSEC3 (§7.2), and kSectionNsecChain lists that chain's owners.
    kZoneNsec3 = 1u << 1,
};

enum NodeFlags : uint8_t {
    kNodeApex = 1u << 0,
    kNodeDelegation = 1u << 1, // NS below the apex: a zone cut (RFC 1034 §4.2.1)
    kNodeBelowCut = 1u << 2, // at or under a cut's descendants: glue/occluded, never authoritative
    kNodeWildcardChild = 1u << 3,    // "*.<this node>" exists (RFC 4592 §2.2.1)
    kNodeEmptyNonTerminal = 1u << 4, // exists only because descendants do (RFC 4592 §2.2.2)
    kNodeCname = 1u << 5,
    kNodeDname = 1u << 6, // owns a DNAME: names below it are redirected (RFC 6672 §2.2)
    // Owns NSEC3 (and its RRSIGs) only and has no descendants: not a name of the zone (RFC 5155
    // §7.2.8, with erratum 4622), so it is not in the node index and lookups never find it; the
    // denial chain (kSectionNsecChain) still names its block.
    kNodeNsec3Only = 1u << 7,
};

// RRsets one owner name can hold (Node::rrset_count): far above the ~20 types a real name has
// even when signed; the zone checks refuse a name with more.
inline constexpr uint32_t kMaxNodeRrsets = 255;

// One owner name in one zone, including empty non-terminals; a node is named by the offset of
// its block in kSectionData, and its zone is the Zone whose block range holds it. The block:
//   Node
//   owner name, lowercase uncompressed wire form (name_len bytes), zero-padded to 4
//   Rrset[rrset_count], sorted by type
//   with kNodeWildcardChild: uint32_t, the node of "*.<this name>" (RFC 4592 §3.3.1 step 2
//     then costs no lookup)
//   per RRset: rr_count x (RDLENGTH in network order, RDATA), then its AdditionalList if any
// so the lookup's name compare, the RRset search and a short RRset's RDATA read the same one or
// two cache lines.
struct Node {
    uint8_t name_len;    // wire length, root label included
    uint8_t labels;      // label count, root excluded
    uint8_t flags;       // NodeFlags
    uint8_t rrset_count; // Rrsets after the name
    uint32_t parent;     // node of the name with one label fewer; kNone at the apex
};
static_assert(sizeof(Node) == 8);

struct Rrset {
    uint16_t type;
    uint16_t rr_count;
    uint32_t ttl;
    uint32_t rdata; // offset in kSectionData of rr_count x (RDLENGTH, RDATA)
    // Nodes whose A/AAAA belong in the additional section when this RRset is answered (in-zone
    // NS, MX, SRV and SVCB targets): offset in kSectionData of an AdditionalList, or kNone.
    uint32_t additional;
};
static_assert(sizeof(Rrset) == 16);

// Where a node's Rrsets start in its block: after the record and the padded name.
inline constexpr uint32_t node_rrsets_offset(uint32_t name_len) {
    return sizeof(Node) + (name_len + alignof(Rrset) - 1) / alignof(Rrset) * alignof(Rrset);
}
// Where a node's wildcard child is kept in its block (only with kNodeWildcardChild).
inline constexpr uint32_t node_wildcard_offset(const Node& node) {
    return node_rrsets_offset(node.name_len) + node.rrset_count * uint32_t{sizeof(Rrset)};
}
// The bytes of a node's block before its RDATA.
inline constexpr uint32_t node_header_size(const Node& node) {
    return node_wildcard_offset(node) + (node.flags & kNodeWildcardChild ? sizeof(uint32_t) : 0);
}

// 4-byte aligned in kSectionData: `count` nodes follow, in target order.
struct AdditionalList {
    uint32_t count; // >= 1
    // uint32_t nodes[count];
};

// Zone index slot: `tag` is the upper 32 bits of the 64-bit hash, `target` the zone (kNone marks
// an empty slot). Probing is linear from (hash & (slots - 1)).
struct IndexSlot {
    uint32_t tag;
    uint32_t target;
};
static_assert(sizeof(IndexSlot) == 8);

// Node index slot: `tag` as in IndexSlot, `node` the node (kNone marks an empty slot).
struct NodeSlot {
    uint32_t tag;
    uint32_t node;
};
static_assert(sizeof(NodeSlot) == 8);

// The node index is an array of buckets, each one cache line. A name's home bucket is
// node_bucket(hash, buckets); a full bucket overflows into the next (wrapping), and slots fill
// in order, so a lookup stops at the first bucket with an empty slot. The builder fills it to
// 5/8: nearly every name is then in its home bucket (one cache line per lookup), most missing
// names are proven missing there too, and the size needs no power-of-two rounding.
inline constexpr uint32_t kNodeBucketSlots = 8;
// One cache line: the section starts 64-byte aligned in the file and in the image (no alignas,
// which a snapshot in memory aligned to 8 bytes could not honour).
struct NodeBucket {
    NodeSlot slots[kNodeBucketSlots];
};
static_assert(sizeof(NodeBucket) == 64);

// Lemire's multiply-shift range reduction of the hash's low half: uniform over any bucket count.
inline constexpr uint32_t node_bucket(uint64_t hash, uint32_t buckets) {
    return static_cast<uint32_t>((uint64_t{static_cast<uint32_t>(hash)} * buckets) >> 32);
}

// Both indexes hash lowercase wire names with XXH3-64. The node index mixes the zone index into
// the seed so a name present in a parent and a child zone (the delegation and the child apex)
// has one entry per zone.
inline constexpr uint64_t zone_index_seed(uint64_t hash_seed) {
    return hash_seed;
}
inline constexpr uint64_t node_index_seed(uint64_t hash_seed, uint32_t zone) {
    return hash_seed ^ (0x9e3779b97f4a7c15ull * (uint64_t{zone} + 1));
}

} // namespace ringcast::snapshot
