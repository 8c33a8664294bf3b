#include "dataplane/dns/compressor.h"

#include "dataplane/dns/name.h"
#include "dataplane/dns/protocol.h"

namespace ringcast::dns {

void Compressor::add(size_t offset, uint8_t labels) {
    // A pointer has 14 bits; names further into the message cannot be pointed at.
    if (offset > kMaxPointerOffset || count_ == kMaxCompressionEntries) return;
    entries_[count_++] = Entry{static_cast<uint16_t>(offset), labels};
}

void Compressor::remember(const uint8_t* msg, size_t offset) {
    // Called for names this code wrote or parsed: uncompressed and well formed.
    uint8_t labels = name_info(msg + offset).labels;
    while (msg[offset] != 0) {
        add(offset, labels--);
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
        for (size_t i = 1; i <= label; ++i)
            if (ascii_lower(msg[offset + i]) != ascii_lower(suffix[i])) return false;
        offset += 1 + label;
        suffix += 1 + label;
    }
    return false;
}

bool Compressor::write(WireWriter& out, const uint8_t* name) {
    // Label start offsets within `name`, to try its suffixes from the longest down.
    uint8_t starts[kMaxLabels + 1];
    uint8_t labels = 0;
    for (size_t pos = 0; name[pos] != 0; pos += 1 + name[pos])
        starts[labels++] = static_cast<uint8_t>(pos);

    uint8_t literal = labels; // labels written out before the pointer
    size_t target = 0;
    for (uint8_t first = 0; first < labels && literal == labels; ++first) {
        const uint8_t suffix_labels = labels - first;
        for (size_t e = 0; e < count_; ++e) {
            if (entries_[e].labels == suffix_labels &&
                matches(out.data(), entries_[e].offset, name + starts[first])) {
                literal = first;
                target = entries_[e].offset;
                break;
            }
        }
    }

    const size_t start = out.position();
    const size_t literal_bytes = literal == labels ? name_info(name).length - 1 : starts[literal];
    out.bytes(name, literal_bytes);
    if (literal == labels)
        out.u8(0);
    else
        out.u16(static_cast<uint16_t>(uint16_t{kLabelPointerBits} << 8 | target));
    if (!out.ok()) return false;
    for (uint8_t i = 0; i < literal; ++i)
        add(start + starts[i], labels - i);
    return true;
}

} // namespace ringcast::dns
