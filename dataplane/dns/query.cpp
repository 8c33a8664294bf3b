#include "dataplane/dns/query.h"

namespace ringcast::dns {
namespace {

enum class RecordSection : uint8_t { kAnswer, kAuthority, kAdditional };

// A record's owner when it is the root (one byte), then TYPE, CLASS, TTL and RDLENGTH.
constexpr size_t kRootRecordHeaderSize = 1 + 2 + 2 + 4 + 2;

// One resource record after the question. Only OPT is interpreted.
bool read_record(WireReader& reader, RecordSection section, Query& query) {
    bool root_owner = false;
    uint16_t type;
    uint16_t rclass;
    uint32_t ttl;
    uint16_t rdlength;
    if (reader.ok() && reader.remaining() >= kRootRecordHeaderSize && *reader.current() == 0) {
        // The usual record of a query, its OPT: owned by the root, its fixed fields read at once.
        const uint8_t* const p = reader.take(kRootRecordHeaderSize);
        root_owner = true;
        type = load_be16(p + 1);
        rclass = load_be16(p + 3);
        ttl = load_be32(p + 5);
        rdlength = load_be16(p + 9);
    } else {
        if (!skip_record_name(reader, root_owner)) return false;
        type = reader.u16();
        rclass = reader.u16();
        ttl = reader.u32();
        rdlength = reader.u16();
    }
    const uint8_t* rdata = reader.take(rdlength);
    if (!reader.ok()) return false;
    if (type != kTypeOpt) return true;
    // RFC 6891 §6.1.1: one OPT at most, owned by the root, in the additional section.
    if (section != RecordSection::kAdditional || !root_owner || query.edns.present) return false;
    return parse_opt(rclass, ttl, rdata, rdlength, query.edns);
}

} // namespace

ParseStatus parse_query(const uint8_t* msg, uint32_t len, Query& query,
                        const QueryLookahead* lookahead) {
    query.qname_lower = query.qname_lower_storage;
    query.qname_asked = msg + kHeaderSize;
    query.lookahead = nullptr;
    query.opcode = (msg[kOffsetFlags1] & kFlag1OpcodeMask) >> kFlag1OpcodeShift;
    query.qdcount = load_be16(msg + kOffsetQdcount);
    query.ancount = load_be16(msg + kOffsetAncount);
    query.nscount = load_be16(msg + kOffsetNscount);
    query.arcount = load_be16(msg + kOffsetArcount);

    WireReader reader(msg, len, kHeaderSize);
    if (query.qdcount > 0) {
        if (lookahead != nullptr) {
            query.qname_lower = lookahead->lower;
            query.qname = lookahead->name;
            query.lookahead = lookahead;
            reader = WireReader(msg, len, lookahead->name_end);
        } else if (read_question_name(reader, query.qname_lower_storage, query.qname) !=
                   NameStatus::kOk)
            return ParseStatus::kMalformed;
        if (reader.remaining() >= 4) {
            const uint8_t* const p = reader.take(4);
            query.qtype = load_be16(p);
            query.qclass = load_be16(p + 2);
        } else {
            query.qtype = reader.u16();
            query.qclass = reader.u16();
            return ParseStatus::kMalformed;
        }
        query.has_question = true;
        query.question_end = static_cast<uint16_t>(reader.position());
        // Several questions have no defined meaning (RFC 9619); no server answers them.
        if (query.qdcount > 1) return ParseStatus::kMalformed;
    }
    // Each record takes at least 11 bytes, so these loops end with the message.
    for (uint32_t i = 0; i < query.ancount; ++i)
        if (!read_record(reader, RecordSection::kAnswer, query)) return ParseStatus::kMalformed;
    for (uint32_t i = 0; i < query.nscount; ++i)
        if (!read_record(reader, RecordSection::kAuthority, query)) return ParseStatus::kMalformed;
    for (uint32_t i = 0; i < query.arcount; ++i)
        if (!read_record(reader, RecordSection::kAdditional, query)) return ParseStatus::kMalformed;
    // Bytes after the last counted record: not a well-formed message (Knot answers FORMERR too).
    if (reader.remaining() != 0) return ParseStatus::kMalformed;
    return ParseStatus::kOk;
}

} // namespace ringcast::dns
