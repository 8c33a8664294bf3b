#include "tests/unit/zone/zone_test_util.h"

#include <catch2/catch.hpp>

using namespace ringcast::zone;
using ringcast::zone::test::wire;

namespace {
std::vector<uint8_t> bytes(std::initializer_list<uint8_t> b) {
    return b;
}
} // namespace

TEST_CASE("from_presentation: absolute, relative-looking and root names") {
    const auto expected = bytes({7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'n', 'e', 't', 0});
    CHECK(wire("example.net.") == expected);
    CHECK(wire("example.net") == expected); // a missing final dot is added
    CHECK(wire(".") == bytes({0}));
}

TEST_CASE("from_presentation: escapes") {
    // \046 is '.', kept inside the label; \. likewise; \\ is a backslash.
    CHECK(wire("a\\046b.") == bytes({3, 'a', '.', 'b', 0}));
    CHECK(wire("a\\.b.") == bytes({3, 'a', '.', 'b', 0}));
    CHECK(wire("a\\\\.") == bytes({2, 'a', '\\', 0}));
    CHECK(wire("example\\.") == bytes({8, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 0}));
}

TEST_CASE("from_presentation: malformed names are refused with a reason") {
    std::vector<uint8_t> out;
    std::string error;
    CHECK_FALSE(dname::from_presentation("a..b.", out, error));
    CHECK(error == "empty label");
    CHECK_FALSE(dname::from_presentation("a\\256.", out, error));
    CHECK_FALSE(dname::from_presentation("a\\04", out, error));
    CHECK_FALSE(dname::from_presentation("", out, error));
    CHECK_FALSE(dname::from_presentation(std::string(64, 'a') + ".", out, error));
    CHECK(dname::from_presentation(std::string(63, 'a') + ".", out, error));
    std::string long_name;
    for (int i = 0; i < 5; ++i)
        long_name += std::string(60, 'a') + ".";
    CHECK_FALSE(dname::from_presentation(long_name, out, error));
}

TEST_CASE("to_presentation escapes specials and keeps case") {
    CHECK(dname::to_presentation(wire("Www.Example.net.")) == "Www.Example.net.");
    CHECK(dname::to_presentation(wire("a\\046b.example.")) == "a\\.b.example.");
    CHECK(dname::to_presentation(bytes({2, 'a', 0x07, 0})) == "a\\007.");
    CHECK(dname::to_presentation(bytes({0})) == ".");
    CHECK(dname::to_presentation(wire("*._sip-x.")) == "*._sip-x.");
}

TEST_CASE("parent views the name without its first label") {
    // The shared name functions are tested in tests/unit/dns/wire_name_test.cpp.
    const auto name = wire("a.b.example.net.");
    const auto up = dname::parent(name);
    CHECK(std::vector<uint8_t>(up.begin(), up.end()) == wire("b.example.net."));
    CHECK(dname::parent(up).data() == name.data() + 4);
}

TEST_CASE("normalize_origin accepts both spellings and lowercases") {
    std::vector<uint8_t> wire_form;
    std::string text, error;
    REQUIRE(normalize_origin("Example.NET", wire_form, text, error));
    CHECK(text == "example.net.");
    CHECK(wire_form == wire("example.net."));
    REQUIRE(normalize_origin("example.net.", wire_form, text, error));
    CHECK(text == "example.net.");
    CHECK_FALSE(normalize_origin("bad..origin", wire_form, text, error));
}
