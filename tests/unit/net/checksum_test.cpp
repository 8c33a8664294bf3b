// The RFC 1071 sum, pseudo-headers and the RFC 1624 update, against the builder's naive
// one-word-at-a-time reference.
#include "dataplane/net/checksum.h"
#include "tests/unit/support/packet_builder.h"

#include <catch2/catch.hpp>
#include <random>

namespace ringcast::test {

using namespace ringcast::net;

TEST_CASE("checksum of the RFC 1071 §3 example", "[net][checksum]") {
    const Bytes data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(checksum_fold(checksum_add(0, data.data(), data.size())) == 0xddf2);
    CHECK(checksum_finish(checksum_add(0, data.data(), data.size())) == 0x220d);
}

TEST_CASE("checksum_add matches the reference at every length and alignment", "[net][checksum]") {
    std::mt19937 rng(1071);
    Bytes buffer(1600);
    for (auto& b : buffer)
        b = static_cast<uint8_t>(rng());
    for (size_t offset = 0; offset < 8; offset += 2) {
        for (size_t length = 0; length < 80; ++length) {
            INFO("offset " << offset << " length " << length);
            const Bytes part = slice(buffer, offset, length);
            CHECK(checksum_fold(checksum_add(0, buffer.data() + offset, length)) ==
                  reference_sum(part));
        }
    }
    // Whole MTUs, odd and even.
    for (size_t length : {1499u, 1500u, 1514u, 1600u}) {
        CHECK(checksum_fold(checksum_add(0, buffer.data(), length)) ==
              reference_sum(slice(buffer, 0, length)));
    }
}

TEST_CASE("checksum_add_short equals checksum_add at every short length and alignment",
          "[net][checksum]") {
    std::mt19937 rng(791);
    Bytes buffer(128);
    for (auto& b : buffer)
        b = static_cast<uint8_t>(rng());
    const Bytes ones(64, 0xff);
    for (size_t offset = 0; offset < 8; offset += 2) {
        for (size_t length = 0; length <= 64; ++length) {
            INFO("offset " << offset << " length " << length);
            CHECK(checksum_add_short(0x1234, buffer.data() + offset, length) ==
                  checksum_add(0x1234, buffer.data() + offset, length));
            // All ones: the 0xffff / 0x0000 ambiguity of the ones-complement fold.
            CHECK(checksum_add_short(0, ones.data(), length) ==
                  checksum_add(0, ones.data(), length));
        }
    }
}

TEST_CASE("checksum_add continues a running sum", "[net][checksum]") {
    const Bytes data{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const uint32_t split = checksum_add(checksum_add(0, data.data(), 4), data.data() + 4, 6);
    CHECK(checksum_fold(split) == reference_sum(data));
    CHECK(checksum_fold(checksum_add(0x1234, data.data(), data.size())) ==
          reference_sum(data, 0x1234));
}

TEST_CASE("all-ones data folds to all ones and verifies", "[net][checksum]") {
    const Bytes data(64, 0xff);
    CHECK(checksum_verifies(checksum_add(0, data.data(), data.size())));
    const Bytes zeros(64, 0);
    CHECK_FALSE(checksum_verifies(checksum_add(0, zeros.data(), zeros.size())));
}

TEST_CASE("pseudo-header sums match RFC 768 and RFC 8200 §8.1 layouts", "[net][checksum]") {
    const Ip4 s4 = ip4("198.51.100.7"), d4 = ip4("192.0.2.53");
    const uint32_t a4 = checksum_add(checksum_add(0, s4.data(), 4), d4.data(), 4);
    CHECK(checksum_fold(pseudo_header_sum(a4, 17, 42)) ==
          reference_pseudo_sum(Bytes(s4.begin(), s4.end()), Bytes(d4.begin(), d4.end()), 17, 42));

    const Ip6 s6 = ip6("2001:db8:1::7"), d6 = ip6("2001:db8::53");
    const uint32_t a6 = checksum_add(checksum_add(0, s6.data(), 16), d6.data(), 16);
    CHECK(checksum_fold(pseudo_header_sum(a6, 58, 1232)) ==
          reference_pseudo_sum(Bytes(s6.begin(), s6.end()), Bytes(d6.begin(), d6.end()), 58, 1232));
}

TEST_CASE("incremental update (RFC 1624) equals recomputation", "[net][checksum]") {
    std::mt19937 rng(1624);
    for (int round = 0; round < 2000; ++round) {
        Bytes data(32);
        for (auto& b : data)
            b = static_cast<uint8_t>(rng());
        if (round % 7 == 0) std::fill(data.begin() + 2, data.end(), 0); // near-zero sums
        const uint16_t before = reference_checksum(data);
        const uint16_t old_word = get16(data, 0);
        const uint16_t new_word = static_cast<uint16_t>(rng());
        set16(data, 0, new_word);
        const uint16_t updated = checksum_adjust(before, old_word, new_word);
        // Both zero representations are the same ones-complement number; the update must
        // still verify, and equal a recomputation except for that ambiguity.
        data.push_back(static_cast<uint8_t>(updated >> 8));
        data.push_back(static_cast<uint8_t>(updated));
        INFO("round " << round);
        CHECK(reference_sum(data) == 0xffff);
    }
}

TEST_CASE("incremental update: the RFC 1624 §4 example", "[net][checksum]") {
    // HC 0xdd2f, a word changes from 0x5555 to 0x3285: eqn. 3 gives 0x0000 where RFC 1141's
    // eqn. 2 gave the wrong 0xffff.
    CHECK(checksum_adjust(0xdd2f, 0x5555, 0x3285) == 0x0000);
}

} // namespace ringcast::test
