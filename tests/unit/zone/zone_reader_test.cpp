#include "controlplane/zone/rr_types.h"
#include "tests/unit/zone/zone_test_util.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace ringcast::zone;
using namespace ringcast::zone::test;

namespace {

const Record* find(const ParsedZone& zone, const std::string& owner, uint16_t type) {
    const auto name = wire(owner);
    for (const Record& r : zone.records)
        if (r.type == type && ringcast::dns::names_equal(zone.owner(r).data(), name.data()))
            return &r;
    return nullptr;
}

std::vector<uint8_t> owner_of(const ParsedZone& zone, const Record& r) {
    const auto owner = zone.owner(r);
    return {owner.begin(), owner.end()};
}

std::vector<uint8_t> rdata_of(const ParsedZone& zone, const Record& r) {
    const auto rdata = zone.rdata(r);
    return {rdata.begin(), rdata.end()};
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<uint8_t> text_rdata(std::initializer_list<std::string> strings) {
    std::vector<uint8_t> out;
    for (const auto& s : strings) {
        out.push_back(static_cast<uint8_t>(s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

struct FeaturesZone {
    ParsedZone zone;
    std::vector<Diagnostic> errors;
    bool ok;
    FeaturesZone() {
        ok = parse_zone_file(ZoneSource{"example.net", data_path("zones/good/features.zone")}, zone,
                             errors);
    }
};

} // namespace

TEST_CASE("features.zone parses cleanly") {
    FeaturesZone f;
    for (const auto& e : f.errors)
        UNSCOPED_INFO(e.to_string());
    REQUIRE(f.ok);
    CHECK(f.errors.empty());
    CHECK(f.zone.records.size() == 18);
    CHECK(f.zone.origin == wire("example.net.")); // normalised from "example.net"
    CHECK(f.zone.source.origin == "example.net.");
}

TEST_CASE("reader: parentheses span lines; the record keeps its first line") {
    FeaturesZone f;
    const Record* soa = find(f.zone, "example.net.", kTypeSoa);
    REQUIRE(soa != nullptr);
    CHECK(soa->line == 5); // opened on line 5, closed on line 8
    CHECK(ends_with(f.zone.file_of(*soa), "zones/good/features.zone"));
    // MNAME, RNAME, then serial 2026112102 ... minimum 300.
    const auto mname = wire("ns1.example.net."), rname = wire("hostmaster.example.net.");
    REQUIRE(f.zone.rdata(*soa).size() == mname.size() + rname.size() + 20);
    const uint8_t* fixed = f.zone.rdata(*soa).data() + mname.size() + rname.size();
    CHECK(((fixed[0] << 24) | (fixed[1] << 16) | (fixed[2] << 8) | fixed[3]) == 2026112102);
    CHECK(fixed[19] == 44); // 300 = 0x12c
    CHECK(soa->ttl == 7200);
    // The records after it, with their owner omitted, follow on their own lines.
    const Record* mx = find(f.zone, "example.net.", kTypeMx);
    REQUIRE(mx != nullptr);
    CHECK(mx->line == 11);
}

TEST_CASE("reader: $TTL, explicit TTLs and relative names") {
    FeaturesZone f;
    const Record* ns1 = find(f.zone, "ns1.example.net.", kTypeA);
    REQUIRE(ns1 != nullptr);
    CHECK(ns1->ttl == 7200);
    CHECK(ns1->line == 12);
    CHECK(rdata_of(f.zone, *ns1) == std::vector<uint8_t>{192, 0, 2, 53});
    const Record* ns2 = find(f.zone, "ns2.example.net.", kTypeAaaa);
    REQUIRE(ns2 != nullptr);
    CHECK(ns2->ttl == 300);
    // MX 10 mail: the relative target is completed with the origin.
    const Record* mx = find(f.zone, "example.net.", kTypeMx);
    auto expected = std::vector<uint8_t>{0, 10};
    const auto mail = wire("mail.example.net.");
    expected.insert(expected.end(), mail.begin(), mail.end());
    CHECK(rdata_of(f.zone, *mx) == expected);
}

TEST_CASE("reader: escapes in owners and quoted strings") {
    FeaturesZone f;
    const Record* txt = find(f.zone, "escaped.example.net.", kTypeTxt);
    REQUIRE(txt != nullptr);
    CHECK(rdata_of(f.zone, *txt) == text_rdata({"quoted \"string\"", "plain.dot"}));
    // dot\046in\046label is ONE label holding two dots.
    const Record* a = find(f.zone, "dot\\.in\\.label.example.net.", kTypeA);
    REQUIRE(a != nullptr);
    CHECK(f.zone.owner(*a)[0] == 12);
    CHECK(find(f.zone, "dot.in.label.example.net.", kTypeA) == nullptr);
}

TEST_CASE("reader: RFC 3597 generic RDATA and unknown types") {
    FeaturesZone f;
    const Record* generic = find(f.zone, "generic.example.net.", 65280);
    REQUIRE(generic != nullptr);
    CHECK(rdata_of(f.zone, *generic) == std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef});
    const Record* a = find(f.zone, "generic-a.example.net.", kTypeA);
    REQUIRE(a != nullptr);
    CHECK(rdata_of(f.zone, *a) == std::vector<uint8_t>{192, 0, 2, 1});
}

TEST_CASE("reader: $INCLUDE with an origin; records name the included file") {
    FeaturesZone f;
    const Record* web = find(f.zone, "web.hosts.example.net.", kTypeA);
    REQUIRE(web != nullptr);
    CHECK(ends_with(f.zone.file_of(*web), "zones/good/features-hosts.inc"));
    CHECK(web->line == 3);
    CHECK(web->ttl == 60); // the included file's own $TTL
    const Record* aaaa = find(f.zone, "web.hosts.example.net.", kTypeAaaa);
    REQUIRE(aaaa != nullptr);
    CHECK(aaaa->line == 4);
    const Record* apex = find(f.zone, "hosts.example.net.", kTypeTxt);
    REQUIRE(apex != nullptr);
    CHECK(apex->line == 5);
    // RFC 1035 §5.1: the including file's origin and TTL are unchanged afterwards.
    const Record* after = find(f.zone, "after.example.net.", kTypeTxt);
    REQUIRE(after != nullptr);
    CHECK(after->ttl == 7200);
    CHECK(after->line == 20);
    CHECK(ends_with(f.zone.file_of(*after), "zones/good/features.zone"));
}

TEST_CASE("reader: default TTL is 3600 without $TTL") {
    auto t = parse_text("@ SOA ns1 hostmaster 1 2 3 4 5\nwww A 192.0.2.1\n");
    REQUIRE(t.ok);
    REQUIRE(t.zone.records.size() == 2);
    CHECK(t.zone.records[1].ttl == 3600);
    CHECK(t.zone.records[1].line == 2);
    CHECK(owner_of(t.zone, t.zone.records[1]) == wire("www.example.net."));
}

TEST_CASE("reader: the origin may be given without its final dot") {
    auto t = parse_text("www A 192.0.2.1\n", "Example.Net");
    REQUIRE(t.ok);
    CHECK(t.zone.origin == wire("example.net."));
    CHECK(owner_of(t.zone, t.zone.records.at(0)) == wire("www.example.net."));
}

TEST_CASE("reader: every syntax error is reported, and reading goes on") {
    auto t = parse_text("a A 192.0.2.1\n"
                        "b A 192.0.2.300\n"
                        "c A 192.0.2.3\n"
                        "d MX ten mail\n"
                        "e A 192.0.2.5\n");
    CHECK_FALSE(t.ok);
    REQUIRE(t.errors.size() == 2);
    CHECK(t.errors[0].file == "test.zone");
    CHECK(t.errors[0].line == 2);
    CHECK(t.errors[0].message == "invalid IPv4 address");
    CHECK(t.errors[1].line == 4);
    CHECK(t.errors[0].to_string() == "test.zone:2: invalid IPv4 address");
    CHECK(t.zone.records.size() == 3); // a, c and e
}

TEST_CASE("reader: only class IN") {
    auto t = parse_text("www CH TXT \"x\"\n");
    CHECK_FALSE(t.ok);
    REQUIRE(t.errors.size() == 1);
    CHECK(t.errors[0].line == 1);
}

TEST_CASE("reader: an unclosed parenthesis is fatal and reported") {
    auto t = parse_text("a TXT ( \"x\"\nb A 192.0.2.1\n");
    CHECK_FALSE(t.ok);
    REQUIRE(t.errors.size() == 1);
    CHECK(t.errors[0].message == "unclosed last multiline block");
}

TEST_CASE("reader: a missing file is a diagnostic at line 0") {
    ParsedZone zone;
    std::vector<Diagnostic> errors;
    CHECK_FALSE(
        parse_zone_file(ZoneSource{"example.net.", "/nonexistent/dir/zone.db"}, zone, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == "/nonexistent/dir/zone.db");
    CHECK(errors[0].line == 0);
    CHECK(errors[0].message == "cannot read zone file: No such file or directory");
    // A directory is not a zone file either.
    errors.clear();
    CHECK_FALSE(parse_zone_file(ZoneSource{"example.net.", data_path("zones")}, zone, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "cannot read zone file: not a regular file");
}

TEST_CASE("reader: an invalid origin is a diagnostic at line 0") {
    auto t = parse_text("www A 192.0.2.1\n", "bad..origin");
    CHECK_FALSE(t.ok);
    REQUIRE(t.errors.size() == 1);
    CHECK(t.errors[0].line == 0);
    CHECK(t.errors[0].message.find("invalid zone origin") != std::string::npos);
}

TEST_CASE("reader: a missing $INCLUDE file is reported on the $INCLUDE line") {
    ParsedZone zone;
    std::vector<Diagnostic> errors;
    const std::string path = data_path("zones/broken/syntax-bad-include.zone");
    CHECK_FALSE(parse_zone_file(ZoneSource{"example.net.", path}, zone, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == path);
    CHECK(errors[0].line == 7);
    // Shown as the operator would write it: relative to the including file's directory.
    CHECK(errors[0].message == "cannot read included file " + data_path("zones/broken/") +
                                   "does-not-exist.inc: No such file or directory");
}

TEST_CASE("reader: an error inside an $INCLUDEd file names that file") {
    ParsedZone zone;
    std::vector<Diagnostic> errors;
    const std::string path = data_path("zones/broken/syntax-include-error.zone");
    CHECK_FALSE(parse_zone_file(ZoneSource{"example.net.", path}, zone, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].file == data_path("zones/broken/included-with-error.inc"));
    CHECK(errors[0].line == 3);
    CHECK(errors[0].message == "invalid IPv4 address");
    // The good line of the included file and the line after the $INCLUDE were both read.
    CHECK(find(zone, "inc-ok.example.net.", kTypeA) != nullptr);
    CHECK(find(zone, "www.example.net.", kTypeA) != nullptr);
}

TEST_CASE("reader: a file including itself stops at the nesting limit") {
    char dir_template[] = "/tmp/ringcast-zone-test-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    const std::string dir = dir_template;
    const std::string path = dir + "/loop.zone";
    std::ofstream(path) << "$INCLUDE loop.zone\n";
    ParsedZone zone;
    std::vector<Diagnostic> errors;
    CHECK_FALSE(parse_zone_file(ZoneSource{"example.net.", path}, zone, errors));
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].line == 1);
    CHECK(errors[0].message.find("nested deeper than") != std::string::npos);
    std::remove(path.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("reader: a last line without a newline is read, on its own line") {
    auto t = parse_text("a A 192.0.2.1\n\n; comment\nb TXT ( \"x\"\n \"y\" )");
    REQUIRE(t.ok);
    REQUIRE(t.zone.records.size() == 2);
    CHECK(owner_of(t.zone, t.zone.records[1]) == wire("b.example.net."));
    CHECK(t.zone.records[1].line >= 4);
    CHECK(t.zone.records[1].line <= 5);
}
