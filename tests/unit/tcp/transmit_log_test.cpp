// The transmit log on its own: records appended in order, stamped on retransmission, trimmed
// by SND.UNA, the pipe counted, and a full ring refusing new bytes.
#include "dataplane/tcp/transmit_log.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp {

TEST_CASE("the transmit log tracks each segment's last send", "[tcp][rack]") {
    TransmitLog log;
    const Seq base{5000};
    REQUIRE(log.sent(base, 100, 10));
    REQUIRE(log.sent(base + 100, 100, 20));
    REQUIRE(log.size() == 2);
    CHECK(log.pipe_bytes() == 200);

    log.mark_undelivered_lost();
    CHECK(log.pipe_bytes() == 0);
    CHECK(log.lost_bytes() == 200);
    // Sending the second again stamps it, clears its loss and appends nothing.
    REQUIRE(log.sent(base + 100, 100, 30));
    CHECK(log.size() == 2);
    CHECK(log.at(1).xmit_us == 30);
    CHECK(log.at(1).has(TransmitRecord::kRetransmitted));
    CHECK_FALSE(log.at(1).has(TransmitRecord::kLost));
    CHECK(log.lost_bytes() == 100);

    // A cumulative ACK inside the first record trims it; past it, drops it.
    log.drop_below(base + 40);
    CHECK(log.at(0).begin == base + 40);
    CHECK(log.at(0).length == 60);
    log.drop_below(base + 100);
    CHECK(log.size() == 1);

    // A segment straddling the tracked end stamps the last record and appends the rest.
    REQUIRE(log.sent(base + 150, 100, 40));
    REQUIRE(log.size() == 2);
    CHECK(log.at(1).begin == base + 200);
    CHECK(log.at(1).length == 50);
}

TEST_CASE("a full transmit log refuses new bytes but still stamps old ones", "[tcp][rack]") {
    TransmitLog log;
    const Seq base{1};
    for (uint32_t i = 0; i < kMaxTrackedSegments; ++i)
        REQUIRE(log.sent(base + i * 10, 10, i));
    CHECK(log.full());
    CHECK_FALSE(log.sent(base + kMaxTrackedSegments * 10, 10, 99));
    CHECK(log.sent(base, 10, 100));
    CHECK(log.at(0).xmit_us == 100);
    log.drop_below(base + 10);
    CHECK(log.sent(base + kMaxTrackedSegments * 10, 10, 101));
    CHECK(log.size() == kMaxTrackedSegments);
}

} // namespace ringcast::tcp
