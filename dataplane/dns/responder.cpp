// answer_udp: one UDP query in, its response written over it. A ladder of early returns: drops,
// then protocol errors (out of line, cold), then the answer proper.
#include "dataplane/dns/responder.h"

#include "dataplane/dns/answer.h"
#include "dataplane/dns/chaos.h"
#include "dataplane/dns/edns.h"
#include "dataplane/dns/protocol.h"
#include "dataplane/dns/query.h"
#include "dataplane/dns/writer.h"

#include <algorithm>

namespace ringcast::dns {
namespace {

using stats::Counter;
using stats::DropReason;
using stats::LcoreCounters;

// RFC 4035 §3.1.6: a name server copies CD from the query into the response, as BIND and NSD
// do. (Knot 3.2 clears it; tests/differential/compare.py allows that one difference.)
constexpr bool kCopyCdBit = true;

Reply drop(LcoreCounters& counters, DropReason reason) {
    counters.count_drop(reason);
    return {};
}

// The response size limit (RFC 6891 §6.2.5): 512 without EDNS; with it the requestor's size,
// capped by ours and never below 512; never beyond the buffer.
size_t response_limit(const ResponderConfig& config, Transport transport, const Query& query,
                      bool with_edns, uint32_t capacity) {
    if (is_tcp(transport)) return std::min<size_t>(capacity, kMaxTcpMessage);
    size_t limit = kClassicUdpPayload;
    if (with_edns)
        limit = std::max<size_t>(kClassicUdpPayload,
                                 std::min(query.edns.udp_payload, config.max_udp_payload));
    return std::min<size_t>(limit, capacity);
}

struct Outcome {
    uint16_t rcode = kRcodeNoError; // may be extended (BADVERS)
    bool authoritative = false;
    bool truncated = false;
    uint16_t ancount = 0;
    uint16_t nscount = 0;
    uint16_t arcount = 0;
};

// Writes the header (and OPT, whose room the caller kept free at `end`: `opt` bytes, its
// response_opt_size(), when `with_opt`) and counts the RCODE.
Reply finish(const ResponderConfig& config, LcoreCounters& counters, uint8_t* msg,
             const Query& query, size_t end, bool with_opt, size_t opt, const Outcome& outcome) {
    uint16_t arcount = outcome.arcount;
    if (with_opt) {
        write_response_opt(msg + end, config, query.edns, outcome.rcode);
        end += opt;
        ++arcount;
    }
    // ID stays. QR set; OPCODE and RD copied (RFC 1035 §4.1.1); RA, Z and AD clear.
    msg[kOffsetFlags1] = static_cast<uint8_t>(
        kFlag1Qr | (msg[kOffsetFlags1] & (kFlag1OpcodeMask | kFlag1Rd)) |
        (outcome.authoritative ? kFlag1Aa : 0) | (outcome.truncated ? kFlag1Tc : 0));
    msg[kOffsetFlags2] = static_cast<uint8_t>((kCopyCdBit ? msg[kOffsetFlags2] & kFlag2Cd : 0) |
                                              (outcome.rcode & kFlag2RcodeMask));
    store_be16(msg + kOffsetQdcount, query.has_question ? 1 : 0);
    store_be16(msg + kOffsetAncount, outcome.ancount);
    store_be16(msg + kOffsetNscount, outcome.nscount);
    store_be16(msg + kOffsetArcount, arcount);

    counters.count_rcode(outcome.rcode);
    if (outcome.truncated) counters.add(Counter::dns_truncated);
    return {true, static_cast<uint16_t>(end)};
}

// Header, the question when it parsed, and OPT when asked for: FORMERR, NOTIMP, BADVERS.
// `with_opt`: the query's OPT parsed and the response should carry one (RFC 6891 §7).
[[gnu::cold, gnu::noinline]] Reply
error_response(const ResponderConfig& config, Transport transport, LcoreCounters& counters,
               uint8_t* msg, uint32_t capacity, const Query& query, uint16_t rcode, bool with_opt) {
    with_opt = with_opt && query.edns.present;
    const size_t end = query.has_question ? query.question_end : kHeaderSize;
    const size_t opt = with_opt ? response_opt_size(config, query.edns) : 0;
    if (end + opt > response_limit(config, transport, query, with_opt, capacity))
        return drop(counters, DropReason::dns_no_room);
    Outcome outcome;
    outcome.rcode = rcode;
    return finish(config, counters, msg, query, end, with_opt, opt, outcome);
}

// Zone transfers are not served over UDP (RFC 5936 §4.2 for AXFR); IXFR over UDP is not
// offered either, and QTYPE 0 is reserved. Knot answers these NOTIMP as well.
bool is_unserved_qtype(uint16_t qtype) {
    return qtype == kTypeAxfr || qtype == kTypeIxfr || qtype == 0;
}

} // namespace

Reply answer_udp(const ResponderConfig& config, const snapshot::View& snapshot,
                 LcoreCounters& counters, Transport transport, uint8_t* msg, uint32_t len,
                 uint32_t capacity, const QueryLookahead* lookahead) {
    static constexpr Counter kQueries[] = {Counter::dns_udp4_queries, Counter::dns_udp6_queries,
                                           Counter::dns_tcp4_queries, Counter::dns_tcp6_queries};
    counters.add(kQueries[static_cast<size_t>(transport)]);
    // 1. Messages that get no response at all.
    if (len < kHeaderSize) return drop(counters, DropReason::dns_too_short);
    if (msg[kOffsetFlags1] & kFlag1Qr) return drop(counters, DropReason::dns_response_received);

    // 2. Parse, then the protocol errors, most fundamental first.
    Query query;
    const bool read_ahead = lookahead != nullptr && lookahead->describes(snapshot, msg, len);
    const ParseStatus status = parse_query(msg, len, query, read_ahead ? lookahead : nullptr);
    if (query.edns.present) {
        counters.add(Counter::dns_edns_queries);
        if (query.edns.nsid) counters.add(Counter::dns_nsid_requests);
    }
    const bool parsed = status == ParseStatus::kOk;
    if (query.has_question) counters.count_qtype(query.qtype);
    if (query.opcode != kOpcodeQuery)
        return error_response(config, transport, counters, msg, capacity, query, kRcodeNotImp,
                              parsed);
    if (!parsed)
        return error_response(config, transport, counters, msg, capacity, query, kRcodeFormErr,
                              false);
    // A query has exactly one question (RFC 9619). Records in its answer and authority
    // sections have no meaning for QUERY and are ignored once they parse (IXFR carries the
    // client's SOA in authority, RFC 1995 §3); Knot does the same.
    if (!query.has_question)
        return error_response(config, transport, counters, msg, capacity, query, kRcodeFormErr,
                              true);
    // RFC 6891 §6.1.3: an EDNS version we do not implement gets BADVERS and nothing else.
    if (query.edns.present && query.edns.version != kEdnsVersion)
        return error_response(config, transport, counters, msg, capacity, query, kRcodeBadVers,
                              true);
    if (is_unserved_qtype(query.qtype))
        return error_response(config, transport, counters, msg, capacity, query, kRcodeNotImp,
                              true);

    // 3. The answer, after the question, leaving room for OPT at the end.
    const bool with_opt = query.edns.present;
    const size_t opt = with_opt ? response_opt_size(config, query.edns) : 0;
    const size_t limit = response_limit(config, transport, query, with_opt, capacity);
    if (query.question_end + opt > limit) return drop(counters, DropReason::dns_no_room);
    ResponseWriter writer(msg, query.question_end, limit - opt);
    writer.remember_question(query.qname_asked, query.qname);

    AnswerResult answer;
    switch (query.qclass) {
    case kClassIn:
    case kClassAny: // Knot answers class ANY from the IN data as well
        answer = answer_from_snapshot(snapshot, query, writer);
        break;
    case kClassCh:
        counters.add(Counter::dns_chaos_queries);
        answer = answer_chaos(config, query, writer);
        break;
    default:
        answer = {kRcodeRefused, false};
        break;
    }

    Outcome outcome;
    outcome.rcode = answer.rcode;
    outcome.authoritative = answer.authoritative;
    outcome.truncated = writer.truncated();
    outcome.ancount = writer.count(Section::kAnswer);
    outcome.nscount = writer.count(Section::kAuthority);
    outcome.arcount = writer.count(Section::kAdditional);
    return finish(config, counters, msg, query, writer.size(), with_opt, opt, outcome);
}

} // namespace ringcast::dns
