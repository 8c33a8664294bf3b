#include "dataplane/tcp/seq.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp {

TEST_CASE("sequence numbers compare modulo 2^32 across the wrap", "[tcp][seq]") {
    const Seq before(0xfffffff0u);
    const Seq after = before + 0x20; // wrapped to 0x10
    CHECK(after.raw() == 0x10u);
    CHECK(before < after);
    CHECK(after > before);
    CHECK(after - before == 0x20);
    CHECK(before - after == -0x20);
    CHECK(seq_max(before, after) == after);
    CHECK(seq_min(before, after) == before);
    CHECK(before <= before);
    CHECK_FALSE(before < before);
}

TEST_CASE("the window test is half-open and wraps", "[tcp][seq]") {
    const Seq begin(0xffffff00u);
    CHECK(in_window(begin, begin, 1));
    CHECK_FALSE(in_window(begin, begin, 0));
    CHECK(in_window(begin + 0x1ff, begin, 0x200));
    CHECK_FALSE(in_window(begin + 0x200, begin, 0x200));
    CHECK_FALSE(in_window(begin - 1, begin, 0x200));
}

} // namespace ringcast::tcp
