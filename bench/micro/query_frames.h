// The query mix as the dataplane receives it: one Ethernet/IPv4/UDP/DNS frame per line of the
// generator's queries.tsv (bench/gen_zone.py), checksums complete as a NIC would deliver them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ringcast::bench {

enum class Category : uint8_t { kPositive, kNxdomain, kReferral, kNodata, kCount };
inline constexpr size_t kCategoryCount = static_cast<size_t>(Category::kCount);
const char* category_name(Category c);

// Addresses of the synthetic client and PoP (documentation ranges, never on a wire).
inline constexpr std::array<uint8_t, 6> kPortMac = {0x02, 0, 0, 0, 0, 0x01};
inline constexpr std::array<uint8_t, 6> kClientMac = {0x02, 0, 0, 0, 0, 0x99};
inline constexpr std::array<uint8_t, 4> kVip4 = {192, 0, 2, 53};
inline constexpr std::array<uint8_t, 4> kClient4 = {198, 51, 100, 7};

// Resolvers send EDNS (RFC 6891) with the flag-day 2020 buffer size; so does the mix.
inline constexpr uint16_t kEdnsUdpSize = 1232;

struct QueryFrame {
    Category category = Category::kPositive;
    std::vector<uint8_t> bytes; // the complete frame
};

// What every query of the mix carries: no OPT record, an OPT record (RFC 6891), or one with the
// DO bit, asking for DNSSEC records (RFC 3225).
enum class Edns : uint8_t { kNone, kPlain, kDnssecOk };

// Reads "category<TAB>name<TAB>type" lines. Returns false with `error` set on a bad line.
bool load_query_frames(const std::string& tsv_path, Edns edns, std::vector<QueryFrame>& out,
                       std::string& error);

} // namespace ringcast::bench
