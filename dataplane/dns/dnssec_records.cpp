#include "dataplane/dns/dnssec_records.h"

#include "dataplane/dns/protocol.h"

#include <cstring>

namespace ringcast::dns {

using snapshot::kNone;

void DnssecRecords::enable_for(uint32_t zone, bool dnssec_ok) {
    zone_ = dnssec_ok && (view_.zones[zone].flags & snapshot::kZoneSigned) ? zone : kNone;
}

bool DnssecRecords::put_signed(Section section, const uint8_t* owner, const snapshot::Node& node,
                               const snapshot::Rrset& rrset, uint32_t ttl) {
    if (!writer_.put_rrset(section, owner, rrset, view_.data, ttl)) return false;
    // RRSIGs asked for are the data itself; they are not signed.
    if (!enabled() || rrset.type == kTypeRrsig) return true;
    const snapshot::Rrset* rrsigs = snapshot::View::find_rrset(node, kTypeRrsig);
    return rrsigs == nullptr ||
           writer_.put_signatures(section, owner, *rrsigs, view_.data, rrset.type, ttl);
}

void DnssecRecords::add_proof(uint32_t nsec_owner) {
    if (nsec_owner == kNone) return;
    for (unsigned i = 0; i < proof_count_; ++i)
        if (proofs_[i] == nsec_owner) return;
    if (proof_count_ < kMaxDenialProofs) proofs_[proof_count_++] = nsec_owner;
}

void DnssecRecords::prove_types_at(uint32_t node) {
    if (enabled() && snapshot::View::find_rrset(view_.node(node), kTypeNsec) != nullptr)
        add_proof(node);
}

void DnssecRecords::prove_missing(const uint8_t* lower, size_t len) {
    if (enabled()) add_proof(view_.covering_nsec(zone_, lower, len));
}

void DnssecRecords::prove_no_wildcard(const snapshot::Node& encloser) {
    if (!enabled() || encloser.name_len + 2u > kMaxNameLength) return;
    uint8_t wildcard[kMaxNameLength];
    wildcard[0] = 1;
    wildcard[1] = '*';
    std::memcpy(wildcard + 2, snapshot::View::name_of(encloser), encloser.name_len);
    add_proof(view_.covering_nsec(zone_, wildcard, encloser.name_len + 2u));
}

bool DnssecRecords::write_proofs() {
    for (unsigned i = 0; i < proof_count_; ++i) {
        const snapshot::Node& node = view_.node(proofs_[i]);
        const snapshot::Rrset* nsec = snapshot::View::find_rrset(node, kTypeNsec);
        if (!put_signed(Section::kAuthority, snapshot::View::name_of(node), node, *nsec, nsec->ttl))
            return false;
    }
    return true;
}

} // namespace ringcast::dns
