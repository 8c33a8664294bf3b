#include "dataplane/dns/dnssec_records.h"

#include "dataplane/dns/protocol.h"

#include <cstring>

namespace ringcast::dns {

using snapshot::kNone;

bool DnssecRecords::put_signatures(Section section, const uint8_t* owner,
                                   const snapshot::Node& node, uint16_t type, uint32_t ttl) {
    // RRSIGs asked for are the data itself; they are not signed.
    if (type == kTypeRrsig) return true;
    const snapshot::Rrset* rrsigs = snapshot::View::find_rrset(node, kTypeRrsig);
    return rrsigs == nullptr ||
           writer_.put_signatures(section, owner, *rrsigs, view_.data, type, ttl);
}

void DnssecRecords::add_proof(uint32_t nsec_owner) {
    if (nsec_owner == kNone) return;
    for (unsigned i = 0; i < proof_count_; ++i)
        if (proofs_[i] == nsec_owner) return;
    if (proof_count_ < kMaxDenialProofs) proofs_[proof_count_++] = nsec_owner;
}

void DnssecRecords::add_own_nsec(uint32_t node) {
    if (snapshot::View::find_rrset(view_.node(node), kTypeNsec) != nullptr) add_proof(node);
}

void DnssecRecords::add_wildcard_proof(const snapshot::Node& encloser) {
    if (encloser.name_len + 2u > kMaxNameLength) return; // "*.<encloser>" cannot exist
    uint8_t wildcard[kMaxNameLength];
    wildcard[0] = 1;
    wildcard[1] = '*';
    std::memcpy(wildcard + 2, snapshot::View::name_of(encloser), encloser.name_len);
    add_proof(view_.covering_nsec(zone_, wildcard, encloser.name_len + 2u));
}

bool DnssecRecords::write_proof_records() {
    for (unsigned i = 0; i < proof_count_; ++i) {
        const snapshot::Node& node = view_.node(proofs_[i]);
        const snapshot::Rrset* nsec = snapshot::View::find_rrset(node, kTypeNsec);
        if (!put_signed(Section::kAuthority, snapshot::View::name_of(node), node, *nsec, nsec->ttl))
            return false;
    }
    return true;
}

} // namespace ringcast::dns
