"""Sends the differential corpus to ringcast and to Knot over UDP and compares the responses
section by section. Run in the client namespace by tests/integration/differential_knot_test.sh:

  /usr/bin/python3 compare.py --ringcast V4 V6 --knot V4 V6 [--verbose]

Compared, per query: whether a response came at all; RCODE (extended) and OPCODE; the flags QR,
AA, TC, RD, RA, AD, CD; the question (name with its letter case); EDNS presence, version, DO,
UDP size and NSID presence; the answer section (RRsets as sets, with TTLs, and the exact letter
case of owners equal to the query name, RFC 4343); the authority section; the additional
section. Every difference is printed; the run fails unless each one matches an entry of ALLOWED
below, which says why ringcast may differ from Knot there, with the RFC that allows it.
"""

import argparse
import os
import select
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dns.edns  # noqa: E402
import dns.exception  # noqa: E402
import dns.flags  # noqa: E402
import dns.message  # noqa: E402
import dns.name  # noqa: E402
import dns.rcode  # noqa: E402
import dns.rdataclass  # noqa: E402
import dns.rdatatype  # noqa: E402
import dns.rrset  # noqa: E402

from corpus import CORPUS  # noqa: E402

TIMEOUT = 1.0  # seconds per try; a query expected to be dropped costs two of them
TRIES = 2


# ---------------------------------------------------------------------------------------------
# The allowlist: where ringcast deliberately differs from Knot 3.2. Each entry is a predicate
# on (query, field, ringcast response, knot response) and the reason, with its RFC.
# ---------------------------------------------------------------------------------------------

def _cnames(msg):
    return [rr for rr in msg.answer if rr.rdtype == dns.rdatatype.CNAME]


def _is_chain_prefix(short, long):
    """Every RRset of `short`'s answer is in `long`'s, and `short` ends in a CNAME."""
    if not short.answer or short.answer[-1].rdtype != dns.rdatatype.CNAME:
        return False
    return all(any(rr == other and rr.ttl == other.ttl for other in long.answer)
               for rr in short.answer)


def knot_cname_cap(q, field, rc, knot):
    # RFC 1034 §4.3.2 step 3a leaves how far a server follows a chain to the server: Knot stops
    # after 5 CNAMEs (CNAME_CHAIN_MAX), ringcast after 16 (dataplane/dns/answer.h
    # kMaxCnameChain). Both answers are correct: the resolver restarts at the last target.
    # Allowed only when Knot's answer is exactly 5 CNAMEs, all of which ringcast has too.
    return (field in ("answer", "authority", "additional") and len(_cnames(knot)) == 5
            and len(knot.answer) == 5 and len(_cnames(rc)) > 5 and _is_chain_prefix(knot, rc))


def cd_copied(q, field, rc, knot):
    # RFC 4035 §3.1.6: "the name server MUST copy the CD bit from a query into the
    # corresponding response" (BIND and NSD do); Knot 3.2 clears it. Allowed when the flags
    # differ in CD alone and ringcast's CD is the query's.
    if field != "flags":
        return False
    a = rc.flags & ~dns.flags.CD
    b = knot.flags & ~dns.flags.CD
    return a == b and bool(rc.flags & dns.flags.CD) == bool(q["cd"])


def ixfr_notimp(q, field, rc, knot):
    # ringcast serves no zone transfers: IXFR gets NOTIMP (RFC 1035 §4.1.1: "does not support
    # the requested kind of query"), as AXFR does from both. Knot implements IXFR and answers
    # NOTAUTH because no ACL allows a transfer. Only the RCODE may differ.
    return q["type"] == "IXFR" and field == "rcode" and rc.rcode() == dns.rcode.NOTIMP


def other_opcodes_notimp(q, field, rc, knot):
    # RFC 1035 §4.1.1: NOTIMP, "the name server does not support the requested kind of query".
    # ringcast implements QUERY only (no NOTIFY, RFC 1996; no UPDATE, RFC 2136 §3: a server that
    # does not implement UPDATE answers NOTIMP). Knot implements both and answers them REFUSED
    # or NOTAUTH here because no ACL allows them. Only the RCODE may differ.
    return q["opcode"] in (4, 5) and field == "rcode" and rc.rcode() == dns.rcode.NOTIMP


ALLOWED = [
    (knot_cname_cap, "CNAME hop cap: Knot 5, ringcast 16 (RFC 1034 §4.3.2 step 3a)"),
    (cd_copied, "CD copied from the query (RFC 4035 §3.1.6)"),
    (ixfr_notimp, "IXFR not implemented: NOTIMP (RFC 1035 §4.1.1)"),
    (other_opcodes_notimp, "NOTIFY/UPDATE not implemented: NOTIMP (RFC 1035 §4.1.1, RFC 2136 §3)"),
]


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


def exchange(wire, servers):
    """Sends `wire` to each (address) at once; returns {address: response bytes or None}."""
    answers = {}
    socks = {}
    for addr in servers:
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.connect((addr, 53))
        socks[s] = addr
    try:
        for _ in range(TRIES):
            pending = [s for s, a in socks.items() if a not in answers]
            if not pending:
                break
            for s in pending:
                s.send(wire)
            while pending:
                ready, _, _ = select.select(pending, [], [], TIMEOUT)
                if not ready:
                    break
                for s in ready:
                    data = s.recv(65535)
                    if data[:2] == wire[:2]:
                        answers[socks[s]] = data
                        pending.remove(s)
    finally:
        for s in socks:
            s.close()
    return {a: answers.get(a) for a in servers}


