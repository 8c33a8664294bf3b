// Wire layouts of the headers the pipeline parses and rewrites: Ethernet, ARP, IPv4, IPv6, UDP,
// ICMP echo, IPv6 neighbour discovery.
//
// Every multi-byte field is a Be16/Be32: a byte array in network order with alignment 1, so a
// header struct may sit at any offset in a frame (an IPv4 header after a 14-byte Ethernet header
// is only 2-byte aligned) without `packed` and without unaligned loads. A header may be viewed
// through `header_at<T>()` only after the caller has checked that sizeof(T) bytes are there.
#pragma once

#include "dataplane/net/pipeline.h"
#include "dataplane/net/vip_set.h"

#include <array>
#include <cstdint>
#include <type_traits>

namespace ringcast::net {

// A 16-bit field in network byte order.
struct Be16 {
    uint8_t raw[2];

    constexpr uint16_t get() const { return static_cast<uint16_t>(raw[0] << 8 | raw[1]); }
    constexpr void set(uint16_t value) {
        raw[0] = static_cast<uint8_t>(value >> 8);
        raw[1] = static_cast<uint8_t>(value);
    }
};

// A 32-bit field in network byte order.
struct Be32 {
    uint8_t raw[4];

    constexpr uint32_t get() const {
        return static_cast<uint32_t>(raw[0]) << 24 | static_cast<uint32_t>(raw[1]) << 16 |
               static_cast<uint32_t>(raw[2]) << 8 | raw[3];
    }
    constexpr void set(uint32_t value) {
        raw[0] = static_cast<uint8_t>(value >> 24);
        raw[1] = static_cast<uint8_t>(value >> 16);
        raw[2] = static_cast<uint8_t>(value >> 8);
        raw[3] = static_cast<uint8_t>(value);
    }
};

using Ipv4Address = std::array<uint8_t, 4>;

// ---- Ethernet (IEEE 802.3) ------------------------------------------------------------------

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86dd;

struct EthernetHeader {
    MacAddress dst;
    MacAddress src;
    Be16 ether_type;
};
static_assert(sizeof(EthernetHeader) == 14);

// ---- ARP for IPv4 over Ethernet (RFC 826) ---------------------------------------------------

inline constexpr uint16_t kArpHardwareEthernet = 1;
inline constexpr uint8_t kArpHardwareLength = 6;
inline constexpr uint8_t kArpProtocolLength = 4;
inline constexpr uint16_t kArpOpRequest = 1;
inline constexpr uint16_t kArpOpReply = 2;

struct ArpPacket {
    Be16 hardware_type;
    Be16 protocol_type;
    uint8_t hardware_length;
    uint8_t protocol_length;
    Be16 opcode;
    MacAddress sender_mac;
    Ipv4Address sender_ip;
    MacAddress target_mac;
    Ipv4Address target_ip;
};
static_assert(sizeof(ArpPacket) == 28);

// ---- IPv4 (RFC 791) -------------------------------------------------------------------------

inline constexpr uint8_t kIpProtoIcmp = 1;
inline constexpr uint8_t kIpProtoTcp = 6;
inline constexpr uint8_t kIpProtoUdp = 17;
inline constexpr uint8_t kIpProtoIcmp6 = 58;

inline constexpr uint8_t kIpv4Version = 4;
inline constexpr uint8_t kIpv4MinIhl = 5;     // in 32-bit words: a header without options
inline constexpr uint8_t kIpv4EcnMask = 0x03; // low two bits of the TOS byte (RFC 3168 §5)
inline constexpr uint16_t kIpv4FlagDontFragment = 0x4000;
inline constexpr uint16_t kIpv4FlagMoreFragments = 0x2000;
inline constexpr uint16_t kIpv4FragmentOffsetMask = 0x1fff;

struct Ipv4Header {
    uint8_t version_ihl;
    uint8_t tos;
    Be16 total_length;
    Be16 id;
    Be16 flags_fragment_offset;
    uint8_t ttl;
    uint8_t protocol;
    Be16 checksum;
    Ipv4Address src;
    Ipv4Address dst;

    uint8_t version() const { return version_ihl >> 4; }
    uint32_t header_length() const { return (version_ihl & 0x0fu) * 4u; }
};
static_assert(sizeof(Ipv4Header) == 20);

// ---- IPv6 (RFC 8200) ------------------------------------------------------------------------

inline constexpr uint8_t kIpv6Version = 6;
// The ECN bits of the traffic class in the first 32-bit word (RFC 3168 §5).
inline constexpr uint32_t kIpv6EcnMask = 0x00300000u;

struct Ipv6Header {
    Be32 version_class_flow;
    Be16 payload_length;
    uint8_t next_header;
    uint8_t hop_limit;
    Ipv6Address src;
    Ipv6Address dst;

