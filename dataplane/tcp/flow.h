// A TCP connection's identity seen from this server: the VIP and port it was sent to, and the
// peer's address and port. IPv4 addresses sit in the first 4 bytes, the rest zero.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace ringcast::tcp {

struct FlowKey {
    std::array<uint8_t, 16> local{};
    std::array<uint8_t, 16> peer{};
    uint16_t local_port = 0;
    uint16_t peer_port = 0;
    bool ipv6 = false;

    bool operator==(const FlowKey&) const = default;

    // The bytes a keyed hash covers: both addresses, both ports, the family.
    static constexpr size_t kHashInputLength = 16 + 16 + 2 + 2 + 1;
    void hash_input(uint8_t* out) const {
        std::memcpy(out, local.data(), 16);
        std::memcpy(out + 16, peer.data(), 16);
        std::memcpy(out + 32, &local_port, 2);
        std::memcpy(out + 34, &peer_port, 2);
        out[36] = ipv6 ? 6 : 4;
    }
};

// Where a connection's segments go back to, below IP: the port it arrived on and the peer's
// (or its router's) MAC. Not part of the identity; kept so timer-driven segments can be sent.
struct Link {
    std::array<uint8_t, 6> peer_mac{};
    uint16_t port = 0;
};

} // namespace ringcast::tcp
