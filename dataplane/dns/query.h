// Parsing a query: the header, the question, and the records after it (only OPT is read; the
// rest are checked for structure and skipped). The parser only reports what the message holds;
// the responder decides what is an error (responder.cpp has the ladder).
#pragma once

#include "dataplane/dns/edns.h"
#include "dataplane/dns/name.h"
#include "dataplane/dns/prefetch.h"
#include "dataplane/dns/protocol.h"

#include <cstdint>

namespace ringcast::dns {

struct Query {
    Query() = default;
    Query(const Query&) = delete; // qname_lower may point into the object itself
    Query& operator=(const Query&) = delete;

    uint8_t opcode = 0;
    uint16_t qdcount = 0;
    uint16_t ancount = 0;
    uint16_t nscount = 0;
    uint16_t arcount = 0;

    // The first question, when it parsed. It stays in place in the message: the response
    // echoes it as is, with the query's own letter case (RFC 4343 §4.1).
    bool has_question = false;
    uint16_t question_end = kHeaderSize; // offset just past the question (or the header)
    NameInfo qname;
    uint16_t qtype = 0;
    uint16_t qclass = 0;
    // Lowercase copy for lookups: in qname_lower_storage (not initialised), or in the
    // lookahead the question was taken from.
    const uint8_t* qname_lower = qname_lower_storage;
    uint8_t qname_lower_storage[kMaxNameLength];
    // The question name as the query spelled it, in the message at kHeaderSize (a question name
    // is never compressed). Answer owners are written with these bytes, so they keep the query's
    // case (RFC 4343 §4.1) whether or not compression then points them at the question.
    const uint8_t* qname_asked = nullptr;
    // Set when parse_query took the question from it: its zone and hash are the name's.
    const QueryLookahead* lookahead = nullptr;

    EdnsRequest edns;
};

enum class ParseStatus : uint8_t {
    kOk,
    kMalformed, // FORMERR: what parsed (the question, maybe) is still filled in
};

// `msg` holds `len` >= kHeaderSize bytes. `lookahead`, when given, was read from this very
// message for the snapshot the answer comes from (QueryLookahead::describes): its question
// name is taken as read.
ParseStatus parse_query(const uint8_t* msg, uint32_t len, Query& query,
                        const QueryLookahead* lookahead = nullptr);

} // namespace ringcast::dns
