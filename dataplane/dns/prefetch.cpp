#include "dataplane/dns/prefetch.h"

#include "dataplane/dns/answer.h"
#include "dataplane/dns/protocol.h"

namespace ringcast::dns {

using snapshot::kNone;

void start_lookup_prefetch(const snapshot::View& view, const uint8_t* msg, uint32_t len,
                           QueryLookahead& state) {
    state.msg = nullptr;
    state.bucket = nullptr;
    state.question.node = kNone; // what stages 2 to 4 look at first
    state.has_parent = false;
    state.has_target = false;
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
    if (state.zone == kNone) return;
    state.question =
        LookupHint{view.node_hash(state.zone, state.lower, state.name.length), kNone, false};
    state.bucket = view.home_bucket(state.question.hash);
    state.tag = snapshot::index_tag(state.question.hash);
    __builtin_prefetch(state.bucket);
}

namespace {

// Starts the lookup of `lower` (`len` bytes) in the lookahead's zone: fills `hint`'s hash and
// prefetches the bucket the next stage reads.
void start_lookup(const snapshot::View& view, QueryLookahead& state, const uint8_t* lower,
                  size_t len, LookupHint& hint) {
    hint = LookupHint{view.node_hash(state.zone, lower, len), kNone, false};
    state.bucket = view.home_bucket(hint.hash);
    state.tag = snapshot::index_tag(hint.hash);
    __builtin_prefetch(state.bucket);
}

// The first slot of `tag` in `bucket`, or nullptr; `absent` is set when the bucket proves the
// name is not in the index (a lookup stops at its first empty slot). Only the home bucket: a
// name that overflowed it is rare (format.h, NodeBucket) and not worth walking ahead of the
// real lookup.
const snapshot::NodeSlot* find_slot(const snapshot::NodeBucket& bucket, uint32_t tag,
                                    bool& absent) {
    for (const snapshot::NodeSlot& s : bucket.slots) {
        if (s.node == kNone) {
            absent = true;
            return nullptr;
        }
        if (s.tag == tag) return &s;
    }
    return nullptr;
}

// Finds the slot the stage before looked for and prefetches the start of the node's block:
// its record, owner name (`name_length` bytes) and first RRset, which may cross into the next
// cache line. Sets `hint.checked` when the bucket proves the name absent.
void follow_slot(const snapshot::View& view, QueryLookahead& state, size_t name_length,
                 LookupHint& hint) {
    bool absent = false;
    const snapshot::NodeSlot* slot = find_slot(*state.bucket, state.tag, absent);
    state.bucket = nullptr;
    if (slot == nullptr) {
        hint.checked = absent;
        return;
    }
    hint.node = slot->node;
    const uint8_t* block = view.data + slot->node;
    __builtin_prefetch(block);
    __builtin_prefetch(block + snapshot::node_rrsets_offset(static_cast<uint32_t>(name_length)) +
                       sizeof(snapshot::Rrset) - 1);
}

// The wire length of the question name without its first label.
size_t parent_length(const QueryLookahead& state) {
    return state.name.length - 1u - state.lower[0];
}

// Stage 3 for a question whose node answers with a CNAME: start the lookup of its target,
// when the answer will follow it (in-zone targets only, as AnswerBuilder::run).
void start_target_lookup(const snapshot::View& view, QueryLookahead& state,
                         const snapshot::Node& node) {
    if (!(node.flags & snapshot::kNodeCname) || state.qtype == kTypeAny ||
        state.qtype == kTypeRrsig || state.qtype == kTypeNsec)
        return;
    const snapshot::Rrset* cname = view.find_rrset(node, kTypeCname);
    if (cname == nullptr) return;
    uint8_t target[kMaxNameLength];
    const NameInfo info = copy_lowercase(view.data + cname->rdata + 2, target);
    const snapshot::Zone& zone = view.zones[state.zone];
    if (!is_subdomain(target, info, view.origin_of(zone), {zone.origin_len, zone.origin_labels}))
        return;
    start_lookup(view, state, target, info.length, state.target);
    state.target_rdata = cname->rdata;
    state.target_length = static_cast<uint8_t>(info.length);
    state.has_target = true;
}

} // namespace

void follow_index_slot(const snapshot::View& view, QueryLookahead& state) {
    if (state.bucket == nullptr) return;
    follow_slot(view, state, state.name.length, state.question);
    if (state.question.node != kNone) return;
    // Not in the index: the answer looks up the parent next, for the closest encloser of a
    // name error or the zone cut of a referral (RFC 1034 §4.3.2). Start that lookup too, unless
    // the parent is the apex, which the answer takes without a lookup (or the name is the
    // root, whose "parent" has length 0).
    const size_t parent = parent_length(state);
    if (parent <= view.zones[state.zone].origin_len) return;
    start_lookup(view, state, parent_name(state.lower), parent, state.parent);
    state.has_parent = true;
}

void follow_node(const snapshot::View& view, QueryLookahead& state) {
    if (state.has_parent) {
        if (state.bucket != nullptr) follow_slot(view, state, parent_length(state), state.parent);
        return;
    }
    if (state.question.node == kNone) return;
    // A tag matched: the node is the name's unless the tag collided (then the answer looks the
    // name up itself, past this slot).
    if (!view.is_node_of(state.zone, state.question.node, state.lower, state.name.length)) {
        state.question.node = kNone;
        return;
    }
    state.question.checked = true;
    const snapshot::Node& node = view.node(state.question.node);
    if (const snapshot::Rrset* rrset = view.find_rrset(node, state.qtype))
        __builtin_prefetch(view.data + rrset->rdata);
    else
        start_target_lookup(view, state, node);
}

void follow_target(const snapshot::View& view, QueryLookahead& state) {
    if (state.has_target && state.bucket != nullptr)
        follow_slot(view, state, state.target_length, state.target);
}

} // namespace ringcast::dns
