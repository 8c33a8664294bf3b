#!/usr/bin/python3
"""Asks v.<zone> TXT over and over while the zone is reloaded, and checks that every answer comes
whole from one version of the zone: v is a CNAME to vK, and vK's TXT is "gen K", in the same
response. From one sequential client the versions never go back.

usage: reload_checker.py SERVER ZONE STOP_FILE     (runs until STOP_FILE exists, at most 120 s)
Prints one JSON summary line.
"""
import json
import os
import sys
import time

import dns.message
import dns.query
import dns.rdatatype

server, zone, stop_file = sys.argv[1:4]
qname = f"v.{zone}"
summary = {"queries": 0, "timeouts": 0, "inconsistent": 0, "went_back": 0, "versions": [],
           "examples": []}
last = 0
deadline = time.monotonic() + 120
while not os.path.exists(stop_file) and time.monotonic() < deadline:
    query = dns.message.make_query(qname, "TXT")
    try:
        response = dns.query.udp(query, server, timeout=1)
    except dns.exception.Timeout:
        summary["timeouts"] += 1
        continue
    summary["queries"] += 1
    target = txt = None
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.CNAME:
            target = str(rrset[0].target)
        elif rrset.rdtype == dns.rdatatype.TXT:
            txt = b"".join(rrset[0].strings).decode()
            owner = str(rrset.name)
    try:
        version = int(target.split(".")[0][1:])
        whole = txt == f"gen {version}" and owner == target
    except (AttributeError, ValueError):
        whole = False
    if not whole:
        summary["inconsistent"] += 1
        if len(summary["examples"]) < 3:
            summary["examples"].append(response.to_text())
        continue
    if version < last:
        summary["went_back"] += 1
    last = max(last, version)
    if version not in summary["versions"]:
        summary["versions"].append(version)
print(json.dumps(summary))
