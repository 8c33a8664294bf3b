#include "dataplane/dns/prefetch.h"

#include "dataplane/dns/answer.h"
#include "dataplane/dns/name.h"
#include "dataplane/snapshot/index_hash.h"

namespace ringcast::dns {
void start_lookup_prefetch(const snapshot::View& view, const uint8_t* msg, uint32_t len,
                           LookupPrefetch& state) {
    state.bucket = nullptr;
    state.node = snapshot::kNone;
    if (len < kHeaderSize || load_be16(msg + kOffsetQdcount) == 0) return;
    WireReader reader(msg, len, kHeaderSize);
    uint8_t lower[kMaxNameLength];
    NameInfo info;
    if (read_question_name(reader, lower, info) != NameStatus::kOk) return;
    state.qtype = reader.u16(); // 0 when truncated: then nothing is answered from RDATA
    // The zone the answer will come from (the zone index is small and stays cached).
    const uint32_t zone = find_zone_for(view, lower, info, state.qtype);
    if (zone == snapshot::kNone) return;
    const uint64_t hash = snapshot::index_hash(
        lower, info.length, snapshot::node_index_seed(view.header->hash_seed, zone));
    state.bucket = view.home_bucket(hash);
    state.tag = snapshot::index_tag(hash);
    state.name_length = info.length;
    __builtin_prefetch(state.bucket);
}

void follow_index_slot(const snapshot::View& view, LookupPrefetch& state) {
    if (state.bucket == nullptr) return;
    // Only the home bucket: a name that overflowed it is rare (format.h, NodeBucket) and not
    // worth walking ahead of the real lookup.
    for (const snapshot::NodeSlot& s : state.bucket->slots) {
        if (s.node == snapshot::kNone) return; // not in the index: the lookup will walk up
        if (s.tag != state.tag) continue;
        __builtin_prefetch(view.nodes + s.node);
        // The owner name is the question's length: a third of short names cross a line.
        __builtin_prefetch(view.names + s.name);
        __builtin_prefetch(view.names + s.name + state.name_length - 1);
        __builtin_prefetch(view.rrsets + s.first_rrset);
        state.node = s.node;
        return;
    }
}

void follow_node(const snapshot::View& view, const LookupPrefetch& state) {
    if (state.node == snapshot::kNone) return;
    const snapshot::Rrset* rrset = view.find_rrset(view.nodes[state.node], state.qtype);
    if (rrset != nullptr) __builtin_prefetch(view.rdata + rrset->rdata);
}

} // namespace ringcast::dns
