// SHA-1 (FIPS 180-4 §6.1) on the packet path, for NSEC3 owner hashes (RFC 5155 §5): no
// allocation and no library context per call, which OpenSSL 3's digests need. Not for anything
// that needs collision resistance.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringcast::util {

inline constexpr size_t kSha1DigestSize = 20;

class Sha1 {
  public:
    Sha1() { reset(); }
    void reset();
    void update(const uint8_t* data, size_t len);
    // Writes the digest and leaves the object to be reset() before reuse.
    void finish(uint8_t (&digest)[kSha1DigestSize]);

  private:
    static constexpr size_t kBlockSize = 64;
    void compress(const uint8_t* block);

    uint32_t state_[5];
    uint64_t length_; // bytes hashed so far
    uint8_t buffer_[kBlockSize];
    size_t buffered_;
};

} // namespace ringcast::util
