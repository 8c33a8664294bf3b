#include "dataplane/http/range.h"

#include <catch2/catch.hpp>

namespace ringcast::http {
namespace {

using Kind = RangeResult::Kind;

struct Expect {
    Kind kind;
    uint64_t first = 0, last = 0;
};

void check(std::string_view range, uint64_t size, Expect e) {
    INFO("Range: " << range << " on " << size << " bytes");
    const RangeResult r = evaluate_range(range, size);
    CHECK(r.kind == e.kind);
    if (e.kind == Kind::kSatisfiable) {
        CHECK(r.first == e.first);
        CHECK(r.last == e.last);
    }
}

} // namespace

TEST_CASE("single byte ranges (RFC 9110 §14.1.2)", "[http][range]") {
    check("bytes=0-499", 10000, {Kind::kSatisfiable, 0, 499});
    check("bytes=500-999", 10000, {Kind::kSatisfiable, 500, 999});
    check("bytes=9500-", 10000, {Kind::kSatisfiable, 9500, 9999});
    check("bytes=-500", 10000, {Kind::kSatisfiable, 9500, 9999});
    check("bytes=0-0", 10000, {Kind::kSatisfiable, 0, 0});
    check("bytes=-1", 10000, {Kind::kSatisfiable, 9999, 9999});
    check("bytes=0-", 1, {Kind::kSatisfiable, 0, 0});
    // last-pos past the end is cut to the end; a suffix longer than the object is all of it.
    check("bytes=100-999999", 1000, {Kind::kSatisfiable, 100, 999});
    check("bytes=-5000", 1000, {Kind::kSatisfiable, 0, 999});
    check("bytes=0-99999999999999999999999", 1000, {Kind::kSatisfiable, 0, 999});
    check("bytes=-99999999999999999999999", 1000, {Kind::kSatisfiable, 0, 999});
    // The unit is case-insensitive; OWS and empty elements around the one range are allowed.
    check("Bytes=1-2", 10, {Kind::kSatisfiable, 1, 2});
    check("bytes= 1-2 ,", 10, {Kind::kSatisfiable, 1, 2});
    check("bytes=,1-2", 10, {Kind::kSatisfiable, 1, 2});
}

TEST_CASE("unsatisfiable ranges are 416", "[http][range]") {
    check("bytes=1000-", 1000, {Kind::kUnsatisfiable});
    check("bytes=1000-2000", 1000, {Kind::kUnsatisfiable});
    check("bytes=99999999999999999999999-", 1000, {Kind::kUnsatisfiable});
    check("bytes=-0", 1000, {Kind::kUnsatisfiable});
    check("bytes=0-0", 0, {Kind::kUnsatisfiable});
    check("bytes=0-", 0, {Kind::kUnsatisfiable});
    check("bytes=-0", 0, {Kind::kUnsatisfiable});
}

TEST_CASE("ranges this server does not honour are ignored: 200", "[http][range]") {
    check("", 1000, {Kind::kIgnore});
    check("bytes=0-1,3-4", 1000, {Kind::kIgnore});       // several
    check("bytes=0-1, 0-1", 1000, {Kind::kIgnore});      // several, even if equal
    check("bytes=0-1,2000-3000", 1000, {Kind::kIgnore}); // several, one unsatisfiable
    check("items=0-1", 1000, {Kind::kIgnore});           // another unit
    check("bytes 0-1", 1000, {Kind::kIgnore});
    check("bytes=", 1000, {Kind::kIgnore});
    check("bytes=-", 1000, {Kind::kIgnore});
    check("bytes=1", 1000, {Kind::kIgnore});
    check("bytes=5-1", 1000, {Kind::kIgnore}); // last < first
    check("bytes=a-b", 1000, {Kind::kIgnore});
    check("bytes=1-2x", 1000, {Kind::kIgnore});
    check("bytes=-1-2", 1000, {Kind::kIgnore});
    check("bytes=+1-2", 1000, {Kind::kIgnore});
    check("bytes =0-1", 1000, {Kind::kIgnore});
    check("bytes=1 -2", 1000, {Kind::kIgnore});
    // A suffix range on an empty object is satisfiable but selects nothing: served whole.
    check("bytes=-5", 0, {Kind::kIgnore});
}

} // namespace ringcast::http
