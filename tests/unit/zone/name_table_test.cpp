// The compiler's interning table of names (controlplane/zone/name_table.h).
#include "controlplane/zone/name_table.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using ringcast::zone::NameTable;

namespace {

// "h<i>.example." in wire form: many names of the same length, as in a generated zone.
std::vector<uint8_t> host(uint32_t i) {
    std::vector<uint8_t> wire;
    for (const std::string& label : {"h" + std::to_string(i), std::string("example")}) {
        wire.push_back(static_cast<uint8_t>(label.size()));
        wire.insert(wire.end(), label.begin(), label.end());
    }
    wire.push_back(0);
    return wire;
}

} // namespace

TEST_CASE("name table: dense ids, found again after growing, absent names not found") {
    NameTable table; // the smallest table: grows many times
    constexpr uint32_t kNames = 50'000;
    for (uint32_t i = 0; i < kNames; ++i) {
        bool added = false;
        REQUIRE(table.insert(host(i), added) == i);
        REQUIRE(added);
    }
    CHECK(table.size() == kNames);
    for (uint32_t i = 0; i < kNames; ++i) {
        REQUIRE(table.find(host(i)) == i);
        bool added = true;
        REQUIRE(table.insert(host(i), added) == i);
        REQUIRE_FALSE(added);
        const auto name = table.name(i);
        REQUIRE(std::vector<uint8_t>(name.begin(), name.end()) == host(i));
    }
    for (uint32_t i = kNames; i < 2 * kNames; ++i)
        REQUIRE(table.find(host(i)) == NameTable::kNotFound);
    const std::vector<uint8_t> root{0};
    CHECK(table.find(root) == NameTable::kNotFound);
}

TEST_CASE("name table: a name longer than 255 bytes is refused") {
    NameTable table;
    bool added = false;
    CHECK_THROWS_AS(table.insert(std::vector<uint8_t>(256, 1), added), std::invalid_argument);
    CHECK(table.size() == 0);
}
