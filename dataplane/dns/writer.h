// Writing the records of a response after the question, with name compression and the
// all-or-nothing rule for RRsets that do not fit (RFC 2181 §9).
#pragma once

#include "dataplane/dns/compressor.h"
#include "dataplane/dns/name.h"
#include "dataplane/dns/wire.h"
#include "dataplane/snapshot/format.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

enum class Section : uint8_t { kAnswer, kAuthority, kAdditional };

class ResponseWriter {
  public:
    // The response begins with the query's header and question, already at `msg`; records are
    // appended from `question_end` up to `limit` bytes (the caller keeps the OPT record's room
    // out of `limit`). Sections must be written in order.
    ResponseWriter(uint8_t* msg, size_t question_end, size_t limit)
        : out_(msg, limit, question_end) {}

    // Makes the question name (at kHeaderSize) a compression target, so answer owners point at
    // it. `question_asked` is that name as the query spelled it (Query::qname_asked): an owner
    // passed as this very pointer is the question, written as a pointer to it without searching
    // the table (what the search would find: the question is its first entry). Either way the
    // owner's bytes are the query's, so its case does not depend on compression.
    // `question` is the name's length and label count.
    void remember_question(const uint8_t* question_asked, NameInfo question);

    // Appends every record of `rrset` (RDATA from the snapshot's data section `rdata_base`)
    // with owner `owner` (uncompressed, any case), class IN and TTL `ttl`. Returns false and
    // leaves the message untouched when the whole RRset does not fit.
    bool put_rrset(Section section, const uint8_t* owner, const snapshot::Rrset& rrset,
                   const uint8_t* rdata_base, uint32_t ttl);
    bool put_rrset(Section section, const uint8_t* owner, const snapshot::Rrset& rrset,
                   const uint8_t* rdata_base) {
        return put_rrset(section, owner, rrset, rdata_base, rrset.ttl);
    }

    // Appends the records of the RRSIG RRset `rrsigs` that cover `covered` (RFC 4034 §3.1),
    // with owner `owner` and TTL `ttl`: the signatures of one RRset. Same all-or-nothing rule;
    // true when there are none.
    bool put_signatures(Section section, const uint8_t* owner, const snapshot::Rrset& rrsigs,
                        const uint8_t* rdata_base, uint16_t covered, uint32_t ttl);

    // Appends one record whose RDATA is copied as is. Same all-or-nothing rule.
    bool put_record(Section section, const uint8_t* owner, uint16_t type, uint16_t rclass,
                    uint32_t ttl, const uint8_t* rdata, uint16_t rdlength);

    // Appends one class IN record whose RDATA is the name `target` (uncompressed, any case),
    // compressed like a CNAME's: the CNAME a DNAME synthesises (RFC 6672 §3.1). Same rule.
    bool put_name_record(Section section, const uint8_t* owner, uint16_t type, uint32_t ttl,
                         const uint8_t* target);

    size_t size() const { return out_.position(); }
    uint16_t count(Section section) const { return counts_[static_cast<size_t>(section)]; }
    bool truncated() const { return truncated_; }
    // TC=1 (RFC 2181 §9): set when data the answer needs did not fit; further writes fail.
    void set_truncated() { truncated_ = true; }

  private:
    struct Mark {
        size_t position;
        size_t compressor_size;
    };
    Mark mark() const { return {out_.position(), compressor_.size()}; }
    bool commit_or_rollback(Mark mark, Section section, uint16_t records);
    // What put_records writes: every record with the TTL given (put_rrset); every record of an
    // RRSIG RRset asked for as data, each with its own TTL; or the RRSIGs covering one type
    // (put_signatures). One loop, compiled for each, so plain RRsets pay for neither.
    enum class Records : uint8_t { kEvery, kEverySignature, kCovering };
    template <Records kWhich>
    bool put_records(Section section, const uint8_t* owner, const snapshot::Rrset& rrset,
                     const uint8_t* rdata_base, uint32_t ttl, uint16_t covered);
    void put_rdata(uint16_t type, const uint8_t* rdata, uint16_t rdlength);
    void put_owner(const uint8_t* owner);
    // Owner, TYPE, CLASS and TTL of one record; RDLENGTH and RDATA follow.
    void put_record_header(const uint8_t* owner, uint16_t type, uint16_t rclass, uint32_t ttl);

    WireWriter out_;
    Compressor compressor_;
    const uint8_t* question_asked_ = nullptr; // null: no question alias (a root question)
    // The owner of the records last written by put_records and where its encoding starts: the
    // records of one RRset, and the RRSIGs after it, repeat it without searching the
    // compression table. Null when nothing is to be repeated. Owners compare by address: each
    // is a snapshot name or a buffer that stays unchanged while the response is written.
    const uint8_t* last_owner_ = nullptr;
    size_t last_owner_at_ = 0;
    size_t last_owner_len_ = 0;
    uint16_t counts_[3] = {};
    bool truncated_ = false;
};

} // namespace ringcast::dns
