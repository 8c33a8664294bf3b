#include "dataplane/tcp/options.h"

#include <catch2/catch.hpp>
#include <vector>

namespace ringcast::tcp {

TEST_CASE("a Linux SYN's options parse", "[tcp][options]") {
    // MSS 1460, SACK-permitted, timestamps 0x01020304/0, NOP, window scale 7.
    const std::vector<uint8_t> syn = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2,
                                      3, 4, 0,    0,    0, 0, 1, 3,  3, 7};
    Options o;
    REQUIRE(parse_options(syn.data(), syn.size(), o));
    CHECK(o.has_mss);
    CHECK(o.mss == 1460);
    CHECK(o.sack_permitted);
    CHECK(o.has_timestamps);
    CHECK(o.ts_value == 0x01020304u);
    CHECK(o.ts_echo == 0);
    CHECK(o.has_window_scale);
    CHECK(o.window_scale == 7);
}

TEST_CASE("malformed option lists are refused, unknown options skipped", "[tcp][options]") {
    Options o;
    const std::vector<uint8_t> zero_length = {30, 0, 1, 1};
    CHECK_FALSE(parse_options(zero_length.data(), zero_length.size(), o));
    const std::vector<uint8_t> past_end = {2, 4, 0x05};
    CHECK_FALSE(parse_options(past_end.data(), past_end.size(), o));
    const std::vector<uint8_t> kind_only = {1, 1, 2};
    CHECK_FALSE(parse_options(kind_only.data(), kind_only.size(), o));
    const std::vector<uint8_t> bad_mss_length = {2, 3, 5, 1};
    CHECK_FALSE(parse_options(bad_mss_length.data(), bad_mss_length.size(), o));
    const std::vector<uint8_t> unknown = {254, 4, 0xaa, 0xbb, 2, 4, 0x02, 0x18};
    REQUIRE(parse_options(unknown.data(), unknown.size(), o));
    CHECK(o.mss == 536);
    // After end-of-list, the rest is padding and not read.
    const std::vector<uint8_t> ended = {0, 2, 0};
    CHECK(parse_options(ended.data(), ended.size(), o));
    CHECK_FALSE(o.has_mss);
}

TEST_CASE("a window scale above 14 is taken as 14 (RFC 7323 §2.3)", "[tcp][options]") {
    const std::vector<uint8_t> big = {3, 3, 20, 0};
    Options o;
    REQUIRE(parse_options(big.data(), big.size(), o));
    CHECK(o.window_scale == kMaxWindowScale);
}

TEST_CASE("SYN-ACK options round-trip through the parser", "[tcp][options]") {
    SynAckOptions out{1440, true, 0, true, 0xabcdef01u, 0x11223344u};
    uint8_t buffer[kMaxOptionsLength];
    const size_t n = write_syn_ack_options(out, buffer);
    CHECK(n % 4 == 0);
    CHECK(n == 4 + 4 + 12);
    Options o;
    REQUIRE(parse_options(buffer, n, o));
    CHECK(o.mss == 1440);
    CHECK(o.has_window_scale);
    CHECK(o.window_scale == 0);
    CHECK_FALSE(o.sack_permitted);
    CHECK(o.ts_value == 0xabcdef01u);
    CHECK(o.ts_echo == 0x11223344u);

    const size_t minimal = write_syn_ack_options({536, false, 0, false, 0, 0}, buffer);
    CHECK(minimal == 4);
}

} // namespace ringcast::tcp
