#include "controlplane/ringcastctl/check_zone.h"
#include "controlplane/ringcastctl/commands.h"
#include "tests/unit/support/ringcastctl_run.h"
#include "tests/unit/zone/zone_test_util.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace ringcast::ctl;
using ringcast::ctl::test::ctl;
using ringcast::ctl::test::Run;
using ringcast::zone::test::data_path;

namespace {

Run check(const std::string& file, const std::string& origin) {
    std::ostringstream out, err;
    const int code = check_zone(file, origin, out, err);
    return {code, out.str(), err.str()};
}

} // namespace

TEST_CASE("check-zone: a clean zone is one summary line on stdout, exit 0") {
    const std::string demo = std::string(RINGCAST_SOURCE_ROOT) + "/zones/example.net.zone";
    const Run r = check(demo, "example.net");
    CHECK(r.code == kExitOk);
    CHECK(r.err.empty());
    CHECK(r.out == "example.net.: OK, serial 2026112101, 24 records, 14 names (" + demo + ")\n");
}

TEST_CASE("check-zone: errors on stderr as file:line: message, then a count, exit 1") {
    const std::string file = data_path("zones/broken/syntax-bad-rdata.zone");
    const Run r = check(file, "example.net.");
    CHECK(r.code == kExitFailure);
    CHECK(r.out.empty());
    CHECK(r.err == file + ":7: invalid IPv4 address\n" + file + ":9: invalid number\n" +
                       "example.net.: 2 errors\n");
}

TEST_CASE("check-zone: one error is \"1 error\"") {
    const std::string file = data_path("zones/broken/no-soa.zone");
    const Run r = check(file, "example.net.");
    CHECK(r.code == kExitFailure);
    CHECK(r.err == file + ":0: missing SOA at the zone apex\nexample.net.: 1 error\n");
}

TEST_CASE("check-zone: a missing file names the file") {
    const Run r = check("/nonexistent/does-not-exist.zone", "example.net.");
    CHECK(r.code == kExitFailure);
    CHECK(r.err.find("/nonexistent/does-not-exist.zone:0: cannot read zone file") == 0);
}

TEST_CASE("ringcastctl: usage errors exit 2, help exits 0") {
    CHECK(ctl({}).code == kExitUsage);
    CHECK(ctl({"check-zone"}).code == kExitUsage);
    CHECK(ctl({"check-zone", "a.zone"}).code == kExitUsage);
    CHECK(ctl({"check-zone", "a.zone", "example.net.", "extra"}).code == kExitUsage);
    CHECK(ctl({"no-such-command"}).code == kExitUsage);
    const Run help = ctl({"--help"});
    CHECK(help.code == kExitOk);
    CHECK(help.out.find("check-zone") != std::string::npos);
}

TEST_CASE("ringcastctl: check-zone is dispatched through the command table") {
    const std::string file = data_path("zones/good/features.zone");
    const Run r = ctl({"check-zone", file.c_str(), "example.net."});
    CHECK(r.code == kExitOk);
    CHECK(r.out == "example.net.: OK, serial 2026112102, 18 records, 14 names (" + file + ")\n");
}
