#include "dataplane/dns/name.h"

#include <cstring>

namespace ringcast::dns {

namespace {

constexpr size_t kWordBytes = sizeof(uint64_t);

// Sixteen bytes as one vector (GCC vector extension: SSE2 on x86-64, plain code elsewhere).
using Bytes16 = uint8_t __attribute__((vector_size(16)));
using Mask16 = int8_t __attribute__((vector_size(16)));
constexpr size_t kVectorBytes = sizeof(Bytes16);

// ascii_lower on sixteen bytes: one wrapping subtraction and one unsigned range test.
Bytes16 ascii_lower16(Bytes16 v) {
    const Bytes16 letter = reinterpret_cast<Bytes16>(Mask16(v - 'A' < kAsciiLetters));
    return v | (letter & kAsciiCaseBit);
}

void lower16_at(const uint8_t* in, uint8_t* out, size_t at) {
    Bytes16 v;
    std::memcpy(&v, in + at, kVectorBytes);
    v = ascii_lower16(v);
    std::memcpy(out + at, &v, kVectorBytes);
}

void lower8_at(const uint8_t* in, uint8_t* out, size_t at) {
    uint64_t word;
    std::memcpy(&word, in + at, kWordBytes);
    word = ascii_lower8(word);
    std::memcpy(out + at, &word, kWordBytes);
}

// Lowercase copy of `len` bytes. Label length octets (0..63) are below 'A', so a whole wire
// name can be copied this way without stepping label by label. Never touches a byte outside
// [0, len) of either buffer: the last block overlaps the one before it, and lowering a byte
// twice changes nothing.
void lowercase_copy(const uint8_t* in, uint8_t* out, size_t len) {
    if (len >= kVectorBytes) {
        size_t i = 0;
        for (; i + kVectorBytes <= len; i += kVectorBytes)
            lower16_at(in, out, i);
        if (i < len) lower16_at(in, out, len - kVectorBytes);
        return;
    }
    if (len >= kWordBytes) {
        lower8_at(in, out, 0);
        lower8_at(in, out, len - kWordBytes);
        return;
    }
    for (size_t i = 0; i < len; ++i)
        out[i] = ascii_lower(in[i]);
}

// Why a question name failed the fast walk in read_question_name: the checks in the order the
// protocol states them, so the status is the one a label-by-label reader reports.
[[gnu::cold, gnu::noinline]] NameStatus question_name_error(const uint8_t* in, size_t available) {
    size_t length = 0;
    for (;;) {
        if (length >= available) return NameStatus::kTruncated;
        const uint8_t label = in[length];
        if ((label & kLabelPointerBits) == kLabelPointerBits) return NameStatus::kCompressed;
        if ((label & kLabelPointerBits) != 0) return NameStatus::kBadLabelType;
        // `lower` has room for exactly kMaxNameLength bytes.
        if (length + 1 + label > kMaxNameLength) return NameStatus::kNameTooLong;
        if (label == 0) return NameStatus::kOk; // not reached: the name was valid
        // 0x40 and 0x80 are excluded above, so label <= 63 here; kept for the reader.
        if (label > kMaxLabelLength) return NameStatus::kLabelTooLong;
        if (label > available - length - 1) return NameStatus::kTruncated;
        length += 1 + label;
    }
}

} // namespace

NameStatus read_question_name(WireReader& reader, uint8_t* lower, NameInfo& info) {
    if (!reader.ok()) return NameStatus::kTruncated;
    // Two passes over the raw bytes with a single bound, the reader moved once at the end: the
    // label walk validates, then the whole name is copied in lowercase a word at a time. Every
    // query pays for this.
    //
    // The walk tests only what a valid name needs: each length octet is within the message and
    // the name's 255 bytes (one bound, `limit`), and below 0x40 (no pointer, no extended label).
    // A label running past the limit is caught at the next octet. Any failure is diagnosed again
    // by question_name_error, off the hot path.
    const uint8_t* const in = reader.current();
    const size_t available = reader.remaining();
    const size_t limit = available < kMaxNameLength ? available : kMaxNameLength;
    size_t length = 0;
    uint8_t labels = 0;
    for (;;) {
        if (length >= limit) return question_name_error(in, available);
        const uint8_t label = in[length];
        if (label == 0) break;
        if (label > kMaxLabelLength) return question_name_error(in, available);
        length += 1 + label;
        ++labels;
    }
    ++length; // the root label
    lowercase_copy(in, lower, length);
    reader.skip(length);
    info.length = static_cast<uint8_t>(length);
    info.labels = labels;
    return NameStatus::kOk;
}

bool skip_record_name(WireReader& reader, bool& is_root) {
    is_root = true;
    size_t length = 0;
    for (;;) {
        const uint8_t label = reader.u8();
        if (!reader.ok()) return false;
        if ((label & kLabelPointerBits) == kLabelPointerBits) {
            reader.skip(1);
            is_root = false;
            return reader.ok();
        }
        if ((label & kLabelPointerBits) != 0) return false;
        if (label == 0) return true;
        length += 1 + label;
        if (length + 1 > kMaxNameLength) return false;
        reader.skip(label);
        is_root = false;
    }
}

} // namespace ringcast::dns
