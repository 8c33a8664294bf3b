#include "controlplane/zone/rr_types.h"
#include "tests/unit/zone/zone_test_util.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace ringcast::zone;
using namespace ringcast::zone::test;

namespace {

// Semantic checks of a zone given as text; fails the test on a syntax error.
std::vector<Diagnostic> check_text(const std::string& text) {
    auto t = parse_text(text);
    for (const auto& e : t.errors)
        UNSCOPED_INFO(e.to_string());
    REQUIRE(t.ok);
    std::vector<Diagnostic> errors;
    const bool ok = check_zone(t.zone, errors);
    CHECK(ok == errors.empty());
    return errors;
}

CompileResult compile_fixture(const std::string& name) {
    return compile_zones({ZoneSource{"example.net.", data_path("zones/broken/" + name)}}, {});
}

bool has(const std::vector<Diagnostic>& errors, const std::string& file, uint64_t line,
         const std::string& message) {
    for (const auto& e : errors)
        if (e.file == file && e.line == line && e.message.find(message) != std::string::npos)
            return true;
    return false;
}

std::string dump(const std::vector<Diagnostic>& errors) {
    std::string out;
    for (const auto& e : errors)
        out += e.to_string() + "\n";
    return out;
}

} // namespace

// Table-driven over tests/data/zones/broken/EXPECTED, the list the integration tests use too:
// every fixture fails with exactly the error EXPECTED names, and produces no snapshot.
TEST_CASE("every broken fixture gives its EXPECTED error and no snapshot") {
    std::ifstream expected(data_path("zones/broken/EXPECTED"));
    REQUIRE(expected.good());
    std::string row;
    int fixtures = 0;
    while (std::getline(expected, row)) {
        if (row.empty() || row[0] == '#') continue;
        std::istringstream fields(row);
        std::string file, line, message;
        std::getline(fields, file, '\t');
        std::getline(fields, line, '\t');
        std::getline(fields, message);
        ++fixtures;
        const CompileResult result = compile_fixture(file);
        INFO(file << " gave:\n" << dump(result.errors));
        CHECK_FALSE(result.ok);
        CHECK(result.snapshot.empty());
        bool found = false;
        for (const auto& e : result.errors)
            found = found || (e.line == std::stoull(line) &&
                              e.to_string().find(":" + line + ": ") != std::string::npos &&
                              e.message.find(message) != std::string::npos);
        CHECK(found);
    }
    CHECK(fixtures == 13);
}

TEST_CASE("semantic fixtures: exact file, line and message, nothing else") {
    struct Case {
        const char* fixture;
        uint64_t line;
        const char* message;
    };
    const Case cases[] = {
        {"two-soa.zone", 7, "example.net. SOA: more than one SOA record at the zone apex"},
        {"no-soa.zone", 0, "missing SOA at the zone apex"},
        {"soa-not-at-apex.zone", 7, "sub.example.net. SOA: SOA record not at the zone apex"},
        {"no-apex-ns.zone", 0, "missing NS at the zone apex"},
        {"cname-and-other-data.zone", 8,
         "www.example.net. CNAME: CNAME beside other data (A) (RFC 1034 §3.6.2)"},
        {"multiple-cnames.zone", 8,
         "www.example.net. CNAME: more than one CNAME record (RFC 2181 §10.1)"},
        {"out-of-zone.zone", 7,
         "www.example.org. A: out-of-zone data, owner is not at or below example.net."},
        {"missing-glue.zone", 7,
         "sub.example.net. NS: missing glue, no A or AAAA for ns.sub.example.net. below a zone "
         "cut"},
    };
    for (const Case& c : cases) {
        const CompileResult result = compile_fixture(c.fixture);
        INFO(c.fixture << " gave:\n" << dump(result.errors));
        CHECK_FALSE(result.ok);
        CHECK(result.snapshot.empty());
        REQUIRE(result.errors.size() == 1);
        CHECK(result.errors[0].file == data_path(std::string("zones/broken/") + c.fixture));
        CHECK(result.errors[0].line == c.line);
        CHECK(result.errors[0].message == c.message);
    }
}

