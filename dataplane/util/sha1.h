// SHA-1 (FIPS 180-4 §6.1) on the packet path, for NSEC3 owner hashes (RFC 5155 §5): no
// allocation and no library context per call, which OpenSSL 3's digests need. Not for anything
// that needs collision resistance. Blocks go through the CPU's SHA extensions where it has them
// (an NXDOMAIN from an NSEC3 zone hashes three names), else through portable code.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringcast::util {

inline constexpr size_t kSha1DigestSize = 20;
inline constexpr size_t kSha1BlockSize = 64;

class Sha1 {
  public:
    Sha1() { reset(); }
    void reset();
    void update(const uint8_t* data, size_t len);
    // Writes the digest and leaves the object to be reset() before reuse.
    void finish(uint8_t (&digest)[kSha1DigestSize]);

  private:
    uint32_t state_[5];
    uint64_t length_; // bytes hashed so far
    uint8_t buffer_[kSha1BlockSize];
    size_t buffered_;
};

// The block function Sha1 uses: the SHA-extension one where cpu_has_sha_extensions(), else the
// portable one. Exposed for the tests that hold the two to each other.
void sha1_compress(uint32_t (&state)[5], const uint8_t* block);
void sha1_compress_portable(uint32_t (&state)[5], const uint8_t* block);
bool cpu_has_sha_extensions();
bool sha1_uses_sha_extensions();

} // namespace ringcast::util
