#include "dataplane/dns/query.h"

namespace ringcast::dns {
namespace {

enum class RecordSection : uint8_t { kAnswer, kAuthority, kAdditional };

// One resource record after the question. Only OPT is interpreted.
bool read_record(WireReader& reader, RecordSection section, Query& query) {
    bool root_owner = false;
    if (!skip_record_name(reader, root_owner)) return false;
    const uint16_t type = reader.u16();
    const uint16_t rclass = reader.u16();
    const uint32_t ttl = reader.u32();
    const uint16_t rdlength = reader.u16();
    const uint8_t* rdata = reader.take(rdlength);
    if (!reader.ok()) return false;
    if (type != kTypeOpt) return true;
    // RFC 6891 §6.1.1: one OPT at most, owned by the root, in the additional section.
    if (section != RecordSection::kAdditional || !root_owner || query.edns.present) return false;
    return parse_opt(rclass, ttl, rdata, rdlength, query.edns);
}

} // namespace

ParseStatus parse_query(const uint8_t* msg, uint32_t len, Query& query) {
    query.opcode = (msg[kOffsetFlags1] & kFlag1OpcodeMask) >> kFlag1OpcodeShift;
    query.qdcount = load_be16(msg + kOffsetQdcount);
    query.ancount = load_be16(msg + kOffsetAncount);
    query.nscount = load_be16(msg + kOffsetNscount);
    query.arcount = load_be16(msg + kOffsetArcount);

    WireReader reader(msg, len, kHeaderSize);
    if (query.qdcount > 0) {
        if (read_question_name(reader, query.qname_lower, query.qname) != NameStatus::kOk)
            return ParseStatus::kMalformed;
        query.qtype = reader.u16();
        query.qclass = reader.u16();
        if (!reader.ok()) return ParseStatus::kMalformed;
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
