// The DNS limits both planes enforce, written once: names (RFC 1035 §2.3.4), UDP payload sizes
// (RFC 1035 §4.2.1, RFC 6891) and the PoP's name. Header-only with no dependencies, so the
// control plane's config loader and zone compiler include it as the dataplane does.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringcast::dns {

inline constexpr size_t kMaxNameLength = 255; // wire form, root label included
inline constexpr size_t kMaxLabelLength = 63;
// Labels of a name, the root not counted: 127 one-byte labels and the root make 255 bytes.
inline constexpr size_t kMaxLabels = 127;

inline constexpr uint16_t kClassicUdpPayload = 512;     // RFC 1035 §4.2.1, without EDNS
inline constexpr uint16_t kDefaultMaxUdpPayload = 1232; // DNS flag day 2020 recommendation
inline constexpr uint16_t kMaxUdpPayload = 4096;        // the most an operator may configure

// NSID (RFC 5001), CHAOS TXT id.server. and X-PoP carry it: one TXT string fits it comfortably.
inline constexpr size_t kMaxPopNameLength = 63;

} // namespace ringcast::dns
