#include "dataplane/dns/dnssec_records.h"

#include "dataplane/dns/protocol.h"
#include "dataplane/dns/wire.h"

#include <cstring>

namespace ringcast::dns {

using snapshot::kNone;
using snapshot::Node;
using snapshot::View;

namespace {

// The suffix of `lower` with `labels` labels (fewer than its own).
const uint8_t* suffix_with_labels(const uint8_t* lower, NameInfo info, unsigned labels) {
    for (unsigned skip = info.labels - labels; skip > 0; --skip)
        lower = parent_name(lower);
    return lower;
}

} // namespace

void DnssecRecords::enable(uint32_t zone) {
    zone_ = zone;
    const snapshot::Zone& z = view_.zones[zone];
    if (z.nsec_count == 0) return; // signatures only
    if (!(z.flags & snapshot::kZoneNsec3)) {
        denial_type_ = kTypeNsec;
        return;
    }
    // The verifier read this NSEC3PARAM before publishing the snapshot.
    const snapshot::Rrset* param = View::find_rrset(view_.node(z.apex_node), kTypeNsec3param);
    if (param != nullptr && read_nsec3_params(view_.data + param->rdata + 2,
                                              load_be16(view_.data + param->rdata), nsec3_))
        denial_type_ = kTypeNsec3;
}

bool DnssecRecords::put_signatures(Section section, const uint8_t* owner, const Node& node,
                                   uint16_t type, uint32_t ttl) {
    // RRSIGs asked for are the data itself; they are not signed.
    if (type == kTypeRrsig) return true;
    const snapshot::Rrset* rrsigs = View::find_rrset(node, kTypeRrsig);
    return rrsigs == nullptr ||
           writer_.put_signatures(section, owner, *rrsigs, view_.data, type, ttl);
}

void DnssecRecords::add_proof(uint32_t owner) {
    if (owner == kNone) return;
    for (unsigned i = 0; i < proof_count_; ++i)
        if (proofs_[i] == owner) return;
    if (proof_count_ < kMaxDenialProofs) proofs_[proof_count_++] = owner;
}

void DnssecRecords::add_covering(const uint8_t* lower, size_t len) {
    add_proof(view_.covering_nsec(zone_, lower, len));
}

bool DnssecRecords::add_own_nsec(uint32_t node) {
    if (View::find_rrset(view_.node(node), kTypeNsec) == nullptr) return false;
    add_proof(node);
    return true;
}

DnssecRecords::Nsec3Search DnssecRecords::search_nsec3(const uint8_t* lower, size_t len) const {
    uint8_t digest[kNsec3DigestSize];
    nsec3_digest(lower, len, nsec3_, digest);
    const snapshot::Zone& zone = view_.zones[zone_];
    uint8_t owner[kMaxNameLength];
    const size_t owner_len =
        nsec3_owner_name(digest, view_.origin_of(zone), zone.origin_len, owner);
    if (owner_len == 0) return {kNone, false};
    const uint32_t entry = view_.covering_nsec3(zone_, nsec3_key(digest), owner + 1);
    return {entry, entry != kNone && view_.is_node_of(zone_, entry, owner, owner_len)};
}

bool DnssecRecords::add_nsec3_matching(const uint8_t* lower, size_t len) {
    const Nsec3Search found = search_nsec3(lower, len);
    if (found.matches) add_proof(found.entry);
    return found.matches;
}

void DnssecRecords::add_nsec3_covering(const uint8_t* lower, size_t len) {
    add_proof(search_nsec3(lower, len).entry);
}

void DnssecRecords::add_next_closer_cover(const uint8_t* lower, NameInfo info,
                                          unsigned encloser_labels) {
    if (info.labels <= encloser_labels) return; // the name is the encloser: nothing is closer
    const uint8_t* next_closer = suffix_with_labels(lower, info, encloser_labels + 1u);
    add_nsec3_covering(next_closer, info.length - static_cast<size_t>(next_closer - lower));
}

void DnssecRecords::add_closest_encloser_proof(const uint8_t* lower, NameInfo info,
                                               const Node& encloser) {
    add_nsec3_matching(View::name_of(encloser), encloser.name_len);
    add_next_closer_cover(lower, info, encloser.labels);
}

void DnssecRecords::add_name_error(const uint8_t* lower, NameInfo info, uint32_t encloser) {
    const Node& ce = view_.node(encloser);
    // The source of synthesis "*.<closest encloser>" does not exist either.
    uint8_t wildcard[kMaxNameLength];
    const bool wildcard_fits = ce.name_len + 2u <= kMaxNameLength;
    if (wildcard_fits) {
        wildcard[0] = 1;
        wildcard[1] = '*';
        std::memcpy(wildcard + 2, View::name_of(ce), ce.name_len);
    }
    if (denial_type_ == kTypeNsec) {
        add_covering(lower, info.length);
        if (wildcard_fits) add_covering(wildcard, ce.name_len + 2u);
    } else if (denial_type_ == kTypeNsec3) {
        add_closest_encloser_proof(lower, info, ce);
        if (wildcard_fits) add_nsec3_covering(wildcard, ce.name_len + 2u);
    }
}

void DnssecRecords::add_no_data(const uint8_t* lower, NameInfo info, uint32_t node) {
    if (denial_type_ == kTypeNsec) {
        // An empty non-terminal owns no NSEC: the one covering its name shows it has no types.
        if (!add_own_nsec(node)) add_covering(lower, info.length);
    } else if (denial_type_ == kTypeNsec3) {
        // Empty non-terminals have NSEC3 records of their own (RFC 5155 §7.1). A DS query at
        // a delegation the chain opted out of has none (§7.2.4).
        const Node& n = view_.node(node);
        if (!add_nsec3_matching(lower, info.length) && (n.flags & snapshot::kNodeDelegation))
            add_closest_provable_encloser(n);
    }
}

void DnssecRecords::add_wildcard_answer(const uint8_t* lower, NameInfo info, uint32_t wildcard) {
    if (denial_type_ == kTypeNsec) {
        add_covering(lower, info.length);
    } else if (denial_type_ == kTypeNsec3) {
        // The closest encloser is the wildcard's parent; its next closer name is covered.
        add_next_closer_cover(lower, info, view_.node(view_.node(wildcard).parent).labels);
    }
}

void DnssecRecords::add_wildcard_no_data(uint32_t wildcard) {
    const Node& node = view_.node(wildcard);
    if (denial_type_ == kTypeNsec) {
        add_own_nsec(wildcard);
    } else if (denial_type_ == kTypeNsec3) {
        // The closest encloser matches (the next closer is covered by add_wildcard_answer),
        // and the wildcard's own NSEC3 lacks the type.
        const Node& encloser = view_.node(node.parent);
        add_nsec3_matching(View::name_of(encloser), encloser.name_len);
        add_nsec3_matching(View::name_of(node), node.name_len);
    }
}

void DnssecRecords::add_no_ds(uint32_t cut) {
    const Node& node = view_.node(cut);
    if (denial_type_ == kTypeNsec) {
        add_own_nsec(cut);
        return;
    }
    if (denial_type_ == kTypeNsec3 && !add_nsec3_matching(View::name_of(node), node.name_len))
        add_closest_provable_encloser(node);
}

void DnssecRecords::add_closest_provable_encloser(const Node& cut) {
    // Opt-out (RFC 5155 §6, §7.2.7): the cut has no NSEC3; the nearest ancestor that has one
    // matches, and the next closer name towards the cut is covered by an opt-out record.
    for (uint32_t up = cut.parent; up != kNone; up = view_.node(up).parent) {
        const Node& ancestor = view_.node(up);
        if (add_nsec3_matching(View::name_of(ancestor), ancestor.name_len)) {
            add_next_closer_cover(View::name_of(cut), NameInfo{cut.name_len, cut.labels},
                                  ancestor.labels);
            return;
        }
    }
}

bool DnssecRecords::write_proof_records() {
    for (unsigned i = 0; i < proof_count_; ++i) {
        const Node& node = view_.node(proofs_[i]);
        const snapshot::Rrset* denial = View::find_rrset(node, denial_type_);
        if (denial != nullptr &&
            !put_signed(Section::kAuthority, View::name_of(node), node, *denial, denial->ttl))
            return false;
    }
    return true;
}

} // namespace ringcast::dns
