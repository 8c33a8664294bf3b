// Name compression for the response writer (RFC 1035 §4.1.4).
//
// Remembers where names (and each of their suffixes) were written in the message, so a later
// name that ends with a known suffix is written as its leading labels plus a pointer. Matching is
// case-insensitive (RFC 4343 §4.1), which is also how an answer's owner comes out in the
// question's letter case: the question name is the first entry. The table is bounded; once it is
// full, names are still written correctly, just less compressed.
#pragma once

#include "dataplane/dns/protocol.h"
#include "dataplane/dns/wire.h"

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

inline constexpr size_t kMaxCompressionEntries = 64;

class Compressor {
  public:
    // Registers the (uncompressed) name at `offset` in the message, and each of its suffixes.
    void remember(const uint8_t* msg, size_t offset);
    // The same, with the name's length and label count already known.
    void remember(const uint8_t* msg, size_t offset, uint8_t labels, size_t length);

    // Writes trusted uncompressed `name` at the writer's position, compressed against the table,
    // and remembers the labels it wrote out. Returns false (writer in error) when it did not fit.
    bool write(WireWriter& out, const uint8_t* name) {
        size_t name_length;
        return write(out, name, name_length);
    }
    // The same, also setting `name_length` to the uncompressed wire length of `name` (whether
    // or not it fit).
    bool write(WireWriter& out, const uint8_t* name, size_t& name_length);

    // For rolling back a partly written record: entries past `count` point at discarded bytes.
    size_t size() const { return count_; }
    void truncate(size_t count) { count_ = count; }

  private:
    // Label count and decompressed length are kept per entry so that a candidate suffix is
    // compared byte by byte only when both agree: most entries are ruled out by two integer
    // compares, and the search stays linear in the table size.
    struct Entry {
        uint16_t offset; // where the name starts in the message (< 0x4000)
        uint8_t labels;  // its label count, root excluded
        uint8_t length;  // its wire length once decompressed, root label included
    };

    // Whether the name written at `offset` in `msg` equals `suffix`, `length` bytes long
    // (case-insensitive). The message is written up to `end`.
    static bool matches(const uint8_t* msg, size_t end, size_t offset, const uint8_t* suffix,
                        size_t length);
    void add(size_t offset, uint8_t labels, size_t length) {
        // A pointer has 14 bits; names further into the message cannot be pointed at.
        if (offset > kMaxPointerOffset || count_ == kMaxCompressionEntries) return;
        entries_[count_++] =
            Entry{static_cast<uint16_t>(offset), labels, static_cast<uint8_t>(length)};
    }

    Entry entries_[kMaxCompressionEntries];
    size_t count_ = 0;
};

} // namespace ringcast::dns