TEST_CASE("syntax errors: all collected, and no semantic checks on a half-read zone") {
    const CompileResult result = compile_fixture("syntax-bad-rdata.zone");
    const std::string file = data_path("zones/broken/syntax-bad-rdata.zone");
    INFO(dump(result.errors));
    CHECK_FALSE(result.ok);
    REQUIRE(result.errors.size() == 2);
    CHECK(has(result.errors, file, 7, "invalid IPv4 address"));
    CHECK(has(result.errors, file, 9, "invalid number"));
}

TEST_CASE("the demo zone and features.zone compile cleanly") {
    for (const std::string& path : {std::string(RINGCAST_SOURCE_ROOT) + "/zones/example.net.zone",
                                    data_path("zones/good/features.zone")}) {
        const CompileResult result = compile_zones({ZoneSource{"example.net.", path}}, {});
        INFO(path << "\n" << dump(result.errors));
        CHECK(result.ok);
        CHECK(result.errors.empty());
        CHECK_FALSE(result.snapshot.empty());
    }
}

TEST_CASE("errors of every zone are collected together") {
    const CompileResult result =
        compile_zones({ZoneSource{"example.net.", data_path("zones/broken/two-soa.zone")},
                       ZoneSource{"example.org.", data_path("zones/good/features.zone")},
                       ZoneSource{"example.net.", data_path("zones/broken/no-soa.zone")}},
                      {});
    INFO(dump(result.errors));
    CHECK_FALSE(result.ok);
    CHECK(result.snapshot.empty());
    CHECK(has(result.errors, data_path("zones/broken/two-soa.zone"), 7, "more than one SOA"));
    CHECK(has(result.errors, data_path("zones/broken/no-soa.zone"), 0, "missing SOA"));
    // features.zone loaded as example.org.: its explicit example.net. names are out of zone.
    CHECK(has(result.errors, data_path("zones/good/features.zone"), 5, "out-of-zone data"));
    // The same origin twice.
    CHECK(has(result.errors, data_path("zones/broken/no-soa.zone"), 0,
              "zone example.net. is already loaded from"));
    REQUIRE(result.zones.size() == 3);
    CHECK(result.zones[1].origin == "example.org.");
}

TEST_CASE("CNAME at the apex is CNAME beside other data") {
    const auto errors = check_text(kZoneHead + "@ IN CNAME elsewhere.example.org.\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 6);
    CHECK(errors[0].message ==
          "example.net. CNAME: CNAME beside other data (NS, SOA) (RFC 1034 §3.6.2)");
}

TEST_CASE("RRSIG and NSEC may sit beside a CNAME (RFC 4035 §2.5)") {
    CHECK(check_text(kZoneHead + "www CNAME ns1\n"
                                 "www NSEC zzz.example.net. CNAME RRSIG NSEC\n")
              .empty());
    CHECK(check_text(kZoneHead + "www CNAME ns1\nwww TXT \"x\"\n").size() == 1);
}

TEST_CASE("DNAME: one per owner, nothing below it, one name as RDATA (RFC 6672 §2.4)") {
    CHECK(check_text(kZoneHead + "old DNAME example.org.\nold TXT \"beside is fine\"\n").empty());
    const auto below = check_text(kZoneHead + "old DNAME example.org.\n"
                                              "a.b.old TXT \"occluded\"\n");
    REQUIRE(below.size() == 1);
    CHECK(below[0].line == 7);
    CHECK(below[0].message == "a.b.old.example.net. TXT: data below a DNAME (RFC 6672 §2.4)");
    const auto two = check_text(kZoneHead + "old DNAME example.org.\nold DNAME example.com.\n");
    REQUIRE(two.size() == 1);
    CHECK(two[0].message == "old.example.net. DNAME: more than one DNAME record (RFC 6672 §2.4)");
    const auto raw = check_text(kZoneHead + "old DNAME \\# 3 616263\n");
    REQUIRE(raw.size() == 1);
    CHECK(raw[0].message == "old.example.net. DNAME: malformed DNAME RDATA");
    // RFC 6672 §2.3: a CNAME owner has no other data, a DNAME included.
    CHECK(check_text(kZoneHead + "old DNAME example.org.\nold CNAME www\n").size() == 1);
}

TEST_CASE("identical records are merged, not reported (RFC 2181 §5)") {
    auto t = parse_text(kZoneHead + "www 300 A 192.0.2.1\n"
                                    "www 600 A 192.0.2.1\n"
                                    "WWW 900 A 192.0.2.2\n"
                                    "www CNAME ns1\n"
                                    "www CNAME ns1\n");
    REQUIRE(t.ok);
    std::vector<Diagnostic> errors;
    check_zone(t.zone, errors);
    // Only "beside other data"; the two identical CNAMEs are one record.
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 9);
    CHECK(errors[0].message.find("CNAME beside other data (A)") != std::string::npos);
}

