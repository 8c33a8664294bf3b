#include "dataplane/util/sha1.h"

#include <cstring>
#include <utility>

// The SHA extensions are x86 instructions (SHA-NI); every other CPU builds the portable block
// function only. No compiler flag is needed either way: the x86 code enables the instructions
// for its own functions (target attribute) and runs only where CPUID reports them.
#if defined(__x86_64__) || defined(__i386__)
#define RINGCAST_SHA1_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define RINGCAST_SHA1_X86 0
#endif

namespace ringcast::util {
namespace {

constexpr uint32_t rotl(uint32_t x, unsigned n) {
    return (x << n) | (x >> (32 - n));
}

uint32_t load_be32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

#if RINGCAST_SHA1_X86
// SHA extensions: four rounds of one round function (FIPS 180-4 §4.1.1: 0 Ch, 1 Parity, 2 Maj,
// 3 Parity) per sha1rnds4, whose function must be an immediate; hence a template per group of
// four rounds. State lanes hold A (and E) in the top 32 bits, message words likewise.
#define RINGCAST_SHA_TARGET __attribute__((target("sha,sse4.1")))

template <int kGroup>
RINGCAST_SHA_TARGET inline void sha_group(__m128i& abcd, __m128i& previous_abcd, __m128i (&w)[4],
                                          __m128i e0, const uint8_t* block) {
    // Big-endian words, W0 in the top lane: reverse all 16 bytes.
    const __m128i byte_reverse = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i& current = w[kGroup % 4];
    if constexpr (kGroup < 4) {
        current = _mm_shuffle_epi8(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * kGroup)), byte_reverse);
    } else {
        // §6.1.2 step 1, four words at once: W[t-16] ^ W[t-14], ^ W[t-8], ^ W[t-3] and rotate.
        current = _mm_sha1msg2_epu32(
            _mm_xor_si128(_mm_sha1msg1_epu32(current, w[(kGroup + 1) % 4]), w[(kGroup + 2) % 4]),
            w[(kGroup + 3) % 4]);
    }
    // E of this group: the initial E for the first, else derived from A four rounds back.
    const __m128i e_plus_w =
        kGroup == 0 ? _mm_add_epi32(e0, current) : _mm_sha1nexte_epu32(previous_abcd, current);
    previous_abcd = abcd;
    abcd = _mm_sha1rnds4_epu32(abcd, e_plus_w, kGroup / 5);
}

RINGCAST_SHA_TARGET void compress_sha_extensions(uint32_t (&state)[5], const uint8_t* block) {
    const __m128i abcd_in =
        _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1b);
    const __m128i e_in = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);
    __m128i abcd = abcd_in, previous_abcd = abcd_in;
    __m128i w[4];
    [&]<size_t... kGroups>(std::index_sequence<kGroups...>) {
        (sha_group<static_cast<int>(kGroups)>(abcd, previous_abcd, w, e_in, block), ...);
    }
    (std::make_index_sequence<20>{});
    // The last E comes from A four rounds before the end, as within the rounds.
    const __m128i e_out = _mm_sha1nexte_epu32(previous_abcd, e_in);
    abcd = _mm_shuffle_epi32(_mm_add_epi32(abcd, abcd_in), 0x1b);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), abcd);
    state[4] = static_cast<uint32_t>(_mm_extract_epi32(e_out, 3));
}

#undef RINGCAST_SHA_TARGET
#endif // RINGCAST_SHA1_X86

} // namespace

void sha1_compress_portable(uint32_t (&state)[5], const uint8_t* block) {
    // FIPS 180-4 §6.1.2: one 512-bit block.
    uint32_t w[80];
    for (unsigned t = 0; t < 16; ++t)
        w[t] = load_be32(block + 4 * t);
    for (unsigned t = 16; t < 80; ++t)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
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
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
}

bool cpu_has_sha_extensions() {
#if RINGCAST_SHA1_X86
    // CPUID leaf 7, subleaf 0: EBX bit 29 is SHA; SSE4.1 (leaf 1, ECX bit 19) for the loads.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || !(ebx & (1u << 29))) return false;
    return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 19));
#else
    return false;
#endif
}

namespace {

using CompressFunction = void (*)(uint32_t (&)[5], const uint8_t*);
// Chosen once, at load time, like DPDK's per-CPU function pointers.
#if RINGCAST_SHA1_X86
const CompressFunction compress =
    cpu_has_sha_extensions() ? compress_sha_extensions : sha1_compress_portable;
#else
const CompressFunction compress = sha1_compress_portable;
#endif

} // namespace

void sha1_compress(uint32_t (&state)[5], const uint8_t* block) {
    compress(state, block);
}

bool sha1_uses_sha_extensions() {
    return compress != sha1_compress_portable;
}

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

void Sha1::update(const uint8_t* data, size_t len) {
    length_ += len;
    while (len > 0) {
        const size_t take = len < kSha1BlockSize - buffered_ ? len : kSha1BlockSize - buffered_;
        std::memcpy(buffer_ + buffered_, data, take);
        buffered_ += take;
        data += take;
        len -= take;
        if (buffered_ == kSha1BlockSize) {
            compress(state_, buffer_);
            buffered_ = 0;
        }
    }
}

void Sha1::finish(uint8_t (&digest)[kSha1DigestSize]) {
    // FIPS 180-4 §5.1.1: a one bit, zeros, then the message length in bits (64-bit big endian)
    // in the last 8 bytes of a block.
    constexpr size_t kLengthAt = kSha1BlockSize - 8;
    const uint64_t bits = length_ * 8;
    buffer_[buffered_++] = 0x80;
    if (buffered_ > kLengthAt) {
        std::memset(buffer_ + buffered_, 0, kSha1BlockSize - buffered_);
        compress(state_, buffer_);
        buffered_ = 0;
    }
    std::memset(buffer_ + buffered_, 0, kLengthAt - buffered_);
    for (unsigned i = 0; i < 8; ++i)
        buffer_[kLengthAt + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    compress(state_, buffer_);
    for (unsigned i = 0; i < 5; ++i)
        for (unsigned j = 0; j < 4; ++j)
            digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (24 - 8 * j));
}

} // namespace ringcast::util
