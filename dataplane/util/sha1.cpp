#include "dataplane/util/sha1.h"

#include <cstring>

namespace ringcast::util {
namespace {

constexpr uint32_t rotl(uint32_t x, unsigned n) {
    return (x << n) | (x >> (32 - n));
}

uint32_t load_be32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

} // namespace

void Sha1::reset() {
    // FIPS 180-4 §5.3.1.
    state_[0] = 0x67452301;
    state_[1] = 0xefcdab89;
    state_[2] = 0x98badcfe;
    state_[3] = 0x10325476;
    state_[4] = 0xc3d2e1f0;
    length_ = 0;
    buffered_ = 0;
}

// FIPS 180-4 §6.1.2: one 512-bit block.
void Sha1::compress(const uint8_t* block) {
    uint32_t w[80];
    for (unsigned t = 0; t < 16; ++t)
        w[t] = load_be32(block + 4 * t);
    for (unsigned t = 16; t < 80; ++t)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
    for (unsigned t = 0; t < 80; ++t) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        const uint32_t next = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = next;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
}

void Sha1::update(const uint8_t* data, size_t len) {
    length_ += len;
    while (len > 0) {
        const size_t take = len < kBlockSize - buffered_ ? len : kBlockSize - buffered_;
        std::memcpy(buffer_ + buffered_, data, take);
        buffered_ += take;
        data += take;
        len -= take;
        if (buffered_ == kBlockSize) {
            compress(buffer_);
            buffered_ = 0;
        }
    }
}

void Sha1::finish(uint8_t (&digest)[kSha1DigestSize]) {
    // FIPS 180-4 §5.1.1: a one bit, zeros, then the message length in bits (64-bit big endian)
    // in the last 8 bytes of a block.
    constexpr size_t kLengthAt = kBlockSize - 8;
    const uint64_t bits = length_ * 8;
    buffer_[buffered_++] = 0x80;
    if (buffered_ > kLengthAt) {
        std::memset(buffer_ + buffered_, 0, kBlockSize - buffered_);
        compress(buffer_);
        buffered_ = 0;
    }
    std::memset(buffer_ + buffered_, 0, kLengthAt - buffered_);
    for (unsigned i = 0; i < 8; ++i)
        buffer_[kLengthAt + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    compress(buffer_);
    for (unsigned i = 0; i < 5; ++i)
        for (unsigned j = 0; j < 4; ++j)
            digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (24 - 8 * j));
}

} // namespace ringcast::util
