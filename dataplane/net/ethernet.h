// Ethernet addressing: which destination MACs the port accepts, and addressing a reply.
#pragma once

#include "dataplane/net/wire_headers.h"

namespace ringcast::net {

// IEEE Std 802 (clause 8, MAC address format): the I/G bit, the least significant bit of the
// first octet, marks a group address (multicast, broadcast included).
inline bool is_group_mac(const MacAddress& mac) {
    return (mac[0] & 0x01u) != 0;
}

// Frames for the port's own MAC, and any group address: ARP requests are broadcast, IPv6
// neighbour solicitations go to the solicited-node group's 33:33:ff:xx:xx:xx.
inline bool accepts_destination(const MacAddress& dst, const MacAddress& port_mac) {
    return dst == port_mac || is_group_mac(dst);
}

// A reply goes back to the station that sent the request, from the port.
inline void address_reply(EthernetHeader& eth, const MacAddress& port_mac) {
    eth.dst = eth.src;
    eth.src = port_mac;
}

} // namespace ringcast::net
