// The Internet checksum (RFC 1071) and the pieces the pipeline builds it from: a running sum over
// byte ranges, the IPv4/IPv6 pseudo-header, and the incremental update of RFC 1624.
//
// A "sum" is an unfolded 32-bit accumulator of 16-bit big-endian words; fold it once at the end.
// Checksum values (parameters and results) are the 16-bit number carried in the field, as read
// with Be16::get() and written with Be16::set().
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringcast::net {

// Adds `len` bytes at `data` to `sum`. `data` must start at an even offset of the checksummed
// message (every header and payload this pipeline sums does); an odd trailing byte is padded
// with a zero byte as RFC 1071 §1 says.
uint32_t checksum_add(uint32_t sum, const uint8_t* data, size_t len);

// The 16-bit ones-complement sum of `sum`'s words (end-around carries folded back in).
constexpr uint16_t checksum_fold(uint32_t sum) {
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

// The same sum as checksum_add, inline, for the short fixed-size ranges of the hot path (an
// IPv4 header, an address pair). At such a call site the length is a constant, so the loop
// unrolls into a few adds and the tail tests compile away: checksum_add spends ~49 instructions
// of call, tail tests and folds on a 20-byte header, this ~16 (callgrind, bench/RESULTS.md,
// 2026-11-22 00:38). Forced inline for that constant folding; long ranges use checksum_add.
// 32-bit words summed into 64 bits cannot overflow below 16 GiB: no end-around carry is needed
// until the final fold (RFC 1071 §2(C), deferred carries).
[[gnu::always_inline]] inline uint32_t checksum_add_short(uint32_t sum, const uint8_t* data,
                                                          size_t len) {
    uint64_t acc = 0;
    for (; len >= sizeof(uint32_t); data += sizeof(uint32_t), len -= sizeof(uint32_t)) {
        uint32_t word;
        std::memcpy(&word, data, sizeof(word));
        acc += word;
    }
    if (len >= sizeof(uint16_t)) {
        uint16_t word;
        std::memcpy(&word, data, sizeof(word));
        acc += word;
        data += sizeof(uint16_t);
        len -= sizeof(uint16_t);
    }
    if (len == 1) {
        const uint8_t tail[2] = {data[0], 0}; // RFC 1071 §1: pad the odd byte with zero
        uint16_t word;
        std::memcpy(&word, tail, sizeof(word));
        acc += word;
    }
    // 64 to 32 bits twice (the first add may carry into bit 32), then to 16. RFC 1071 §2(B):
    // the sum of host-order words is the byte-swapped sum of network-order ones.
    acc = (acc & 0xffffffffu) + (acc >> 32);
    acc = (acc & 0xffffffffu) + (acc >> 32);
    uint16_t folded = checksum_fold(static_cast<uint32_t>(acc));
    if constexpr (std::endian::native == std::endian::little) folded = __builtin_bswap16(folded);
    return sum + folded;
}

// The value to write into a checksum field: the complement of the folded sum.
constexpr uint16_t checksum_finish(uint32_t sum) {
    return static_cast<uint16_t>(~checksum_fold(sum));
}

// A message whose sum covers its own (transmitted) checksum field verifies when the folded sum
// is all ones (RFC 1071 §1, "checking").
constexpr bool checksum_verifies(uint32_t sum) {
    return checksum_fold(sum) == 0xffffu;
}

// The pseudo-header of RFC 768 (IPv4) and RFC 8200 §8.1 (IPv6) sums the same way: the two
// addresses (`address_sum`, from checksum_add over source and destination), the upper-layer
// length and the protocol number; the zero padding adds nothing.
constexpr uint32_t pseudo_header_sum(uint32_t address_sum, uint8_t protocol, uint32_t l4_length) {
    return address_sum + protocol + (l4_length >> 16) + (l4_length & 0xffffu);
}

// RFC 1624 eqn. 3: the checksum after one 16-bit word of the covered data changes from
// `old_word` to `new_word`, HC' = ~(~HC + ~m + m'), without re-reading the data. Eqn. 3 rather
// than RFC 1141's HC - m + m', which goes wrong when the result should be 0x0000 (RFC 1624 §3).
constexpr uint16_t checksum_adjust(uint16_t checksum, uint16_t old_word, uint16_t new_word) {
    const uint32_t sum = uint32_t{static_cast<uint16_t>(~checksum)} +
                         uint32_t{static_cast<uint16_t>(~old_word)} + new_word;
    return checksum_finish(sum);
}

} // namespace ringcast::net