    uint8_t version() const { return version_class_flow.raw[0] >> 4; }
};
static_assert(sizeof(Ipv6Header) == 40);

// ---- UDP (RFC 768) --------------------------------------------------------------------------

struct UdpHeader {
    Be16 src_port;
    Be16 dst_port;
    Be16 length; // header included
    Be16 checksum;
};
static_assert(sizeof(UdpHeader) == 8);

// ---- TCP (RFC 9293 §3.1) ---------------------------------------------------------------------

inline constexpr uint8_t kTcpMinDataOffset = 5; // in 32-bit words: a header without options

struct TcpHeader {
    Be16 src_port;
    Be16 dst_port;
    Be32 seq;
    Be32 ack;
    uint8_t data_offset_reserved; // data offset in the high 4 bits
    uint8_t flags;
    Be16 window;
    Be16 checksum;
    Be16 urgent;

    uint32_t header_length() const { return (data_offset_reserved >> 4) * 4u; }
};
static_assert(sizeof(TcpHeader) == 20);

// ---- ICMP echo (RFC 792) and ICMPv6 echo (RFC 4443 §4): the same 8-byte header --------------

inline constexpr uint8_t kIcmp4EchoReply = 0;
inline constexpr uint8_t kIcmp4EchoRequest = 8;
inline constexpr uint8_t kIcmp6EchoRequest = 128;
inline constexpr uint8_t kIcmp6EchoReply = 129;
inline constexpr uint8_t kIcmp6NeighbourSolicitation = 135;
inline constexpr uint8_t kIcmp6NeighbourAdvertisement = 136;

struct IcmpEchoHeader {
    uint8_t type;
    uint8_t code;
    Be16 checksum;
    Be16 identifier;
    Be16 sequence;
};
static_assert(sizeof(IcmpEchoHeader) == 8);

// The 16-bit word the type and code form, as the checksum sees it.
constexpr uint16_t icmp_type_code_word(uint8_t type, uint8_t code) {
    return static_cast<uint16_t>(type << 8 | code);
}

// The first four bytes every ICMPv6 message has (RFC 4443 §2.1).
struct Icmp6Header {
    uint8_t type;
    uint8_t code;
    Be16 checksum;
};
static_assert(sizeof(Icmp6Header) == 4);

// ---- Neighbour discovery (RFC 4861 §4.3, §4.4, §4.6.1) --------------------------------------

// Neighbour solicitation and advertisement share this layout; in a solicitation the flags word
// is reserved.
struct NdNeighbourMessage {
    uint8_t type;
    uint8_t code;
    Be16 checksum;
    Be32 flags;
    Ipv6Address target;
};
static_assert(sizeof(NdNeighbourMessage) == 24);

inline constexpr uint32_t kNdFlagRouter = 0x80000000u;
inline constexpr uint32_t kNdFlagSolicited = 0x40000000u;
inline constexpr uint32_t kNdFlagOverride = 0x20000000u;

inline constexpr uint8_t kNdOptionSourceLinkLayer = 1;
inline constexpr uint8_t kNdOptionTargetLinkLayer = 2;
inline constexpr uint32_t kNdOptionUnit = 8; // option lengths count 8-byte units

struct NdOptionHeader {
    uint8_t type;
    uint8_t length_units;
};
static_assert(sizeof(NdOptionHeader) == 2);

struct NdLinkLayerOption {
    uint8_t type;
    uint8_t length_units;
    MacAddress address;
};
static_assert(sizeof(NdLinkLayerOption) == kNdOptionUnit);

// ---- Viewing a header in a frame ------------------------------------------------------------

// Every field above is a byte or a byte array, so a header may be overlaid on any byte offset.
template <typename Header>
Header* header_at(uint8_t* bytes) {
    static_assert(alignof(Header) == 1 && std::is_trivially_copyable_v<Header>);
    return reinterpret_cast<Header*>(bytes);
}
template <typename Header>
const Header* header_at(const uint8_t* bytes) {
    static_assert(alignof(Header) == 1 && std::is_trivially_copyable_v<Header>);
    return reinterpret_cast<const Header*>(bytes);
}

} // namespace ringcast::net
