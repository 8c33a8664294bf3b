// The compile's memory limit ([zones] compile_memory_limit): a compile over it stops with an
// error naming the zone, the estimate and the limit, builds no snapshot, and leaves the zones
// served as they were.
#include "controlplane/zone/compile_pipeline.h"
#include "controlplane/zone/memory_budget.h"
#include "tests/unit/zone/zone_test_util.h"

#include <catch2/catch.hpp>
#include <string>

using namespace ringcast::zone;

namespace {

const std::string kDemoZone = std::string(RINGCAST_SOURCE_ROOT) + "/zones/example.net.zone";
const std::string kOtherZone = test::data_path("zones/good/roundtrip-example.com.zone");

CompileOutcome compile(uint64_t limit, ZoneSet base = {}, std::optional<size_t> only = {}) {
    CompileRequest request;
    request.sources = {ZoneSource{"example.net.", kDemoZone},
                       ZoneSource{"example.com.", kOtherZone}};
    request.memory_limit = limit;
    request.base = std::move(base);
    request.only = only;
    request.build.hash_seed = 1;
    request.build.created_unix = 1;
    return compile_zone_set(std::move(request));
}

bool has_error(const CompileOutcome& out, const std::string& text) {
    for (const Diagnostic& d : out.errors)
        if (d.message.find(text) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("memory budget: charges add up, over the limit is reported, with its message") {
    MemoryBudget budget(100);
    CHECK(budget.fits(100));
    CHECK_FALSE(budget.fits(101));
    CHECK(budget.charge(60));
    CHECK(budget.charge(40));
    CHECK_FALSE(budget.charge(1));
    CHECK(budget.used() == 101);
    CHECK(MemoryBudget(MemoryBudget::kNoLimit).charge(uint64_t{1} << 62));
    CHECK(budget.over_limit_message("example.net.", "reading", 3 << 20) ==
          "zone example.net.: reading needs about 3 MiB in all, above the compile memory limit "
          "of 1 MiB ([zones] compile_memory_limit)");
}

TEST_CASE("memory limit: a compile needing its peak passes at the peak, fails one byte under") {
    const CompileOutcome free = compile(MemoryBudget::kNoLimit);
    REQUIRE(free.ok);
    REQUIRE(free.memory_peak > free.snapshot.size()); // the snapshot is charged, and the zones
    const CompileOutcome at_peak = compile(free.memory_peak);
    CHECK(at_peak.ok);
    CHECK(at_peak.snapshot == free.snapshot);

    const CompileOutcome under = compile(free.memory_peak - 1);
    CHECK_FALSE(under.ok);
    CHECK(under.snapshot.empty());
    REQUIRE(under.errors.size() == 1);
    // The last step, the snapshot, is the one that does not fit; both zones are named.
    CHECK(under.errors[0].message.find("zone example.net., example.com.: building the snapshot "
                                       "needs about") == 0);
    CHECK(has_error(under, "above the compile memory limit of"));
}

TEST_CASE("memory limit: a zone far over the limit is refused before it is read, by name") {
    const CompileOutcome out = compile(1);
    CHECK_FALSE(out.ok);
    REQUIRE(out.errors.size() == 2); // each zone, both reported in one round
    CHECK(out.errors[0].file == kDemoZone);
    CHECK(out.errors[0].message.find("zone example.net.: reading needs about") == 0);
    CHECK(out.errors[1].message.find("zone example.com.: reading needs about") == 0);
    CHECK(out.memory_peak == 0); // nothing was read, nothing charged
}

TEST_CASE("memory limit: a reload-zone over the limit leaves the zones served as they were") {
    CompileOutcome served = compile(MemoryBudget::kNoLimit);
    REQUIRE(served.ok);
    const size_t records = served.zones.parsed[0].records.size();
    const CompileOutcome refused = compile(1, std::move(served.zones), 0);
    CHECK_FALSE(refused.ok);
    CHECK(has_error(refused, "zone example.net.: reading needs about"));
    REQUIRE(refused.zones.size() == 2);
    CHECK(refused.zones.parsed[0].records.size() == records);
    CHECK(refused.zones.info[1].summary.origin == "example.com.");
    CHECK(refused.replaced.size() == 0);
}
