#!/usr/bin/python3
"""Sends malformed frames at the dataplane and checks each one is dropped with its named reason
or answered FORMERR. Runs in the client namespace; prints one ok/FAIL line per check.

usage: malformed_frames.py IFACE POP_MAC VIP4 VIP6 STATS_FILE [xdp-filter]

With xdp-filter the port is AF_XDP behind ringcast's XDP VIP filter, which passes to the kernel
what it cannot tell is for a VIP (another EtherType, an IP header cut before its destination):
those frames are counted among the filter's verdicts instead of the dataplane's drops.
"""
import socket
import struct
import sys
import time

from scapy.all import ICMP, IP, UDP, Ether, IPv6, Raw, conf, get_if_hwaddr, raw, sendp

conf.verb = 0
iface, pop_mac, vip4, vip6, stats_path = sys.argv[1:6]
xdp_filter = sys.argv[6:7] == ["xdp-filter"]
client4, client6 = "203.0.113.10", "2001:db8:ffff::10"
my_mac = get_if_hwaddr(iface)
STATS_REFRESH = 1.5  # the dataplane rewrites its stats file every second

eth = Ether(src=my_mac, dst=pop_mac)
ip4 = IP(src=client4, dst=vip4)
ip6 = IPv6(src=client6, dst=vip6)
query_header = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
www_question = b"\x03www\x07example\x03net\x00" + struct.pack("!HH", 1, 1)


def udp4(payload, sport=40000, **fields):
    return eth / ip4 / UDP(sport=sport, dport=53, **fields) / Raw(payload)


# (description, frame, drop reason the dataplane must count[, the XDP filter's verdict instead])
DROPS = [
    # A frame shorter than an Ethernet header cannot cross a veth (the kernel pads what a packet
    # socket sends to the header length); the unit tests cover drop_eth_truncated.
    ("Ethernet frame of an unknown EtherType", raw(Ether(src=my_mac, dst=pop_mac, type=0x88B5) / Raw(b"\x00" * 46)), "drop_eth_unsupported_type", "xdp_pass_non_ip"),
    ("VLAN-tagged frame", raw(Ether(src=my_mac, dst=pop_mac, type=0x8100) / Raw(b"\x00\x07\x08\x00" + raw(ip4 / ICMP()))), "drop_eth_unsupported_type"),
    ("IPv4 header cut short", raw(eth / ip4 / UDP())[:14 + 12], "drop_ipv4_truncated", "xdp_pass_truncated"),
    ("IPv4 total length past the frame", raw(eth / IP(src=client4, dst=vip4, len=400) / UDP(sport=1, dport=53) / Raw(query_header)), "drop_ipv4_bad_length"),
    ("IPv4 header checksum wrong", raw(eth / IP(src=client4, dst=vip4, chksum=0x1234) / UDP(sport=1, dport=53) / Raw(query_header + www_question)), "drop_ipv4_bad_checksum"),
    ("UDP header cut short", raw(eth / IP(src=client4, dst=vip4, proto=17) / Raw(b"\x9c\x40\x00")), "drop_udp_truncated"),
    ("UDP length past the IP payload", raw(udp4(query_header + www_question, len=300)), "drop_udp_bad_length"),
    ("UDP checksum wrong", raw(udp4(query_header + www_question, chksum=0xdead)), "drop_udp_bad_checksum"),
    ("UDP over IPv6 with a zero checksum", raw(eth / ip6 / UDP(sport=40000, dport=53, chksum=0) / Raw(query_header + www_question)), "drop_udp_bad_checksum"),
    ("IPv6 header cut short", raw(Ether(src=my_mac, dst=pop_mac, type=0x86DD) / Raw(b"\x60" + b"\x00" * 20)), "drop_ipv6_truncated", "xdp_pass_truncated"),
    ("IPv6 payload length past the frame", raw(eth / IPv6(src=client6, dst=vip6, plen=500) / UDP(sport=1, dport=53) / Raw(query_header)), "drop_ipv6_bad_length"),
    ("ICMP checksum wrong", raw(eth / ip4 / ICMP(type=8, chksum=0x4321) / Raw(b"x" * 16)), "drop_icmp4_bad_checksum"),
    ("DNS message shorter than its header", raw(udp4(b"\x12\x34\x01")), "drop_dns_too_short"),
    ("DNS response (QR=1) sent to the server", raw(udp4(struct.pack("!HHHHHH", 7, 0x8400, 1, 0, 0, 0) + www_question)), "drop_dns_response_received"),
]

# (description, DNS payload) that must be answered FORMERR; these need no frame surgery, so they
# go out through an ordinary UDP socket, as a real client's would.
FORMERRS = [
    ("DNS header alone", query_header),
    ("question running past the packet", query_header + b"\x03www\x07exam"),
    ("compression pointer in the question", query_header + b"\x03www\xc0\x0c" + struct.pack("!HH", 1, 1)),
    ("label longer than the message", query_header + b"\x3fabc"),
]

failed = 0


def check(ok, what, detail=""):
    global failed
    print(("ok   - " if ok else "FAIL - ") + what + ("" if ok or not detail else f": {detail}"))
    failed += 0 if ok else 1


def read_stats():
    values = {}
    with open(stats_path) as f:
        for line in f:
            name, value = line.split()
            values[name] = int(value)
    return values


time.sleep(STATS_REFRESH)
before = read_stats()
expected = {}
for description, frame, reason, *filtered in DROPS:
    sendp(frame, iface=iface)
    if xdp_filter and filtered:
        reason = filtered[0]
    expected[reason] = expected.get(reason, 0) + 1

for description, payload in FORMERRS:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(2)
        sock.sendto(payload, (vip4, 53))
        try:
            dns = sock.recv(4096)
        except socket.timeout:
            check(False, f"FORMERR for {description}", "no reply")
            continue
    check(len(dns) >= 12 and dns[0:2] == b"\x12\x34" and dns[2] & 0x80 and dns[3] & 0x0F == 1,
          f"FORMERR for {description}", dns.hex())
    expected["dns_rcode_FORMERR"] = expected.get("dns_rcode_FORMERR", 0) + 1

time.sleep(STATS_REFRESH)
after = read_stats()
for reason, count in sorted(expected.items()):
    delta = after.get(reason, 0) - before.get(reason, 0)
    check(delta >= count, f"{reason} counted {count} time(s)", f"counted {delta}")

sys.exit(1 if failed else 0)
