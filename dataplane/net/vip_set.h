// The anycast VIPs this dataplane answers for: the only addresses it owns.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ringcast::net {

inline constexpr size_t kMaxVipsPerFamily = 32;

using Ipv6Address = std::array<uint8_t, 16>;

// A small fixed set searched linearly: a PoP has a handful of VIPs, and a scan of a few
// cache-resident words beats hashing at that size.
struct VipSet {
    std::array<uint32_t, kMaxVipsPerFamily> v4{}; // network byte order
    std::array<Ipv6Address, kMaxVipsPerFamily> v6{};
    uint8_t v4_count = 0;
    uint8_t v6_count = 0;

    bool add_v4(uint32_t address_be) {
        if (v4_count == kMaxVipsPerFamily) return false;
        v4[v4_count++] = address_be;
        return true;
    }
    bool add_v6(const uint8_t* address) {
        if (v6_count == kMaxVipsPerFamily) return false;
        std::memcpy(v6[v6_count++].data(), address, 16);
        return true;
    }
    bool has_v4(uint32_t address_be) const {
        for (size_t i = 0; i < v4_count; ++i)
            if (v4[i] == address_be) return true;
        return false;
    }
    bool has_v6(const uint8_t* address) const {
        for (size_t i = 0; i < v6_count; ++i)
            if (std::memcmp(v6[i].data(), address, 16) == 0) return true;
        return false;
    }
    // RFC 4291 §2.7.1: ff02::1:ffXX:XXXX, matching the low 24 bits of some VIP.
    bool is_solicited_node_group_of_vip(const uint8_t* address) const {
        static constexpr uint8_t kPrefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
        if (std::memcmp(address, kPrefix, sizeof(kPrefix)) != 0) return false;
        for (size_t i = 0; i < v6_count; ++i)
            if (std::memcmp(v6[i].data() + 13, address + 13, 3) == 0) return true;
        return false;
    }
};

} // namespace ringcast::net
