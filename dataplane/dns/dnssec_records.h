// What a DO=1 answer from a signed zone carries beyond its data (RFC 4035 §3.1): the RRSIGs of
// each RRset, and in the authority section the NSEC records, signed, that prove a name, a type
// or a closer match absent. The zone is presigned: signatures and the NSEC chain come from the
// zone file (snapshot format.h, kZoneSigned and kSectionNsecChain); nothing is signed here.
#pragma once

#include "dataplane/dns/writer.h"
#include "dataplane/snapshot/reader.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

// NSEC records one response proves with: one per wildcard the answer came through (up to the
// CNAME chain's hop cap, answer.h) and two for a name error.
inline constexpr unsigned kMaxDenialProofs = 18;

class DnssecRecords {
  public:
    DnssecRecords(const snapshot::View& view, ResponseWriter& writer)
        : view_(view), writer_(writer) {}

    // Turns the additions on for answers from `zone` when the query set DO (RFC 3225 §3) and
    // the zone is signed; every call below does nothing while off.
    void enable_for(uint32_t zone, bool dnssec_ok) {
        zone_ =
            dnssec_ok && (view_.zones[zone].flags & snapshot::kZoneSigned) ? zone : snapshot::kNone;
    }
    bool enabled() const { return zone_ != snapshot::kNone; }

    // Writes `rrset` of `node` with owner `owner` and TTL `ttl`, then its RRSIGs (the node's
    // signatures over its type, with the same owner: a wildcard's keep their label count,
    // RFC 4035 §3.1.3.3). False when either did not fit; the RRset may then be in.
    // (Inline, like the guards below: every answer passes here, few are signed.)
    bool put_signed(Section section, const uint8_t* owner, const snapshot::Node& node,
                    const snapshot::Rrset& rrset, uint32_t ttl) {
        if (!writer_.put_rrset(section, owner, rrset, view_.data, ttl)) return false;
        return !enabled() || put_signatures(section, owner, node, rrset.type, ttl);
    }

    // Denial proofs, written by write_proofs() each once, in the order asked:
    // the NSEC `node` owns (RFC 4035 §3.1.3.1: the types at an existing name);
    void prove_types_at(uint32_t node) {
        if (enabled()) add_own_nsec(node);
    }
    // the NSEC covering the missing name `lower` (`len` bytes) (§3.1.3.2);
    void prove_missing(const uint8_t* lower, size_t len) {
        if (enabled()) add_proof(view_.covering_nsec(zone_, lower, len));
    }
    // the NSEC covering "*.<encloser>": no wildcard could have answered (§3.1.3.2).
    void prove_no_wildcard(const snapshot::Node& encloser) {
        if (enabled()) add_wildcard_proof(encloser);
    }

    // The proofs and their RRSIGs, in the authority section. False when one did not fit.
    bool write_proofs() { return proof_count_ == 0 || write_proof_records(); }

  private:
    // The node's RRSIGs over `type` (RFC 4035 §3.1.1); true when none.
    bool put_signatures(Section section, const uint8_t* owner, const snapshot::Node& node,
                        uint16_t type, uint32_t ttl);
    void add_own_nsec(uint32_t node);
    void add_wildcard_proof(const snapshot::Node& encloser);
    void add_proof(uint32_t nsec_owner);
    bool write_proof_records();

    const snapshot::View& view_;
    ResponseWriter& writer_;
    uint32_t zone_ = snapshot::kNone;
    uint32_t proofs_[kMaxDenialProofs];
    unsigned proof_count_ = 0;
};

} // namespace ringcast::dns
