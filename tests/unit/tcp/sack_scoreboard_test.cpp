// The SACK scoreboard on sequence ranges: merging, its bound, RFC 6675 IsLost and NextSeg.
#include "dataplane/tcp/sack_scoreboard.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp {

TEST_CASE("SACKed ranges merge when they touch or overlap", "[tcp][sack]") {
    SackScoreboard board;
    CHECK(board.add(Seq(3000), Seq(4000)));
    CHECK(board.add(Seq(1000), Seq(2000)));
    CHECK(board.ranges() == 2);
    CHECK(board.add(Seq(2000), Seq(3000))); // fills the gap: one range
    CHECK(board.ranges() == 1);
    CHECK(board.sacked_bytes() == 3000);
    CHECK(board.add(Seq(500), Seq(5000))); // covers it all
    CHECK(board.ranges() == 1);
    CHECK(board.sacked_bytes() == 4500);
}

TEST_CASE("ranges across the sequence wrap", "[tcp][sack]") {
    SackScoreboard board;
    board.add(Seq(0xfffffc00u), Seq(0x400u));
    board.add(Seq(0x800u), Seq(0xc00u));
    CHECK(board.sacked_bytes() == 0x800 + 0x400);
    const auto hole = board.next_hole(Seq(0xfffff800u), Seq(0x1000u));
    REQUIRE(hole);
    CHECK(hole->begin == Seq(0xfffff800u));
    CHECK(hole->end == Seq(0xfffffc00u));
}

TEST_CASE("a full scoreboard forgets its highest range, never one below", "[tcp][sack]") {
    SackScoreboard board;
    for (uint32_t i = 0; i < kMaxSackRanges; ++i)
        REQUIRE(board.add(Seq(1000 + 200 * i), Seq(1100 + 200 * i)));
    const uint32_t before = board.sacked_bytes();
    CHECK_FALSE(board.add(Seq(100000), Seq(100100))); // would be the highest: not kept
    CHECK(board.sacked_bytes() == before);
    CHECK_FALSE(board.add(Seq(500), Seq(600))); // kept; the highest range goes
    CHECK(board.ranges() == kMaxSackRanges);
    CHECK(board.unsacked_bytes(Seq(500), Seq(600)) == 0);
    const Seq highest(1000 + 200 * (kMaxSackRanges - 1));
    CHECK(board.unsacked_bytes(highest, highest + 100) == 100);
}

TEST_CASE("SND.UNA moving up forgets what it covers", "[tcp][sack]") {
    SackScoreboard board;
    board.add(Seq(1000), Seq(2000));
    board.add(Seq(3000), Seq(4000));
    board.drop_below(Seq(1500));
    CHECK(board.sacked_bytes() == 1500);
    board.drop_below(Seq(2500));
    CHECK(board.ranges() == 1);
    board.drop_below(Seq(4000));
    CHECK(board.empty());
}

TEST_CASE("holes are the un-SACKed runs below a limit", "[tcp][sack]") {
    SackScoreboard board;
    const Seq una(1000);
    board.add(Seq(2000), Seq(3000));
    board.add(Seq(4000), Seq(5001));
    const auto first = board.next_hole(una, Seq(5001));
    REQUIRE(first);
    CHECK(first->begin == una);
    CHECK(first->end == Seq(2000));
    const auto second = board.next_hole(Seq(2000), Seq(3500));
    REQUIRE(second);
    CHECK(second->begin == Seq(3000));
    CHECK(second->end == Seq(3500)); // cut at the limit
    CHECK_FALSE(board.next_hole(Seq(4000), Seq(5001)));
    CHECK(board.unsacked_bytes(una, Seq(5001)) == 2000);
}

} // namespace ringcast::tcp
