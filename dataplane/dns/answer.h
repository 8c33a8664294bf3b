// The authoritative answer for class IN (and ANY) from a snapshot: zone selection, CNAME
// chains, DNAME redirection, wildcards, referrals, negative answers, and the additional section.
#pragma once

#include "dataplane/dns/query.h"
#include "dataplane/dns/writer.h"
#include "dataplane/snapshot/reader.h"

#include <cstdint>

namespace ringcast::dns {

// RFC 1034 §4.3.2 leaves the chain length to the server; a loop ends where it closes (see
// answer.cpp), and any chain at this many CNAMEs, DNAME-synthesised ones included (the
// resolver follows what is left). Knot stops at 5; 16 answers longer in-zone chains in one
// round trip.
inline constexpr unsigned kMaxCnameChain = 16;
// RRsets whose additional-section names (NS/MX/SRV targets, glue) one response gathers.
inline constexpr unsigned kMaxAdditionalSources = 8;
// Distinct nodes whose A/AAAA one response adds to the additional section.
inline constexpr unsigned kMaxAdditionalNodes = 32;

struct AnswerResult {
    uint8_t rcode = 0;
    bool authoritative = false; // AA
};

// The zone answering `lower` (a lowercase question name): the served origin that is the
// longest suffix of it (RFC 1034 §4.3.2 step 2), or kNone. A DS record lives on the parent side
// of a cut, so a DS query looks for the zone of the parent name first (RFC 4035 §3.1.4.1); this
// is what Knot does too.
uint32_t find_zone_for(const snapshot::View& view, const uint8_t* lower, NameInfo info,
                       uint16_t qtype);

// Writes the answer, authority and additional sections for `query` (a parsed QUERY of class
// IN or ANY). Sets TC on `writer` when the answer or the authority did not fit.
AnswerResult answer_from_snapshot(const snapshot::View& view, const Query& query,
                                  ResponseWriter& writer);

} // namespace ringcast::dns
