// The memory a zone compile may hold ([zones] compile_memory_limit): an account of the bytes the
// compile's own structures take, charged as each is made (the parsed records, the zone tree, the
// snapshot file) and checked against the limit before the next step allocates more. A compile
// over the limit stops with a diagnostic naming the zone, the estimate and the limit; the
// caller's zones, and the snapshot being served, stay as they were.
//
// Bytes in use, not capacity: reserved and never written memory is never resident.
#pragma once

#include "controlplane/zone/zone_compiler.h"
#include "controlplane/zone/zone_tree.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ringcast::zone {

// Bytes of parsed records a master file of `file_bytes` is expected to yield: each record's
// fixed part per kBytesPerRecordGuess of text, and about as many bytes of owners and RDATA in
// wire form as of text (bench/RESULTS.md, zone compiler memory: 38 MB of text, 39 MB of wire).
uint64_t parsed_bytes_estimate(uint64_t file_bytes);
uint64_t parsed_bytes(const ParsedZone& zone);
uint64_t tree_bytes(const ZoneTree& tree);

class MemoryBudget {
  public:
    static constexpr uint64_t kNoLimit = 0;

    explicit MemoryBudget(uint64_t limit) : limit_(limit) {}

    // True when `bytes` more would still fit; nothing is charged.
    bool fits(uint64_t bytes) const { return limit_ == kNoLimit || used_ + bytes <= limit_; }
    // Charges `bytes`; false (and charged anyway, for the account) when the total is over the
    // limit.
    bool charge(uint64_t bytes);

    // Charges are never given back while a compile runs (what it holds it holds to the end), so
    // what is charged is the compile's peak.
    uint64_t used() const { return used_; }
    uint64_t limit() const { return limit_; }

    // "zone Z: <step> needs about N MiB in all, above the compile memory limit of L MiB
    // ([zones] compile_memory_limit)", for `needed` bytes in all.
    std::string over_limit_message(const std::string& zone, const std::string& step,
                                   uint64_t needed) const;

  private:
    uint64_t limit_;
    uint64_t used_ = 0;
};

} // namespace ringcast::zone
