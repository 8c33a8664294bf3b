"""Canonical forms of DNS responses for the differential test (compare.py): a section as
order-free text, the header and EDNS as a summary, and a parse that keeps the raw opcode."""

import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype


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
