// NSEC3 owner names (RFC 5155 §5): a name's iterated, salted SHA-1 hash in base32hex, as the
// first label under the zone origin. The responder hashes the names it must prove absent or
// present in an NSEC3 zone and looks the result up in the zone's denial chain.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringcast::dns {

// RFC 5155 §4.1.1: SHA-1 is the one hash algorithm defined.
inline constexpr uint8_t kNsec3HashSha1 = 1;
// An NSEC3 owner's first label: the 160-bit hash in base32hex (RFC 4648 §7), 32 characters.
inline constexpr size_t kNsec3HashLabelLength = 32;
// Iterations beyond this are not hashed on the packet path: each query would cost thousands of
// SHA-1 blocks, and RFC 9276 §3.2 lets validators treat such zones as insecure anyway (BIND and
// Unbound do above 150). Such a zone's answers carry RRSIGs but no NSEC3 proofs.
inline constexpr uint16_t kMaxNsec3Iterations = 150;

struct Nsec3Params {
    uint16_t iterations = 0;
    uint8_t salt_length = 0;
    const uint8_t* salt = nullptr;
};

// Reads an NSEC3PARAM RDATA (RFC 5155 §4.2); false when malformed, of another hash algorithm
// or over kMaxNsec3Iterations. (Inline: the snapshot builder decides with it too.)
inline bool read_nsec3_params(const uint8_t* rdata, size_t rdlength, Nsec3Params& params) {
    // Hash algorithm (1), flags (1), iterations (2), salt length (1), salt.
    if (rdlength < 5 || rdata[0] != kNsec3HashSha1) return false;
    params.iterations = static_cast<uint16_t>(rdata[2] << 8 | rdata[3]);
    params.salt_length = rdata[4];
    params.salt = rdata + 5;
    return rdlength == 5u + params.salt_length && params.iterations <= kMaxNsec3Iterations;
}

// Whether an NSEC3 RDATA (RFC 5155 §3.2) belongs to the chain of `params` (the NSEC3PARAM's
// RDATA, already read): same algorithm, iterations and salt (§4: the NSEC3PARAM names the
// chain an authoritative server answers from).
inline bool in_nsec3_chain(const uint8_t* nsec3, size_t rdlength, const uint8_t* nsec3param) {
    const size_t fixed = 5u + nsec3param[4];
    return rdlength > fixed && nsec3[0] == nsec3param[0] && nsec3[2] == nsec3param[2] &&
           nsec3[3] == nsec3param[3] && std::memcmp(nsec3 + 4, nsec3param + 4, fixed - 4) == 0;
}

inline constexpr size_t kNsec3DigestSize = 20; // SHA-1

// The iterated, salted hash of `lower` (a lowercase wire name of `len` bytes; RFC 5155 §5).
void nsec3_digest(const uint8_t* lower, size_t len, const Nsec3Params& params,
                  uint8_t (&digest)[kNsec3DigestSize]);
// Writes "<base32hex of `digest`>.<origin>" (`origin` a lowercase wire name of `origin_len`
// bytes) to `out` (room for 255 bytes); returns its length, or 0 when it would exceed 255.
size_t nsec3_owner_name(const uint8_t (&digest)[kNsec3DigestSize], const uint8_t* origin,
                        size_t origin_len, uint8_t* out);
// Both at once: the owner name of `lower`'s hash.
size_t nsec3_owner_name(const uint8_t* lower, size_t len, const Nsec3Params& params,
                        const uint8_t* origin, size_t origin_len, uint8_t* out);

// The search key of a hash (snapshot format.h, kSectionNsec3Keys): its first 64 bits,
// big-endian, which order as the base32hex labels do.
inline uint64_t nsec3_key(const uint8_t (&digest)[kNsec3DigestSize]) {
    uint64_t key = 0;
    for (size_t i = 0; i < sizeof key; ++i)
        key = key << 8 | digest[i];
    return key;
}

// The same key read back from a hash label's kNsec3HashLabelLength base32hex characters
// (lowercase, RFC 4648 §7); false when one is not a base32hex digit.
inline bool nsec3_key_of_label(const uint8_t* label, uint64_t& key) {
    constexpr unsigned kBitsPerChar = 5, kKeyBits = 64;
    unsigned __int128 bits = 0; // the first 13 characters: 65 bits
    constexpr size_t kChars = (kKeyBits + kBitsPerChar - 1) / kBitsPerChar;
    for (size_t i = 0; i < kNsec3HashLabelLength; ++i) {
        const uint8_t c = label[i];
        unsigned value;
        if (c >= '0' && c <= '9')
            value = c - '0';
        else if (c >= 'a' && c <= 'v')
            value = c - 'a' + 10;
        else
            return false;
        if (i < kChars) bits = bits << kBitsPerChar | value;
    }
    key = static_cast<uint64_t>(bits >> (kChars * kBitsPerChar - kKeyBits));
    return true;
}

// The key of an NSEC3 chain owner: `name` (a lowercase wire name of `labels` labels) must be one
// base32hex hash label over a zone origin of `origin_labels` labels (RFC 5155 §3); false when
// it is not. The snapshot builder keeps only such owners and the verifier holds it to that.
inline bool nsec3_owner_key(const uint8_t* name, unsigned labels, unsigned origin_labels,
                            uint64_t& key) {
    return labels == origin_labels + 1 && name[0] == kNsec3HashLabelLength &&
           nsec3_key_of_label(name + 1, key);
}

} // namespace ringcast::dns