TEST_CASE("TTL above 2^31-1 is refused (RFC 2181 §8)") {
    const auto errors = check_text(kZoneHead + "www 2147483648 A 192.0.2.1\n"
                                               "ok 2147483647 A 192.0.2.1\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 6);
    CHECK(errors[0].message ==
          "www.example.net. A: TTL 2147483648 is above 2147483647 (RFC 2181 §8)");
}

TEST_CASE("a name with more RRsets than a snapshot node counts is refused") {
    // 256 types at one name (RFC 3597 TYPEn for private-use types): the 256th is reported.
    std::string text = kZoneHead;
    for (int type = 65280; type < 65280 + 256; ++type)
        text += "many TYPE" + std::to_string(type) + " \\# 1 00\n";
    text += "few TYPE65280 \\# 1 00\n";
    const auto errors = check_text(text);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 6 + 255);
    CHECK(errors[0].message ==
          "many.example.net. TYPE65535: name has more than 255 RRsets (record types)");
}

TEST_CASE("glue: what needs it and what does not") {
    SECTION("glue present") {
        CHECK(check_text(kZoneHead + "sub NS ns.sub\nns.sub AAAA 2001:db8::1\n").empty());
    }
    SECTION("apex NS below a cut needs glue too") {
        const auto errors = check_text(kZoneHead + "@ NS ns.sub\nsub NS ns1\n");
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].line == 6);
        CHECK(errors[0].message.find("missing glue") != std::string::npos);
    }
    SECTION("a name server at the cut itself needs glue") {
        const auto errors = check_text(kZoneHead + "sub NS sub\n");
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].line == 6);
    }
    SECTION("sibling glue under another cut counts") {
        CHECK(check_text(kZoneHead + "a NS ns.b\nb NS ns.b\nns.b A 192.0.2.9\n").empty());
    }
    SECTION("out-of-zone or authoritative targets need no glue") {
        CHECK(check_text(kZoneHead + "sub NS ns.example.org.\nsub NS ns2\n").empty());
    }
    SECTION("NS records under a cut are occluded and not checked") {
        CHECK(check_text(kZoneHead + "sub NS ns1\ndeep.sub NS ns.deep.sub\n").empty());
    }
}

TEST_CASE("out-of-zone data is reported once, not also as a misplaced SOA") {
    const auto errors = check_text(kZoneHead + "example.org. SOA ns1 h 1 2 3 4 5\n");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 6);
    CHECK(errors[0].message.find("out-of-zone data") != std::string::npos);
}

TEST_CASE("RFC 3597 RDATA that does not fit an RFC 1035 type is refused") {
    const auto errors = check_text(kZoneHead + "bad NS \\# 3 616263\n"
                                               "bad2 MX \\# 2 000a\n"
                                               "ok NS \\# 1 00\n");
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].message == "bad.example.net. NS: malformed NS RDATA");
    CHECK(errors[1].line == 7);
}

TEST_CASE("diagnostics come out in file order whichever check found them") {
    const auto errors = check_text("$ORIGIN example.net.\n"
                                   "a.example.org. A 192.0.2.1\n"
                                   "www CNAME x\nwww A 192.0.2.1\n"
                                   "b.example.org. A 192.0.2.1\n");
    REQUIRE(errors.size() == 5);
    CHECK(errors[0].line == 0); // zone-wide first
    CHECK(errors[1].line == 0);
    CHECK(errors[2].line == 2);
    CHECK(errors[3].line == 3);
    CHECK(errors[4].line == 5);
}
