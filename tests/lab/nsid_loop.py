#!/usr/bin/python3
"""Queries the VIP at a fixed pace for a bounded time and prints one line per query:
"<unix time> <NSID or LOST>". Used by the lab smoke test to see which PoP answers when.
usage: nsid_loop.py VIP SECONDS INTERVAL_MS TIMEOUT_MS"""
import sys
import time

import dns.edns
import dns.exception
import dns.message
import dns.query

NSID = 3  # RFC 5001


def nsid_of(response):
    for option in response.options:
        if option.otype == NSID:
            data = getattr(option, "nsid", None) or getattr(option, "data", b"")
            return bytes(data).decode("ascii", "replace")
    return "NO-NSID"


def main():
    vip, seconds, interval_ms, timeout_ms = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    end = time.time() + seconds
    while time.time() < end:
        sent = time.time()
        query = dns.message.make_query("example.net.", "SOA", use_edns=0,
                                       options=[dns.edns.GenericOption(NSID, b"")])
        try:
            response = dns.query.udp(query, vip, timeout=timeout_ms / 1000)
            print(f"{sent:.3f} {nsid_of(response)}", flush=True)
        except (dns.exception.Timeout, OSError):
            print(f"{sent:.3f} LOST", flush=True)
        pause = interval_ms / 1000 - (time.time() - sent)
        if pause > 0:
            time.sleep(pause)


main()
