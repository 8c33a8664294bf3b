// Prefetching a burst's lookups: the lookup of a large zone is a chain of dependent cache misses
// (node-index bucket, then the node's block), each costing a memory round trip when the zone
// does not fit in cache, then the RDATA answered. Done for one query at a time they add up;
// started for every query of an RX burst before any is answered, they overlap. Four stages,
// each run over the whole burst before the next, so that the loads each stage depends on have
// had a burst's worth of work to arrive:
//
//   1. start_lookup_prefetch: read the question name, find the zone it will be answered from,
//      hash it there, prefetch its node-index bucket;
//   2. follow_index_slot: find the name's slot in that bucket, prefetch the node's block; for
//      a name not in the index (a name error, a name below a zone cut), hash its parent and
//      prefetch the parent's bucket instead, as the answer looks it up next;
//   3. follow_node: check that the node is the name's, find the RRset of the question's type
//      and prefetch its RDATA, or, when the node answers with a CNAME (RFC 1034 §4.3.2 step
//      3a), hash the in-zone target and prefetch its bucket; or find the parent's slot and
//      prefetch its block;
//   4. follow_target: find the CNAME target's slot, prefetch its block.
//
// What the stages find is kept and handed to the answer (QueryLookahead), which then neither
// reads the question name again nor finds its zone nor hashes a name the stages hashed, nor
// looks up a name whose node they found (it only checks the node's name): the same code on
// the same bytes, so the same result, and the burst does that work once per query instead of
// twice. A guess that turns out wrong (a DS query, a name that does not exist) costs only a
// wasted load. Reading the query is bounds-checked like the real parse; snapshot data is
// verified, so following its indexes needs no checks.
#pragma once

#include "dataplane/dns/name.h"
#include "dataplane/snapshot/reader.h"

#include <cstdint>

namespace ringcast::dns {

// What the stages learnt of one name's lookup in the lookahead's zone.
struct LookupHint {
    uint64_t hash; // View::node_hash() of the name
    uint32_t node; // the node its slot names, kNone when none was found
    // Set when `node` is exactly what View::find_node() returns (kNone: the name is not in the
    // index); otherwise `node` is a candidate whose name the answer checks.
    bool checked;
};

// Filled by start_lookup_prefetch; no member has a default, so that a burst's worth of them
// costs nothing until used. Fields after `msg` mean something only when it is set.
struct QueryLookahead {
    // The DNS message read and its length; nullptr when it had no question name that reads
    // (the answer then reads the whole message itself and reports what is wrong).
    const uint8_t* msg;
    uint32_t msg_len;
    const snapshot::View* view; // the snapshot `zone` and the hints refer to
    uint16_t name_end;          // offset just past the question name
    uint16_t qtype;             // 0 when the message ends before it
    NameInfo name;              // (its members have defaults: two bytes)
    uint32_t zone;              // find_zone_for(): kNone when it is none of ours
    LookupHint question;        // with `zone` set
    LookupHint parent;          // with has_parent: the question name's parent
    LookupHint target;          // with has_target: the question node's CNAME target
    uint32_t target_rdata;      // with has_target: Rrset::rdata of that CNAME
    uint8_t target_length;      // with has_target: the target's wire length
    bool has_parent;
    bool has_target;
    // The bucket the next stage reads and the tag it looks for there; nullptr: nothing to do.
    const snapshot::NodeBucket* bucket;
    uint32_t tag;
    uint8_t lower[kMaxNameLength]; // the question name in lowercase, name.length bytes

    // Whether this was read from `len` bytes at `message` for `snapshot`: the only case in
    // which it may be used.
    bool describes(const snapshot::View& snapshot, const uint8_t* message, uint32_t len) const {
        return msg == message && msg_len == len && view == &snapshot;
    }
};

// `msg` holds `len` bytes of a UDP payload to port 53 (anything, not necessarily a query), or
// is nullptr with `len` 0 (no DNS message: `state` then says so).
void start_lookup_prefetch(const snapshot::View& view, const uint8_t* msg, uint32_t len,
                           QueryLookahead& state);
void follow_index_slot(const snapshot::View& view, QueryLookahead& state);
void follow_node(const snapshot::View& view, QueryLookahead& state);
void follow_target(const snapshot::View& view, QueryLookahead& state);

} // namespace ringcast::dns
