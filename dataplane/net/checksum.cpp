#include "dataplane/net/checksum.h"

#include <bit>
#include <cstring>

namespace ringcast::net {

namespace {

// Bytes summed per loop iteration: four 64-bit words. Each is added with its carry folded
// straight back in (end-around carry, RFC 1071 §2(C) "deferred carries" taken to 64 bits), so
// the accumulator never overflows and a DNS response takes a handful of iterations.
constexpr size_t kWord = 8;
constexpr size_t kChunk = 4 * kWord;

uint64_t load_native64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

uint32_t load_native32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

uint16_t load_native16(const uint8_t* p) {
    uint16_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

// Ones-complement addition of 64-bit words: add, then add the carry out back in (compiles to
// add + adc).
inline uint64_t add_with_carry(uint64_t acc, uint64_t v) {
    uint64_t sum;
    const bool carry = __builtin_add_overflow(acc, v, &sum);
    return sum + carry;
}

} // namespace

// RFC 1071 §2(B): the ones-complement sum is byte-order independent, so words are summed in the
// host's order with wide loads and the folded result is swapped once at the end.
uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len) {
    uint64_t acc = 0;
    for (; len >= kChunk; data += kChunk, len -= kChunk) {
        acc = add_with_carry(acc, load_native64(data));
        acc = add_with_carry(acc, load_native64(data + kWord));
        acc = add_with_carry(acc, load_native64(data + 2 * kWord));
        acc = add_with_carry(acc, load_native64(data + 3 * kWord));
    }
    for (; len >= kWord; data += kWord, len -= kWord)
        acc = add_with_carry(acc, load_native64(data));
    // The tail, at most 7 bytes, into the low half: 32-bit and 16-bit words cannot carry out
    // of 64 bits when added to a value that was just reduced below 2^33.
    acc = (acc & 0xffffffffu) + (acc >> 32);
    if (len >= 4) {
        acc += load_native32(data);
        data += 4;
        len -= 4;
    }
    if (len >= 2) {
        acc += load_native16(data);
        data += 2;
        len -= 2;
    }
    if (len == 1) {
        const uint8_t tail[2] = {data[0], 0}; // RFC 1071 §1: pad the odd byte with zero
        acc += load_native16(tail);
    }
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    uint16_t folded = checksum_fold(static_cast<uint32_t>(acc));
    if constexpr (std::endian::native == std::endian::little) folded = __builtin_bswap16(folded);
    return sum + folded;
}

} // namespace ringcast::net
