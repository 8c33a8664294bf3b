#include "dataplane/dns/compressor.h"

#include "dataplane/dns/name.h"
#include "dataplane/dns/protocol.h"

#include <algorithm>

namespace ringcast::dns {

void Compressor::remember(const uint8_t* msg, size_t offset) {
    const NameInfo info = name_info(msg + offset);
    remember(msg, offset, info.labels, info.length);
}

void Compressor::remember(const uint8_t* msg, size_t offset, uint8_t labels, size_t length) {
    // Called for names this code wrote or parsed: uncompressed and well formed, so the label
    // count bounds the walk. A name that ends past the pointer range is not remembered at all
    // (offsets only grow along it); the table's cap bounds the entries.
    if (offset + length - 1 > kMaxPointerOffset) {
        // Its first labels may still be in range: the general path.
        while (msg[offset] != 0) {
            add(offset, labels--, length);
            length -= 1 + msg[offset];
            offset += 1 + msg[offset];
        }
        return;
    }
    const size_t room = kMaxCompressionEntries - count_;
    const size_t n = labels < room ? labels : room;
    for (size_t i = 0; i < n; ++i) {
        const uint8_t label = msg[offset];
        entries_[count_ + i] =
            Entry{static_cast<uint16_t>(offset), static_cast<uint8_t>(labels - i),
                  static_cast<uint8_t>(length)};
        length -= 1 + label;
        offset += 1 + label;
    }
    count_ += n;
}

// Inline: write() is its only caller, and most calls end at the first comparison.
inline bool Compressor::matches(const uint8_t* msg, size_t end, size_t offset,
                                const uint8_t* suffix, size_t length) {
    // Names in the message were written by us: pointers only go backwards, labels are valid.
    // The hop cap is belt and braces against ever looping.
    //
    // The message bytes from `offset` are compared with the suffix as flat byte strings, a word
    // at a time. Where they agree they have the same label structure: a length octet (0..63)
    // only equals itself when letters are folded, and a pointer octet (0xc0 and up) never
    // equals one. So an agreement over the whole suffix, root included, is a match; the first
    // disagreement is either a mismatch or, when the message has a pointer where the suffix
    // has a label boundary, the place to follow the pointer and compare the rest.
    for (unsigned hops = 0; hops < kMaxLabels; ++hops) {
        const size_t available = std::min(length, end - offset);
        const size_t same = first_mismatch_ignoring_case(msg + offset, suffix, available);
        if (same == length) return true;
        if (same == available) return false; // unreachable: a written name ends before `end`
        if ((msg[offset + same] & kLabelPointerBits) != kLabelPointerBits) return false;
        size_t boundary = 0;
        while (boundary < same)
            boundary += 1 + suffix[boundary];
        if (boundary != same) return false; // a pointer octet inside a label's text
        offset = load_be16(msg + offset + same) & kMaxPointerOffset;
        suffix += same;
        length -= same;
    }
    return false;
}

bool Compressor::write(WireWriter& out, const uint8_t* name, size_t& name_length) {
    // Label start offsets within `name`, to know each suffix's position and length.
    uint8_t starts[kMaxLabels + 1];
    uint8_t labels = 0;
    size_t pos = 0;
    for (; name[pos] != 0; pos += 1 + name[pos])
        starts[labels++] = static_cast<uint8_t>(pos);
    const size_t length = pos + 1;
    name_length = length;

    // The longest known suffix wins (fewest labels written out); among entries holding it, the
    // first one. One pass over the table: an entry of L labels can only be the suffix that
    // starts at label (labels - L), and only if its length is that suffix's length.
    uint8_t literal = labels; // labels written out before the pointer
    size_t target = 0;
    for (size_t e = 0; e < count_ && literal > 0; ++e) {
        const Entry& entry = entries_[e];
        if (entry.labels > labels) continue;
        const uint8_t first = static_cast<uint8_t>(labels - entry.labels);
        if (first >= literal || entry.length != length - starts[first]) continue;
        if (matches(out.data(), out.position(), entry.offset, name + starts[first], entry.length)) {
            literal = first;
            target = entry.offset;
        }
    }

    const size_t start = out.position();
    const size_t literal_bytes = literal == labels ? length - 1 : starts[literal];
    out.bytes(name, literal_bytes);
    if (literal == labels)
        out.u8(0);
    else
        out.u16(static_cast<uint16_t>(uint16_t{kLabelPointerBits} << 8 | target));
    if (!out.ok()) return false;
    for (uint8_t i = 0; i < literal; ++i)
        add(start + starts[i], static_cast<uint8_t>(labels - i), length - starts[i]);
    return true;
}

} // namespace ringcast::dns
