#include "dataplane/net/checksum.h"

#include <bit>
#include <cstring>

namespace ringcast::net {

namespace {

// Bytes summed per loop iteration: two 32-bit loads into a 64-bit accumulator, which cannot
// overflow before 2^32 iterations (16 GiB), far beyond any frame.
constexpr size_t kChunk = 8;

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

} // namespace

// RFC 1071 §2(B): the ones-complement sum is byte-order independent, so words are summed in the
// host's order with wide loads and the folded result is swapped once at the end.
uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len) {
    uint64_t acc = 0;
    for (; len >= kChunk; data += kChunk, len -= kChunk) {
        acc += load_native32(data);
        acc += load_native32(data + 4);
    }
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
