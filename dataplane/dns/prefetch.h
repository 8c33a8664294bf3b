// Prefetching a burst's lookups: the lookup of a large zone is a chain of dependent cache misses
// (node-index slot, then node, owner name and RRsets), each costing a memory round trip when
// the zone does not fit in cache, then the RDATA answered. Done for one query at a time they
// add up; started for every query of an RX burst before any is answered, they overlap. Three
// stages, each run over the whole burst before the next, so that the loads each stage depends
// on have had a burst's worth of work to arrive:
//
//   1. start_lookup_prefetch: find the question name, hash it for the zone it will be answered
//      from, prefetch its node-index bucket;
//   2. follow_index_slot: find the name's slot in that bucket, prefetch the node, name and
//      RRsets it names;
//   3. follow_node: find the RRset of the question's type, prefetch its RDATA.
//
// Only a hint: the answer is computed afterwards as if nothing had been prefetched, so a guess
// that turns out wrong (another zone, a DS query, a name that does not exist) costs only a
// wasted load. Reading the query is bounds-checked like the real parse; snapshot data is
// verified, so following its indexes needs no checks.
#pragma once

#include "dataplane/snapshot/reader.h"

#include <cstdint>

namespace ringcast::dns {

struct LookupPrefetch {
    const snapshot::NodeBucket* bucket = nullptr; // stage 1's; nullptr: nothing to follow
    uint32_t tag = 0;
    uint32_t node = snapshot::kNone; // stage 2's; kNone: nothing to follow
    uint16_t qtype = 0;
    uint8_t name_length = 0; // of the question name, wire form
};

// `msg` holds `len` bytes of a UDP payload to port 53 (anything, not necessarily a query).
void start_lookup_prefetch(const snapshot::View& view, const uint8_t* msg, uint32_t len,
                           LookupPrefetch& state);
void follow_index_slot(const snapshot::View& view, LookupPrefetch& state);
void follow_node(const snapshot::View& view, const LookupPrefetch& state);

} // namespace ringcast::dns
