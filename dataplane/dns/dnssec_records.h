// What a DO=1 answer from a signed zone carries beyond its data (RFC 4035 §3.1): the RRSIGs of
// each RRset, and in the authority section the NSEC or NSEC3 records, signed, that prove a
// name, a type or a closer match absent (RFC 4035 §3.1.3, RFC 5155 §7.2). The zone is
// presigned: signatures and the denial chain come from the zone file (snapshot format.h,
// kZoneSigned, kZoneNsec3 and kSectionNsecChain); nothing is signed here.
#pragma once

#include "dataplane/dns/name.h"
#include "dataplane/dns/nsec3_hash.h"
#include "dataplane/dns/writer.h"
#include "dataplane/snapshot/reader.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

// Denial records one response proves with: one per wildcard the answer came through (up to the
// CNAME chain's hop cap, answer.h) and the three of an NSEC3 name error.
inline constexpr unsigned kMaxDenialProofs = 20;

class DnssecRecords {
  public:
    DnssecRecords(const snapshot::View& view, ResponseWriter& writer)
        : view_(view), writer_(writer) {}

    // Turns the additions on for answers from `zone` when the query set DO (RFC 3225 §3) and
    // the zone is signed; every call below does nothing while off.
    void enable_for(uint32_t zone, bool dnssec_ok) {
        if (dnssec_ok && (view_.zones[zone].flags & snapshot::kZoneSigned)) enable(zone);
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

    // Denial proofs, each record written once by write_proofs(). `lower` is the name being
    // answered (lowercase, `info`), the question or a CNAME target.
    // No such name; `encloser` is its closest encloser (RFC 4035 §3.1.3.2, RFC 5155 §7.2.2).
    void prove_name_error(const uint8_t* lower, NameInfo info, uint32_t encloser) {
        if (enabled()) add_name_error(lower, info, encloser);
    }
    // The name (`node`, maybe an empty non-terminal) has no RRset of the type asked for
    // (RFC 4035 §3.1.3.1, RFC 5155 §7.2.3).
    void prove_no_data(const uint8_t* lower, NameInfo info, uint32_t node) {
        if (enabled()) add_no_data(lower, info, node);
    }
    // The wildcard `wildcard` answered: no closer name exists (RFC 4035 §3.1.3.3, RFC 5155
    // §7.2.6).
    void prove_wildcard_answer(const uint8_t* lower, NameInfo info, uint32_t wildcard) {
        if (enabled()) add_wildcard_answer(lower, info, wildcard);
    }
    // ... and it has no RRset of the type (RFC 4035 §3.1.3.4, RFC 5155 §7.2.5).
    void prove_wildcard_no_data(uint32_t wildcard) {
        if (enabled()) add_wildcard_no_data(wildcard);
    }
    // The delegation `cut` has no DS: its child is unsigned (RFC 4035 §3.1.4, RFC 5155 §7.2.7).
    void prove_no_ds(uint32_t cut) {
        if (enabled()) add_no_ds(cut);
    }

    // The proofs and their RRSIGs, in the authority section. False when one did not fit.
    bool write_proofs() { return proof_count_ == 0 || write_proof_records(); }

  private:
    void enable(uint32_t zone);
    // The node's RRSIGs over `type` (RFC 4035 §3.1.1); true when none.
    bool put_signatures(Section section, const uint8_t* owner, const snapshot::Node& node,
                        uint16_t type, uint32_t ttl);
    void add_name_error(const uint8_t* lower, NameInfo info, uint32_t encloser);
    void add_no_data(const uint8_t* lower, NameInfo info, uint32_t node);
    void add_wildcard_answer(const uint8_t* lower, NameInfo info, uint32_t wildcard);
    void add_wildcard_no_data(uint32_t wildcard);
    void add_no_ds(uint32_t cut);

    // NSEC: the record covering (or owned by) `lower`; the one `node` owns (false: none).
    void add_covering(const uint8_t* lower, size_t len);
    bool add_own_nsec(uint32_t node);
    // NSEC3: the record matching `lower`'s hash (false when there is none), or covering it.
    bool add_nsec3_matching(const uint8_t* lower, size_t len);
    void add_nsec3_covering(const uint8_t* lower, size_t len);
    // NSEC3: the record covering the next closer name of `lower` below an encloser of
    // `encloser_labels` labels (RFC 5155 §1.3), unless `lower` is that encloser.
    void add_next_closer_cover(const uint8_t* lower, NameInfo info, unsigned encloser_labels);
    // NSEC3 closest encloser proof (RFC 5155 §7.2.1): `encloser` matches, the next closer name
    // of `lower` is covered.
    void add_closest_encloser_proof(const uint8_t* lower, NameInfo info,
                                    const snapshot::Node& encloser);
    // NSEC3 proof for the delegation `cut` the chain opted out of (RFC 5155 §7.2.7).
    void add_closest_provable_encloser(const snapshot::Node& cut);
    // The chain entry owning or covering `lower`'s hash (kNone when the hashed name would be
    // too long), and whether it owns it.
    struct Nsec3Search {
        uint32_t entry;
        bool matches;
    };
    Nsec3Search search_nsec3(const uint8_t* lower, size_t len) const;
    void add_proof(uint32_t owner);
    bool write_proof_records();

    const snapshot::View& view_;
    ResponseWriter& writer_;
    uint32_t zone_ = snapshot::kNone;
    uint16_t denial_type_ = 0; // NSEC or NSEC3 (0: the zone has no chain)
    Nsec3Params nsec3_;        // with NSEC3
    uint32_t proofs_[kMaxDenialProofs];
    unsigned proof_count_ = 0;
};

} // namespace ringcast::dns
