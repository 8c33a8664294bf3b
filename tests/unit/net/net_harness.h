// Runs handle_frame on frames from the PacketBuilder, with one PoP's configuration, and checks
// replies with the builder's reference checksum (never with the code under test).
#pragma once

#include "dataplane/net/burst_prefetch.h"
#include "dataplane/net/pipeline.h"
#include "tests/unit/support/packet_builder.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <optional>

namespace ringcast::test {

// The PoP: one port, one VIP per family, and a client on the other side of the router.
inline const Mac kPortMac = mac("02:00:00:00:00:01");
inline const Mac kClientMac = mac("02:00:00:00:00:99"); // the router, in practice
inline const Mac kOtherMac = mac("02:00:00:00:00:42");
inline const Mac kBroadcastMac = mac("ff:ff:ff:ff:ff:ff");
inline const Ip4 kVip4 = ip4("192.0.2.53");
inline const Ip4 kClient4 = ip4("198.51.100.7");
inline const Ip4 kOther4 = ip4("192.0.2.99");
inline const Ip6 kVip6 = ip6("2001:db8::53");
inline const Ip6 kClient6 = ip6("2001:db8:1::7");
inline const Ip6 kOther6 = ip6("2001:db8::99");
inline const Ip6 kVip6SolicitedNode = ip6("ff02::1:ff00:53");
inline const Ip6 kUnspecified6 = ip6("::");

inline constexpr size_t kEthLen = 14;
inline constexpr size_t kIpv4Len = 20;
inline constexpr size_t kIpv6Len = 40;

struct NetHarness {
    net::PipelineConfig config;
    snapshot::View snapshot; // empty: enough for everything but DNS
    stats::LcoreCounters counters;
    net::TxOffloadRequest tx;
    net::RxChecksumStatus rx_checksum;
    uint32_t capacity = 2048; // a DPDK mbuf's default data room

    NetHarness() {
        config.port_mac = kPortMac;
        uint32_t v4;
        std::memcpy(&v4, kVip4.data(), sizeof(v4));
        config.vips.add_v4(v4);
        config.vips.add_v6(kVip6.data());
    }

    struct Outcome {
        net::Verdict verdict;
        Bytes frame; // the reply when kTransmit, else the buffer as the pipeline left it
    };

    // `read_ahead`: handled as a burst of one, with a BurstPrefetcher (on whatever the size of
    // `snapshot`, which must then be a DNS one) reading the frame ahead of handle_frame.
    Outcome run(const Bytes& in, bool read_ahead = false) {
        Bytes buffer(std::max<size_t>(capacity, in.size()), 0xee);
        std::copy(in.begin(), in.end(), buffer.begin());
        net::Frame frame;
        frame.data = buffer.data();
        frame.len = static_cast<uint32_t>(in.size());
        frame.capacity = capacity;
        frame.rx_checksum = rx_checksum;
        std::optional<net::BurstPrefetcher> prefetcher;
        if (read_ahead) {
            prefetcher.emplace(snapshot, 0);
            prefetcher->add(frame.data, frame.len);
            prefetcher->follow();
            frame.lookahead = prefetcher->lookahead(0);
        }
        const net::Verdict verdict = net::handle_frame(config, snapshot, counters, frame, tx);
        buffer.resize(frame.len);
        return {verdict, buffer};
    }

    uint64_t drops() const {
        return std::accumulate(counters.drop.begin(), counters.drop.end(), uint64_t{0});
    }
};

// ---- Checks on replies, with the builder's reference checksum --------------------------------

inline bool ipv4_header_checksum_ok(const Bytes& frame) {
    const size_t header = (frame.at(kEthLen) & 0x0f) * 4u;
    return reference_sum(slice(frame, kEthLen, header)) == 0xffff;
}

// The UDP, ICMP or ICMPv6 checksum of the frame's L4 message, pseudo-header included where the
// protocol has one.
inline bool l4_checksum_ok(const Bytes& frame) {
    const bool v6 = get16(frame, 12) == 0x86dd;
    if (v6) {
        const size_t l4 = kEthLen + kIpv6Len;
        const uint16_t length = get16(frame, kEthLen + 4);
        const uint32_t pseudo =
            reference_pseudo_sum(slice(frame, kEthLen + 8, 16), slice(frame, kEthLen + 24, 16),
                                 frame.at(kEthLen + 6), length);
        return reference_sum(slice(frame, l4, length), pseudo) == 0xffff;
    }
    const size_t header = (frame.at(kEthLen) & 0x0f) * 4u;
    const size_t l4 = kEthLen + header;
    const uint16_t length = static_cast<uint16_t>(get16(frame, kEthLen + 2) - header);
    const uint8_t protocol = frame.at(kEthLen + 9);
    const uint32_t pseudo =
        protocol == 1 ? 0
                      : reference_pseudo_sum(slice(frame, kEthLen + 12, 4),
                                             slice(frame, kEthLen + 16, 4), protocol, length);
    return reference_sum(slice(frame, l4, length), pseudo) == 0xffff;
}

} // namespace ringcast::test
