"""Sends the differential corpus to ringcast and to a reference server (Knot DNS or NSD) and
compares the responses section by section. Run in the client namespace by
tests/integration/differential_test.sh:

  /usr/bin/python3 compare.py --ringcast V4 V6 --peer knot|nsd V4 V6 [--transport T ...] [--verbose]

The transport (transports.py) is udp (the default), tcp-pipelined or tcp-single; with several,
the whole corpus runs over each in turn and every run is compared the same way.

Compared, per query: whether a response came at all; RCODE (extended) and OPCODE; the flags QR,
AA, TC, RD, RA, AD, CD; the question (name with its letter case); EDNS presence, version, DO,
UDP size and NSID presence; the answer section (RRsets as sets, with TTLs, and the exact letter
case of owners equal to the query name, RFC 4343); the authority section; the additional
section. Every difference is printed; the run fails unless each one matches an entry of the
peer's list in ALLOWED (allowed.py), which says why ringcast may differ from that server there,
with the RFC that allows it. Two things are never allowed: a record repeated in a section
(RFC 2181 §5), and, over TCP, a ringcast answer with TC set (RFC 7766 §8: a TCP message holds
up to 65535 bytes, so an authoritative answer has no reason to be truncated).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dns.edns  # noqa: E402
import dns.flags  # noqa: E402
import dns.message  # noqa: E402
import dns.name  # noqa: E402
import dns.rdataclass  # noqa: E402
import dns.rdatatype  # noqa: E402
import dns.rrset  # noqa: E402

from allowed import ALLOWED  # noqa: E402
from corpus import CORPUS  # noqa: E402
from messages import parse, section_text, summary  # noqa: E402
from transports import TRANSPORTS  # noqa: E402


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------

def make_query(q):
    qname = dns.name.from_text(q["name"])
    qtype = dns.rdatatype.from_text(q["type"])
    qclass = dns.rdataclass.from_text(q["rclass"])
    msg = dns.message.make_query(qname, qtype, qclass)
    msg.id = 0x4000 + q["id"]
    msg.flags = 0
    if q["rd"]:
        msg.flags |= dns.flags.RD
    if q["cd"]:
        msg.flags |= dns.flags.CD
    if q["qr"]:
        msg.flags |= dns.flags.QR
    e = q["edns"]
    if e is not None:
        options = [dns.edns.GenericOption(dns.edns.NSID, b"")] if e["nsid"] else []
        msg.use_edns(edns=e["version"], ednsflags=dns.flags.DO if e["do"] else 0,
                     payload=e["size"], options=options)
    if q["raw"] == "nscount":  # IXFR carries the client's SOA in authority (RFC 1995 §3)
        msg.authority.append(dns.rrset.from_text(
            qname, 0, "IN", "SOA", "ns1.example.com. hostmaster.example.com. 1 1 1 1 1"))
    elif q["raw"] == "ancount":
        msg.answer.append(dns.rrset.from_text(qname, 0, "IN", "A", "192.0.2.1"))
    wire = bytearray(msg.to_wire())
    wire[2] |= q["opcode"] << 3  # by hand: dnspython knows only the assigned opcodes
    return bytes(wire)


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------

def compare(q, rc, peer):
    """Returns [(field, ringcast text, peer text)] for every field that differs."""
    a, b = summary(rc), summary(peer)
    diffs = [(k, a[k], b[k]) for k in a if a[k] != b[k]]
    qname = rc.question[0].name if rc.question else None
    for field in ("answer", "authority", "additional"):
        case_kept = qname if field == "answer" else None
        sa = section_text(getattr(rc, field), case_kept)
        sb = section_text(getattr(peer, field), case_kept)
        if sa != sb:
            diffs.append((field, sa, sb))
    return diffs


def duplicated_records(wire, msg):
    """Sections whose header count is above the distinct records parsed: the parser merges
    identical records, so a response that repeats one would otherwise compare clean."""
    if msg.header_only:
        return []
    counts = [int.from_bytes(wire[i:i + 2], "big") for i in (6, 8, 10)]
    parsed = [sum(len(rr) for rr in section) for section in (msg.answer, msg.authority,
                                                              msg.additional)]
    parsed[2] += 1 if msg.edns >= 0 else 0
    return [(name, c, p) for name, c, p in zip(("answer", "authority", "additional"), counts,
                                                parsed) if c > p]


def udp_limit(q):
    """The longest answer the query allows over UDP: its EDNS size, or 512 without EDNS (RFC 1035
    §4.2.1), never below 512 (RFC 6891 §6.2.5)."""
    return max(512, q["edns"]["size"]) if q["edns"] else 512


def describe(q):
    e = q["edns"]
    edns = "no-edns" if e is None else \
        f"edns({e['size']}{',do' if e['do'] else ''}{',nsid' if e['nsid'] else ''}" \
        f"{',v' + str(e['version']) if e['version'] else ''})"
    bits = "".join(b for b, on in (("rd ", q["rd"]), ("cd ", q["cd"]), ("qr ", q["qr"])) if on)
    op = f"opcode={q['opcode']} " if q["opcode"] else ""
    raw = f"+{q['raw']} " if q["raw"] else ""
    return (f"{q['transport']} #{q['id']} {q['name']} {q['rclass']} {q['type']} v{q['family']} {edns} "
            f"{bits}{op}{raw}({q['rule']})")


def run(transport, args, allowed):
    """The corpus over one transport; returns the number of queries with unexplained
    differences."""
    peer_name, peer_v4, peer_v6 = args.peer
    corpus = [dict(q, transport=transport) for q in CORPUS]
    items = []
    for q in corpus:
        wire = make_query(q)
        rc_addr = args.ringcast[0] if q["family"] == 4 else args.ringcast[1]
        peer_addr = peer_v4 if q["family"] == 4 else peer_v6
        items += [((q["id"], "ringcast"), wire, rc_addr), ((q["id"], "peer"), wire, peer_addr)]
    responses = TRANSPORTS[transport](items)

    counts = {"same": 0, "allowed": 0, "different": 0}
    allowed_by_reason = {}
    over_udp_limit = 0  # ringcast answers longer than the query allowed over UDP
    for q in corpus:
        rc_wire, peer_wire = responses[(q["id"], "ringcast")], responses[(q["id"], "peer")]
        if rc_wire is not None and len(rc_wire) > udp_limit(q):
            over_udp_limit += 1
        if rc_wire is None or peer_wire is None:
            if rc_wire is None and peer_wire is None:
                counts["same"] += 1  # both dropped it
            else:
                counts["different"] += 1
                print(f"DIFF {describe(q)}\n     response: ringcast={'none' if rc_wire is None else 'yes'}"
                      f" {peer_name}={'none' if peer_wire is None else 'yes'}")
            continue
        rc, peer = parse(rc_wire), parse(peer_wire)
        diffs = compare(q, rc, peer)
        if rc_wire[4:12] != peer_wire[4:12] and (rc.header_only or peer.header_only):
            diffs.append(("counts", rc_wire[4:12].hex(), peer_wire[4:12].hex()))
        unexplained = []
        for section, count, distinct in duplicated_records(rc_wire, rc):
            # Never allowed: RFC 2181 §5 wants each RR once.
            unexplained.append((section, f"{count} records, {distinct} distinct: one repeated",
                                "(not checked)"))
        if transport != "udp" and rc.flags & dns.flags.TC:
            # Never allowed: RFC 7766 §8, nothing in the served zones comes near 65535 bytes.
            unexplained.append(("TC over TCP", f"TC set, {len(rc_wire)} bytes", "(not checked)"))
        for field, va, vb in diffs:
            reason = next((why for rule, why in allowed if rule(q, field, rc, peer)), None)
            if reason is None:
                unexplained.append((field, va, vb))
            else:
                allowed_by_reason.setdefault(reason, []).append(q["id"])
                if args.verbose:
                    print(f"ALLOWED {describe(q)} {field}: {reason}")
        if unexplained:
            counts["different"] += 1
            print(f"DIFF {describe(q)}")
            for field, va, vb in unexplained:
                print(f"     {field}:\n       ringcast: {va}\n       {peer_name + ':':9} {vb}")
        elif diffs:
            counts["allowed"] += 1
        else:
            counts["same"] += 1

    for reason, ids in allowed_by_reason.items():
        print(f"{transport}: allowed: {reason}: queries {sorted(set(ids))}")
    print(f"{transport}: {len(corpus)} queries: {counts['same']} identical, {counts['allowed']} "
          f"with allowed differences, {counts['different']} with unexplained differences; "
          f"{over_udp_limit} answers longer than the query's UDP limit")
    return counts["different"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ringcast", nargs=2, required=True, metavar=("V4", "V6"))
    parser.add_argument("--peer", nargs=3, required=True, metavar=("NAME", "V4", "V6"),
                        help="the reference server: knot or nsd, and its addresses")
    parser.add_argument("--transport", nargs="+", choices=sorted(TRANSPORTS), default=["udp"])
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.peer[0] not in ALLOWED:
        parser.error(f"--peer: knot or nsd, not {args.peer[0]}")
    different = sum(run(t, args, ALLOWED[args.peer[0]]) for t in args.transport)
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
