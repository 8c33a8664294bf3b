#include "dataplane/dns/prefetch.h"

#include "dataplane/dns/answer.h"

namespace ringcast::dns {
void start_lookup_prefetch(const snapshot::View& view, const uint8_t* msg, uint32_t len,
                           QueryLookahead& state) {
    state.msg = nullptr;
    state.bucket = nullptr;
    state.node = snapshot::kNone;
    if (len < kHeaderSize || load_be16(msg + kOffsetQdcount) == 0) return;
    WireReader reader(msg, len, kHeaderSize);
    if (read_question_name(reader, state.lower, state.name) != NameStatus::kOk) return;
    state.msg = msg;
    state.msg_len = len;
    state.name_end = static_cast<uint16_t>(reader.position());
    state.qtype = reader.u16();
    // The zone the answer will come from (the zone index is small and stays cached).
    state.zone = find_zone_for(view, state.lower, state.name, state.qtype);
    if (state.zone == snapshot::kNone) return;
    state.hash = view.node_hash(state.zone, state.lower, state.name.length);
    state.bucket = view.home_bucket(state.hash);
    state.tag = snapshot::index_tag(state.hash);
    __builtin_prefetch(state.bucket);
}

void follow_index_slot(const snapshot::View& view, QueryLookahead& state) {
    if (state.bucket == nullptr) return;
    // Only the home bucket: a name that overflowed it is rare (format.h, NodeBucket) and not
    // worth walking ahead of the real lookup.
    for (const snapshot::NodeSlot& s : state.bucket->slots) {
        if (s.node == snapshot::kNone) return; // not in the index: the lookup will walk up
        if (s.tag != state.tag) continue;
        __builtin_prefetch(view.nodes + s.node);
        // The owner name is the question's length: a third of short names cross a line.
        __builtin_prefetch(view.names + s.name);
        __builtin_prefetch(view.names + s.name + state.name.length - 1);
        __builtin_prefetch(view.rrsets + s.first_rrset);
        state.node = s.node;
        return;
    }
}

void follow_node(const snapshot::View& view, const QueryLookahead& state) {
    if (state.node == snapshot::kNone) return;
    const snapshot::Rrset* rrset = view.find_rrset(view.nodes[state.node], state.qtype);
    if (rrset != nullptr) __builtin_prefetch(view.rdata + rrset->rdata);
}

} // namespace ringcast::dns
