#include "dataplane/dns/compressor.h"

#include "dataplane/dns/name.h"
#include "dataplane/dns/protocol.h"

namespace ringcast::dns {

void Compressor::add(size_t offset, uint8_t labels, size_t length) {
    // A pointer has 14 bits; names further into the message cannot be pointed at.
    if (offset > kMaxPointerOffset || count_ == kMaxCompressionEntries) return;
    entries_[count_++] = Entry{static_cast<uint16_t>(offset), labels, static_cast<uint8_t>(length)};
}

void Compressor::remember(const uint8_t* msg, size_t offset) {
    // Called for names this code wrote or parsed: uncompressed and well formed.
    const NameInfo info = name_info(msg + offset);
    uint8_t labels = info.labels;
    size_t length = info.length;
    while (msg[offset] != 0) {
        add(offset, labels--, length);
        length -= 1 + msg[offset];
        offset += 1 + msg[offset];
    }
}

bool Compressor::matches(const uint8_t* msg, size_t offset, const uint8_t* suffix) {
    // Names in the message were written by us: pointers only go backwards, labels are valid.
    // The hop cap is belt and braces against ever looping.
    for (unsigned hops = 0; hops < kMaxLabels;) {
        const uint8_t label = msg[offset];
        if ((label & kLabelPointerBits) == kLabelPointerBits) {
            offset = load_be16(msg + offset) & kMaxPointerOffset;
            ++hops;
            continue;
        }
        if (label != *suffix) return false;
        if (label == 0) return true;
        for (size_t i = 1; i <= label; ++i) {
            const uint8_t a = msg[offset + i];
            const uint8_t b = suffix[i];
            if (a != b && ascii_lower(a) != ascii_lower(b)) return false;
        }
        offset += 1 + label;
        suffix += 1 + label;
    }
    return false;
}

bool Compressor::write(WireWriter& out, const uint8_t* name) {
    // Label start offsets within `name`, to know each suffix's position and length.
    uint8_t starts[kMaxLabels + 1];
    uint8_t labels = 0;
    size_t pos = 0;
    for (; name[pos] != 0; pos += 1 + name[pos])
        starts[labels++] = static_cast<uint8_t>(pos);
    const size_t length = pos + 1;

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
        if (matches(out.data(), entry.offset, name + starts[first])) {
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
