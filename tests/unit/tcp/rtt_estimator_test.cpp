#include "dataplane/tcp/rtt_estimator.h"

#include <catch2/catch.hpp>

namespace ringcast::tcp {

TEST_CASE("RFC 6298: initial RTO, first sample, later samples, backoff", "[tcp][rto]") {
    RttEstimator e;
    CHECK(e.rto_us() == kInitialRtoUs);
    e.sample(100'000); // §2.2: SRTT = R, RTTVAR = R/2, RTO = R + 4 * R/2 = 300 ms
    CHECK(e.srtt_us() == 100'000);
    CHECK(e.rto_us() == 300'000);
    e.sample(100'000); // RTTVAR = 3/4 * 50 ms; RTO = 100 + 4 * 37.5 = 250 ms
    CHECK(e.rto_us() == 250'000);
    e.back_off();
    CHECK(e.rto_us() == 500'000);
    for (int i = 0; i < 20; ++i)
        e.back_off();
    CHECK(e.rto_us() == kMaxRtoUs);
}

TEST_CASE("RTO never goes below the minimum on a short path", "[tcp][rto]") {
    RttEstimator e;
    for (int i = 0; i < 50; ++i)
        e.sample(50); // 50 us on a veth
    CHECK(e.rto_us() == kMinRtoUs);
}

} // namespace ringcast::tcp
