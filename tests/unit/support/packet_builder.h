// A fluent builder of test frames, in the style of Katran's test packets:
//
//   Bytes frame = PacketBuilder()
//                     .eth(kClientMac, kPortMac)
//                     .ipv4(kClient4, kVip4)
//                     .udp(40000, 53)
//                     .payload(query)
//                     .build();
//
// Lengths and checksums are right by default; knobs override a field (the checksums that cover
// it are still computed over the overridden value, so a test exercises exactly one fault),
// corrupt a checksum, pad or truncate the frame. The builder computes checksums with its own
// naive RFC 1071 loop, independent of the code under test, and exposes it for checking replies.
#pragma once

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace ringcast::test {

using Bytes = std::vector<uint8_t>;
using Mac = std::array<uint8_t, 6>;
using Ip4 = std::array<uint8_t, 4>;
using Ip6 = std::array<uint8_t, 16>;

// ---- Addresses from text --------------------------------------------------------------------

inline Ip4 ip4(const char* text) {
    Ip4 a{};
    if (inet_pton(AF_INET, text, a.data()) != 1) throw std::invalid_argument(text);
    return a;
}

inline Ip6 ip6(const char* text) {
    Ip6 a{};
    if (inet_pton(AF_INET6, text, a.data()) != 1) throw std::invalid_argument(text);
    return a;
}

inline Mac mac(const char* text) {
    unsigned b[6];
    if (std::sscanf(text, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
        throw std::invalid_argument(text);
    Mac m{};
    for (size_t i = 0; i < m.size(); ++i)
        m[i] = static_cast<uint8_t>(b[i]);
    return m;
}

// ---- Byte helpers ---------------------------------------------------------------------------

inline void put16(Bytes& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v >> 8));
    out.push_back(static_cast<uint8_t>(v));
}

inline void set16(Bytes& out, size_t offset, uint16_t v) {
    out.at(offset) = static_cast<uint8_t>(v >> 8);
    out.at(offset + 1) = static_cast<uint8_t>(v);
}

inline uint16_t get16(const Bytes& in, size_t offset) {
    return static_cast<uint16_t>(in.at(offset) << 8 | in.at(offset + 1));
}

inline uint32_t get32(const Bytes& in, size_t offset) {
    return static_cast<uint32_t>(get16(in, offset)) << 16 | get16(in, offset + 2);
}

template <typename Range>
void append(Bytes& out, const Range& r) {
    out.insert(out.end(), r.begin(), r.end());
}

inline Bytes slice(const Bytes& in, size_t offset, size_t length) {
    return Bytes(in.begin() + static_cast<std::ptrdiff_t>(offset),
                 in.begin() + static_cast<std::ptrdiff_t>(offset + length));
}

// ---- Reference checksum (RFC 1071, one 16-bit word at a time) --------------------------------

// The folded ones-complement sum of `data` (odd length padded with a zero byte), added to
// `initial`.
inline uint32_t reference_sum(const Bytes& data, uint32_t initial = 0) {
    uint64_t sum = initial;
    for (size_t i = 0; i < data.size(); i += 2) {
        const uint32_t hi = data[i];
        const uint32_t lo = i + 1 < data.size() ? data[i + 1] : 0;
        sum += hi << 8 | lo;
    }
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint32_t>(sum);
}

inline uint16_t reference_checksum(const Bytes& data, uint32_t initial = 0) {
    return static_cast<uint16_t>(~reference_sum(data, initial));
}

// Sum of the IPv4 (RFC 768) or IPv6 (RFC 8200 §8.1) pseudo-header; `src`/`dst` are 4 or 16
// bytes.
inline uint32_t reference_pseudo_sum(const Bytes& src, const Bytes& dst, uint8_t protocol,
                                     uint32_t length) {
    Bytes pseudo = src;
    append(pseudo, dst);
    if (src.size() == 4) {
        pseudo.push_back(0);
        pseudo.push_back(protocol);
        put16(pseudo, static_cast<uint16_t>(length));
    } else {
        put16(pseudo, static_cast<uint16_t>(length >> 16));
        put16(pseudo, static_cast<uint16_t>(length));
        pseudo.insert(pseudo.end(), {0, 0, 0, protocol});
    }
    return reference_sum(pseudo);
}

// ---- The builder ----------------------------------------------------------------------------

// ARP packet fields (RFC 826), defaults for an Ethernet/IPv4 request.
struct ArpFields {
    uint16_t hardware_type = 1;
    uint16_t protocol_type = 0x0800;
    uint8_t hardware_length = 6;
    uint8_t protocol_length = 4;
    uint16_t opcode = 1;
    Mac sender_mac{};
    Ip4 sender_ip{};
    Mac target_mac{};
    Ip4 target_ip{};
};

class PacketBuilder {
  public:
    // ---- Layer 2
    PacketBuilder& eth(const Mac& src, const Mac& dst) {
        eth_src_ = src;
        eth_dst_ = dst;
        return *this;
    }
    PacketBuilder& ether_type(uint16_t type) {
        ether_type_ = type;
        return *this;
    }
    // An 802.1Q tag between the MAC addresses and the EtherType.
    PacketBuilder& vlan(uint16_t tci, uint16_t tpid = 0x8100) {
        vlan_ = std::pair{tpid, tci};
        return *this;
    }

    // ---- ARP
    PacketBuilder& arp(const ArpFields& fields) {
        l3_ = L3::kArp;
        arp_ = fields;
        return *this;
    }
    PacketBuilder& arp_request(const Mac& sender_mac, const Ip4& sender_ip, const Ip4& target_ip) {
        ArpFields f;
        f.sender_mac = sender_mac;
        f.sender_ip = sender_ip;
        f.target_ip = target_ip;
        return arp(f);
    }

    // ---- IPv4
    PacketBuilder& ipv4(const Ip4& src, const Ip4& dst) {
        l3_ = L3::kIpv4;
        src_.assign(src.begin(), src.end());
        dst_.assign(dst.begin(), dst.end());
        return *this;
    }
    PacketBuilder& ipv4_options(const Bytes& options) { // a multiple of 4 bytes
        ipv4_options_ = options;
        return *this;
    }
    PacketBuilder& ipv4_total_length(uint16_t length) {
        ip_length_ = length;
        return *this;
    }
    PacketBuilder& ipv4_ihl(uint8_t words) {
        ihl_ = words;
        return *this;
    }
    PacketBuilder& ipv4_flags_fragment(uint16_t value) {
        flags_fragment_ = value;
        return *this;
    }
    PacketBuilder& ipv4_id(uint16_t id) {
        ipv4_id_ = id;
        return *this;
    }
    PacketBuilder& tos(uint8_t tos) { // IPv4 TOS or IPv6 traffic class
        tos_ = tos;
        return *this;
    }
    PacketBuilder& corrupt_ipv4_checksum() {
        corrupt_ip_checksum_ = true;
        return *this;
    }

    // ---- IPv6
    PacketBuilder& ipv6(const Ip6& src, const Ip6& dst) {
        l3_ = L3::kIpv6;
        src_.assign(src.begin(), src.end());
        dst_.assign(dst.begin(), dst.end());
        return *this;
    }
    PacketBuilder& ipv6_payload_length(uint16_t length) {
        ip_length_ = length;
        return *this;
    }
    PacketBuilder& flow_label(uint32_t label) {
        flow_label_ = label & 0xfffff;
        return *this;
    }

    // ---- Both IP versions
    PacketBuilder& ip_version(uint8_t version) {
        ip_version_ = version;
        return *this;
    }
    PacketBuilder& ttl(uint8_t ttl) { // IPv4 TTL or IPv6 hop limit
        ttl_ = ttl;
        return *this;
    }
    // Protocol (IPv4) / next header (IPv6); L4 bytes are then the payload() as given.
    PacketBuilder& ip_protocol(uint8_t protocol) {
        protocol_ = protocol;
        return *this;
    }

    // ---- UDP
    PacketBuilder& udp(uint16_t src_port, uint16_t dst_port) {
        l4_ = L4::kUdp;
        src_port_ = src_port;
        dst_port_ = dst_port;
        return *this;
    }
    PacketBuilder& udp_length(uint16_t length) {
        udp_length_ = length;
        return *this;
    }
    PacketBuilder& udp_checksum(uint16_t value) { // e.g. 0: "no checksum"
        udp_checksum_ = value;
        return *this;
    }

    // ---- ICMP / ICMPv6 (the version follows the IP layer)
    // A message with this type and code, the 4-byte "rest of header" word, then payload().
    PacketBuilder& icmp(uint8_t type, uint8_t code, uint32_t rest = 0) {
        l4_ = L4::kIcmp;
        icmp_type_ = type;
        icmp_code_ = code;
        icmp_rest_ = rest;
        return *this;
    }
    // A whole ICMP/ICMPv6 message as given, of any length (even shorter than a header); only its
    // checksum (bytes 2-3, when there) is filled in.
    PacketBuilder& icmp_message(const Bytes& message) {
        l4_ = L4::kIcmpRaw;
        payload_ = message;
        return *this;
    }
    PacketBuilder& icmp4_echo(uint16_t id, uint16_t seq) {
        return icmp(8, 0, static_cast<uint32_t>(id) << 16 | seq);
    }
    PacketBuilder& icmp6_echo(uint16_t id, uint16_t seq) {
        return icmp(128, 0, static_cast<uint32_t>(id) << 16 | seq);
    }
    // RFC 4861 §4.3; options follow with nd_option()/nd_source_link_layer().
    PacketBuilder& neighbour_solicitation(const Ip6& target) {
        icmp(135, 0, 0);
        ttl_ = 255;
        icmp_body_.assign(target.begin(), target.end());
        return *this;
    }
    PacketBuilder& nd_option(const Bytes& option) {
        append(icmp_body_, option);
        return *this;
    }
    PacketBuilder& nd_source_link_layer(const Mac& address) {
        Bytes option{1, 1};
        append(option, address);
        return nd_option(option);
    }

    // ---- Any L4
    PacketBuilder& payload(const Bytes& bytes) {
        payload_ = bytes;
        return *this;
    }
    // UDP, ICMP or ICMPv6 checksum made wrong (never 0, which UDP/IPv4 reads as "none").
    PacketBuilder& corrupt_l4_checksum() {
        corrupt_l4_checksum_ = true;
        return *this;
    }

    // ---- The finished frame
    PacketBuilder& pad_to(size_t length) { // Ethernet padding, zeros
        pad_to_ = length;
        return *this;
    }
    PacketBuilder& truncate_to(size_t length) {
        truncate_to_ = length;
        return *this;
    }

    Bytes build() const {
        Bytes l4 = build_l4();
        Bytes l3 = build_l3(l4);
        Bytes frame;
        append(frame, eth_dst_);
        append(frame, eth_src_);
        if (vlan_) {
            put16(frame, vlan_->first);
            put16(frame, vlan_->second);
        }
        put16(frame, ether_type_.value_or(default_ether_type()));
        append(frame, l3);
        if (frame.size() < pad_to_) frame.resize(pad_to_, 0);
        if (truncate_to_ && frame.size() > *truncate_to_) frame.resize(*truncate_to_);
        return frame;
    }

  private:
    enum class L3 { kNone, kArp, kIpv4, kIpv6 };
    enum class L4 { kRaw, kUdp, kIcmp, kIcmpRaw };

    static uint16_t corrupt(uint16_t checksum) {
        return checksum == 0x1234 ? 0x4321 : 0x1234; // either is wrong for the other's data
    }

    uint16_t default_ether_type() const {
        switch (l3_) {
        case L3::kArp:
            return 0x0806;
        case L3::kIpv4:
            return 0x0800;
        case L3::kIpv6:
            return 0x86dd;
        default:
            return 0x88b5; // IEEE local experimental
        }
    }

    uint8_t protocol() const {
        if (protocol_) return *protocol_;
        switch (l4_) {
        case L4::kUdp:
            return 17;
        case L4::kIcmp:
        case L4::kIcmpRaw:
            return l3_ == L3::kIpv6 ? 58 : 1;
        default:
            return 253; // RFC 3692 experimentation
        }
    }

    Bytes build_l4() const {
        Bytes l4;
        switch (l4_) {
        case L4::kRaw:
            return payload_;
        case L4::kUdp: {
            const uint16_t length =
                udp_length_.value_or(static_cast<uint16_t>(8 + payload_.size()));
            put16(l4, src_port_);
            put16(l4, dst_port_);
            put16(l4, length);
            put16(l4, 0);
            append(l4, payload_);
            uint16_t checksum;
            if (udp_checksum_) {
                checksum = *udp_checksum_;
            } else {
                // Summed over the datagram the length field claims, as a sender would.
                Bytes covered = slice(l4, 0, std::min<size_t>(length, l4.size()));
                checksum =
                    reference_checksum(covered, reference_pseudo_sum(src_, dst_, 17, length));
                if (checksum == 0) checksum = 0xffff;
            }
            set16(l4, 6, corrupt_l4_checksum_ ? corrupt(checksum) : checksum);
            return l4;
        }
        case L4::kIcmp:
        case L4::kIcmpRaw: {
            if (l4_ == L4::kIcmp) {
                l4.push_back(icmp_type_);
                l4.push_back(icmp_code_);
                put16(l4, 0);
                put16(l4, static_cast<uint16_t>(icmp_rest_ >> 16));
                put16(l4, static_cast<uint16_t>(icmp_rest_));
                append(l4, icmp_body_);
                append(l4, payload_);
            } else {
                l4 = payload_;
                if (l4.size() < 4) return l4;
                set16(l4, 2, 0);
            }
            const uint32_t pseudo =
                l3_ == L3::kIpv6
                    ? reference_pseudo_sum(src_, dst_, 58, static_cast<uint32_t>(l4.size()))
                    : 0;
            const uint16_t checksum = reference_checksum(l4, pseudo);
            set16(l4, 2, corrupt_l4_checksum_ ? corrupt(checksum) : checksum);
            return l4;
        }
        }
        return l4;
    }

    Bytes build_l3(const Bytes& l4) const {
        Bytes l3;
        switch (l3_) {
        case L3::kNone:
            return l4;
        case L3::kArp:
            put16(l3, arp_.hardware_type);
            put16(l3, arp_.protocol_type);
            l3.push_back(arp_.hardware_length);
            l3.push_back(arp_.protocol_length);
            put16(l3, arp_.opcode);
            append(l3, arp_.sender_mac);
            append(l3, arp_.sender_ip);
            append(l3, arp_.target_mac);
            append(l3, arp_.target_ip);
            return l3;
        case L3::kIpv4: {
            const size_t header = 20 + ipv4_options_.size();
            const uint8_t ihl = ihl_.value_or(static_cast<uint8_t>(header / 4));
            l3.push_back(static_cast<uint8_t>(ip_version_.value_or(4) << 4 | (ihl & 0x0f)));
            l3.push_back(tos_);
            put16(l3, ip_length_.value_or(static_cast<uint16_t>(header + l4.size())));
            put16(l3, ipv4_id_);
            put16(l3, flags_fragment_);
            l3.push_back(ttl_.value_or(64));
            l3.push_back(protocol());
            put16(l3, 0);
            append(l3, src_);
            append(l3, dst_);
            append(l3, ipv4_options_);
            const uint16_t checksum = reference_checksum(l3);
            set16(l3, 10, corrupt_ip_checksum_ ? corrupt(checksum) : checksum);
            append(l3, l4);
            return l3;
        }
        case L3::kIpv6: {
            const uint32_t first = static_cast<uint32_t>(ip_version_.value_or(6)) << 28 |
                                   static_cast<uint32_t>(tos_) << 20 | flow_label_;
            put16(l3, static_cast<uint16_t>(first >> 16));
            put16(l3, static_cast<uint16_t>(first));
            put16(l3, ip_length_.value_or(static_cast<uint16_t>(l4.size())));
            l3.push_back(protocol());
            l3.push_back(ttl_.value_or(64));
            append(l3, src_);
            append(l3, dst_);
            append(l3, l4);
            return l3;
        }
        }
        return l3;
    }

    Mac eth_src_{};
    Mac eth_dst_{};
    std::optional<uint16_t> ether_type_;
    std::optional<std::pair<uint16_t, uint16_t>> vlan_;
    L3 l3_ = L3::kNone;
    ArpFields arp_;
    Bytes src_, dst_;
    Bytes ipv4_options_;
    std::optional<uint16_t> ip_length_;
    std::optional<uint8_t> ihl_;
    std::optional<uint8_t> ip_version_;
    std::optional<uint8_t> ttl_;
    std::optional<uint8_t> protocol_;
    uint16_t flags_fragment_ = 0;
    uint16_t ipv4_id_ = 0x1234;
    uint8_t tos_ = 0;
    uint32_t flow_label_ = 0;
    bool corrupt_ip_checksum_ = false;
    L4 l4_ = L4::kRaw;
    uint16_t src_port_ = 0, dst_port_ = 0;
    std::optional<uint16_t> udp_length_;
    std::optional<uint16_t> udp_checksum_;
    uint8_t icmp_type_ = 0, icmp_code_ = 0;
    uint32_t icmp_rest_ = 0;
    Bytes icmp_body_;
    bool corrupt_l4_checksum_ = false;
    Bytes payload_;
    size_t pad_to_ = 0;
    std::optional<size_t> truncate_to_;
};

} // namespace ringcast::test
