// SHA-1 as the NSEC3 hash uses it: the FIPS 180-2 Appendix A digests, inputs that end on and
// across block boundaries (the padding's two cases), and the block function in use (the CPU's
// SHA extensions on this machine) held to the portable one on many states and blocks.
#include "dataplane/util/sha1.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <string>

using namespace ringcast;

namespace {

std::string hex_digest(const std::string& message, size_t chunk = 0) {
    util::Sha1 sha;
    const auto* bytes = reinterpret_cast<const uint8_t*>(message.data());
    if (chunk == 0) {
        sha.update(bytes, message.size());
    } else {
        for (size_t at = 0; at < message.size(); at += chunk)
            sha.update(bytes + at, std::min(chunk, message.size() - at));
    }
    uint8_t digest[util::kSha1DigestSize];
    sha.finish(digest);
    std::string out;
    char two[3];
    for (const uint8_t b : digest) {
        std::snprintf(two, sizeof two, "%02x", b);
        out += two;
    }
    return out;
}

} // namespace

TEST_CASE("SHA-1 gives the FIPS 180-2 Appendix A digests, whole or in pieces") {
    CHECK(hex_digest("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(hex_digest("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    // 56 bytes: the length no longer fits the first block, padding takes a second.
    const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(hex_digest(two_blocks) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    CHECK(hex_digest(two_blocks, 7) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    const std::string million(1000000, 'a');
    CHECK(hex_digest(million, 4096) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    // Exactly one block of input: the padding is a block of its own.
    CHECK(hex_digest(std::string(64, 'a')) == "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

TEST_CASE("SHA-1's block function is the CPU's SHA extensions where it has them, and equal to "
          "the portable one") {
    CHECK(util::sha1_uses_sha_extensions() == util::cpu_has_sha_extensions());
    std::mt19937_64 rng(5155);
    for (int round = 0; round < 2000; ++round) {
        std::array<uint8_t, util::kSha1BlockSize> block;
        for (uint8_t& b : block)
            b = static_cast<uint8_t>(rng());
        uint32_t portable[5], used[5];
        for (int i = 0; i < 5; ++i)
            portable[i] = used[i] = static_cast<uint32_t>(rng());
        util::sha1_compress_portable(portable, block.data());
        util::sha1_compress(used, block.data());
        INFO("round " << round);
        REQUIRE(std::equal(portable, portable + 5, used));
    }
}