# ---------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------

def section_text(rrsets, qname=None):
    """A canonical, order-free text of a section: one line per RRset, RDATA sorted. Owners are
    lowercased (names compare case-insensitively, RFC 4343 §3) except, with `qname` given,
    where they equal the query name: those must keep the query's case (RFC 4343 §4.1)."""
    lines = []
    for rr in rrsets:
        owner = rr.name.to_text()
        if qname is None or rr.name != qname:
            owner = owner.lower()
        rdatas = sorted(rd.to_text().lower() for rd in rr)
        lines.append(f"{owner} {rr.ttl} {dns.rdataclass.to_text(rr.rdclass)} "
                     f"{dns.rdatatype.to_text(rr.rdtype)} {' | '.join(rdatas)}")
    return sorted(lines)


def summary(msg):
    flags = dns.flags.to_text(msg.flags).split()
    return {
        "rcode": dns.rcode.to_text(msg.rcode()),
        "opcode": msg.raw_opcode,
        "flags": " ".join(f for f in ("QR", "AA", "TC", "RD", "RA", "AD", "CD") if f in flags),
        "question": [f"{r.name.to_text()} {dns.rdataclass.to_text(r.rdclass)} "
                     f"{dns.rdatatype.to_text(r.rdtype)}" for r in msg.question],
        "edns": None if msg.edns < 0 else
        f"version={msg.edns} do={int(bool(msg.ednsflags & dns.flags.DO))} "
        f"size={msg.payload} nsid={int(any(o.otype == dns.edns.NSID for o in msg.options))}",
    }


def parse(wire):
    """The response; when dnspython cannot read it as a whole (an UPDATE response is read as
    an update), its header alone (the section counts are then compared as bytes)."""
    opcode = (wire[2] >> 3) & 0xF
    plain = wire[:2] + bytes([wire[2] & 0x87]) + wire[3:]  # read as a QUERY response
    try:
        msg = dns.message.from_wire(plain)
        msg.header_only = False
    except dns.exception.DNSException:
        msg = dns.message.from_wire(plain[:4] + bytes(8))
        msg.header_only = True
    msg.raw_opcode = opcode
    return msg


def compare(q, rc, knot):
    """Returns [(field, ringcast text, knot text)] for every field that differs."""
    a, b = summary(rc), summary(knot)
    diffs = [(k, a[k], b[k]) for k in a if a[k] != b[k]]
    qname = rc.question[0].name if rc.question else None
    for field in ("answer", "authority", "additional"):
        case_kept = qname if field == "answer" else None
        sa = section_text(getattr(rc, field), case_kept)
        sb = section_text(getattr(knot, field), case_kept)
        if sa != sb:
            diffs.append((field, sa, sb))
    return diffs


def describe(q):
    e = q["edns"]
    edns = "no-edns" if e is None else \
        f"edns({e['size']}{',do' if e['do'] else ''}{',nsid' if e['nsid'] else ''}" \
        f"{',v' + str(e['version']) if e['version'] else ''})"
    bits = "".join(b for b, on in (("rd ", q["rd"]), ("cd ", q["cd"]), ("qr ", q["qr"])) if on)
    op = f"opcode={q['opcode']} " if q["opcode"] else ""
    raw = f"+{q['raw']} " if q["raw"] else ""
    return (f"#{q['id']} {q['name']} {q['rclass']} {q['type']} v{q['family']} {edns} "
            f"{bits}{op}{raw}({q['rule']})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ringcast", nargs=2, required=True, metavar=("V4", "V6"))
    parser.add_argument("--knot", nargs=2, required=True, metavar=("V4", "V6"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    counts = {"same": 0, "allowed": 0, "different": 0}
    allowed_by_reason = {}
    for q in CORPUS:
        rc_addr = args.ringcast[0] if q["family"] == 4 else args.ringcast[1]
        knot_addr = args.knot[0] if q["family"] == 4 else args.knot[1]
        got = exchange(make_query(q), [rc_addr, knot_addr])
        rc_wire, knot_wire = got[rc_addr], got[knot_addr]
        if rc_wire is None or knot_wire is None:
            if rc_wire is None and knot_wire is None:
                counts["same"] += 1  # both dropped it
            else:
                counts["different"] += 1
                print(f"DIFF {describe(q)}\n     response: ringcast={'none' if rc_wire is None else 'yes'}"
                      f" knot={'none' if knot_wire is None else 'yes'}")
            continue
        rc, knot = parse(rc_wire), parse(knot_wire)
        diffs = compare(q, rc, knot)
        if rc_wire[4:12] != knot_wire[4:12] and (rc.header_only or knot.header_only):
            diffs.append(("counts", rc_wire[4:12].hex(), knot_wire[4:12].hex()))
        unexplained = []
        for field, va, vb in diffs:
            reason = next((why for rule, why in ALLOWED if rule(q, field, rc, knot)), None)
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
                print(f"     {field}:\n       ringcast: {va}\n       knot:     {vb}")
        elif diffs:
            counts["allowed"] += 1
        else:
            counts["same"] += 1

    for reason, ids in allowed_by_reason.items():
        print(f"allowed: {reason}: queries {sorted(set(ids))}")
    print(f"{len(CORPUS)} queries: {counts['same']} identical, {counts['allowed']} with allowed "
          f"differences, {counts['different']} with unexplained differences")
    return 1 if counts["different"] else 0


if __name__ == "__main__":
    sys.exit(main())
