#include "dataplane/dns/prefetch.h"

#include "dataplane/dns/answer.h"

namespace ringcast::dns {
void start_lookup_prefetch(const snapshot::View& view, const uint8_t* msg, uint32_t len,
                           QueryLookahead& state) {
    state.msg = nullptr;
    state.bucket = nullptr;
    state.parent_bucket = nullptr;
    state.node = snapshot::kNone;
    state.resolved = false;
    state.parent = snapshot::kNone;
    if (len < kHeaderSize || load_be16(msg + kOffsetQdcount) == 0) return;
    WireReader reader(msg, len, kHeaderSize);
    if (read_question_name(reader, state.lower, state.name) != NameStatus::kOk) return;
    state.msg = msg;
    state.msg_len = len;
    state.view = &view;
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

namespace {

// The first slot of `tag` in `bucket`, or nullptr; `absent` is set when the bucket proves the
// name is not in the index (a lookup stops at its first empty slot). Only the home bucket: a
// name that overflowed it is rare (format.h, NodeBucket) and not worth walking ahead of the
// real lookup.
const snapshot::NodeSlot* find_slot(const snapshot::NodeBucket& bucket, uint32_t tag,
                                    bool& absent) {
    for (const snapshot::NodeSlot& s : bucket.slots) {
        if (s.node == snapshot::kNone) {
            absent = true;
            return nullptr;
        }
        if (s.tag == tag) return &s;
    }
    return nullptr;
}

// The start of the node's block: its record, owner name (`name_length` bytes) and first
// RRset, which may cross into the next cache line.
void prefetch_node(const snapshot::View& view, const snapshot::NodeSlot& slot, size_t name_length) {
    const uint8_t* block = view.data + slot.node;
    __builtin_prefetch(block);
    __builtin_prefetch(block + snapshot::node_rrsets_offset(static_cast<uint32_t>(name_length)) +
                       sizeof(snapshot::Rrset) - 1);
}

// The wire length of the question name without its first label.
size_t parent_length(const QueryLookahead& state) {
    return state.name.length - 1u - state.lower[0];
}

} // namespace

void follow_index_slot(const snapshot::View& view, QueryLookahead& state) {
    if (state.bucket == nullptr) return;
    bool absent = false;
    if (const snapshot::NodeSlot* slot = find_slot(*state.bucket, state.tag, absent)) {
        prefetch_node(view, *slot, state.name.length);
        state.node = slot->node;
        return;
    }
    state.resolved = absent;
    // Not in the index: the answer looks up the parent next, for the closest encloser of a
    // name error or the zone cut of a referral (RFC 1034 §4.3.2). Start that lookup too, unless
    // the parent is the apex, which every negative answer reads and so stays cached (or the
    // name is the root, whose "parent" has length 0).
    state.bucket = nullptr;
    const size_t parent = parent_length(state);
    if (parent <= view.zones[state.zone].origin_len) return;
    const uint64_t hash = view.node_hash(state.zone, parent_name(state.lower), parent);
    state.parent_bucket = view.home_bucket(hash);
    state.parent_hash = hash;
    state.tag = snapshot::index_tag(hash);
    __builtin_prefetch(state.parent_bucket);
}

void follow_node(const snapshot::View& view, QueryLookahead& state) {
    if (state.parent_bucket != nullptr) {
        bool absent = false;
        if (const snapshot::NodeSlot* slot = find_slot(*state.parent_bucket, state.tag, absent)) {
            prefetch_node(view, *slot, parent_length(state));
            state.parent = slot->node;
        }
        return;
    }
    if (state.node == snapshot::kNone) return;
    // A tag matched: the node is the name's unless the tag collided (then the answer looks the
    // name up itself, past this slot).
    if (!view.is_node_of(state.zone, state.node, state.lower, state.name.length)) {
        state.node = snapshot::kNone;
        return;
    }
    state.resolved = true;
    const snapshot::Rrset* rrset = view.find_rrset(view.node(state.node), state.qtype);
    if (rrset != nullptr) __builtin_prefetch(view.data + rrset->rdata);
}

} // namespace ringcast::dns
