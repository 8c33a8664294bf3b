#include "dataplane/dns/writer.h"

#include "dataplane/dns/name.h"
#include "dataplane/dns/protocol.h"
#include "dataplane/snapshot/rdata_layout.h"

#include <cstring>

namespace ringcast::dns {

void ResponseWriter::remember_question(const uint8_t* question_asked, NameInfo question) {
    compressor_.remember(out_.data(), kHeaderSize, question.labels, question.length);
    // The root is written as itself, never as a pointer (it is one byte).
    question_asked_ = question_asked[0] != 0 ? question_asked : nullptr;
}

void ResponseWriter::put_owner(const uint8_t* owner) {
    // Most owners are the question itself (RFC 1035 §4.1.4: a pointer to offset 12).
    if (owner == question_asked_) {
        out_.u16(static_cast<uint16_t>(uint16_t{kLabelPointerBits} << 8 | kHeaderSize));
        return;
    }
    compressor_.write(out_, owner);
}

bool ResponseWriter::commit_or_rollback(Mark mark, Section section, uint16_t records) {
    if (out_.ok()) {
        counts_[static_cast<size_t>(section)] += records;
        return true;
    }
    out_.rewind(mark.position);
    compressor_.truncate(mark.compressor_size);
    if (last_owner_at_ >= mark.position) last_owner_ = nullptr;
    return false;
}

// RDATA from the snapshot: names inside it are compressed for the RFC 1035 types only
// (RFC 3597 §4); RDLENGTH is then rewritten to the compressed size.
void ResponseWriter::put_rdata(uint16_t type, const uint8_t* rdata, uint16_t rdlength) {
    const snapshot::RdataNameLayout layout = snapshot::compressible_rdata_layout(type);
    if (layout.names == 0) {
        if (uint8_t* const p = out_.claim(2 + size_t{rdlength})) {
            store_be16(p, rdlength);
            std::memcpy(p + 2, rdata, rdlength);
        }
        return;
    }
    const size_t length_at = out_.reserve(2);
    out_.bytes(rdata, layout.fixed_before);
    const uint8_t* p = rdata + layout.fixed_before;
    for (uint8_t i = 0; i < layout.names; ++i) {
        size_t name_length;
        compressor_.write(out_, p, name_length);
        p += name_length;
    }
    out_.bytes(p, layout.fixed_after);
    if (out_.ok())
        store_be16(out_.data() + length_at, static_cast<uint16_t>(out_.position() - length_at - 2));
}

bool ResponseWriter::put_rrset(Section section, const uint8_t* owner, const snapshot::Rrset& rrset,
                               const uint8_t* rdata_base, uint32_t ttl) {
    if (rrset.type == kTypeRrsig)
        return put_records<Records::kEverySignature>(section, owner, rrset, rdata_base, ttl, 0);
    return put_records<Records::kEvery>(section, owner, rrset, rdata_base, ttl, 0);
}

bool ResponseWriter::put_signatures(Section section, const uint8_t* owner,
                                    const snapshot::Rrset& rrsigs, const uint8_t* rdata_base,
                                    uint16_t covered, uint32_t ttl) {
    return put_records<Records::kCovering>(section, owner, rrsigs, rdata_base, ttl, covered);
}

template <ResponseWriter::Records kWhich>
bool ResponseWriter::put_records(Section section, const uint8_t* owner,
                                 const snapshot::Rrset& rrset, const uint8_t* rdata_base,
                                 uint32_t ttl, uint16_t covered) {
    if (truncated_) return false;
    const Mark start = mark();
    const uint8_t* rr = rdata_base + rrset.rdata;
    uint16_t written = 0;
    for (uint32_t i = 0; i < rrset.rr_count && out_.ok(); ++i) {
        const uint16_t rdlength = load_be16(rr);
        const uint8_t* const rdata = rr + 2;
        rr += 2 + rdlength;
        // RFC 4034 §3.1: an RRSIG's RDATA starts with the type it covers (the verifier saw
        // every RRSIG long enough to hold it).
        if (kWhich == Records::kCovering && load_be16(rdata) != covered) continue;
        // An owner other than the last one written is compressed against the table; the same
        // one repeats its encoding (a pointer or the root as is, otherwise a pointer to it).
        ++written;
        const size_t at = out_.position();
        if (owner != last_owner_ || (last_owner_len_ > 2 && last_owner_at_ > kMaxPointerOffset)) {
            put_owner(owner);
            last_owner_ = owner;
            last_owner_at_ = at;
            last_owner_len_ = out_.position() - at;
        } else if (last_owner_len_ <= 2) {
            out_.bytes(out_.data() + last_owner_at_, last_owner_len_);
        } else {
            out_.u16(static_cast<uint16_t>(uint16_t{kLabelPointerBits} << 8 | last_owner_at_));
        }
        // TYPE, CLASS and TTL; RDLENGTH comes with the RDATA.
        if (uint8_t* const p = out_.claim(8)) {
            store_be16(p, rrset.type);
            store_be16(p + 2, kClassIn);
            // The RRSIGs of a name asked for as data cover RRsets of different TTLs: each is
            // sent with the TTL of the RRset it covers, its Original TTL field (RFC 4034 §3,
            // §3.1.4), as Knot does. (One RRset's signatures take that RRset's TTL, `ttl`.)
            store_be32(p + 4, kWhich == Records::kEverySignature
                                  ? load_be32(rdata + kRrsigOriginalTtlOffset)
                                  : ttl);
        }
        put_rdata(rrset.type, rdata, rdlength);
    }
    return commit_or_rollback(start, section, written);
}

void ResponseWriter::put_record_header(const uint8_t* owner, uint16_t type, uint16_t rclass,
                                       uint32_t ttl) {
    put_owner(owner);
    out_.u16(type);
    out_.u16(rclass);
    out_.u32(ttl);
}

bool ResponseWriter::put_record(Section section, const uint8_t* owner, uint16_t type,
                                uint16_t rclass, uint32_t ttl, const uint8_t* rdata,
                                uint16_t rdlength) {
    if (truncated_) return false;
    const Mark start = mark();
    put_record_header(owner, type, rclass, ttl);
    out_.u16(rdlength);
    out_.bytes(rdata, rdlength);
    return commit_or_rollback(start, section, 1);
}

bool ResponseWriter::put_name_record(Section section, const uint8_t* owner, uint16_t type,
                                     uint32_t ttl, const uint8_t* target) {
    if (truncated_) return false;
    const Mark start = mark();
    put_record_header(owner, type, kClassIn, ttl);
    const size_t length_at = out_.reserve(2);
    compressor_.write(out_, target);
    if (out_.ok())
        store_be16(out_.data() + length_at, static_cast<uint16_t>(out_.position() - length_at - 2));
    return commit_or_rollback(start, section, 1);
}

} // namespace ringcast::dns
