"""The differential corpus: queries sent to ringcast and to Knot serving the same zones
(tests/data/zones/differential/), each tagged with the rule it exercises.

Deterministic: the same list every run (a fixed seed picks the letter case and the variants).
Each query is a dict:
  name, type, rclass        the question (name as sent, case included)
  edns                      None, or {size, do, nsid, version}
  rd, cd                    header bits
  opcode                    0 QUERY unless testing other opcodes
  qr                        1 for a response sent as a query (must be dropped)
  family                    4 or 6
  rule                      what is being tested (printed with each difference)
  raw                       optional: 'ancount' / 'nscount' (a record added to that section)

  /usr/bin/python3 tests/differential/corpus.py   prints the corpus, one query per line.
"""

import random

import dns.dnssec

SEED = 20240601

# The zones the corpus is answered from, each in tests/data/zones/differential/<origin>zone.
SERVED_ZONES = ["example.com.", "sub.example.com.", "example.org.", "example.net.", "nsec3.example.",
                "optout.example."]

# (name, type, rule). Names are relative to nothing: always absolute.
BASE = [
    # Positive answers, one per type served as data.
    ("example.com.", "SOA", "apex SOA"),
    ("example.com.", "NS", "apex NS + in-zone A/AAAA in additional"),
    ("example.com.", "MX", "MX + in-zone target address, out-of-zone target none"),
    ("example.com.", "TXT", "TXT"),
    ("example.com.", "CAA", "CAA"),
    ("example.com.", "DNSKEY", "DNSKEY as data"),
    ("example.com.", "HTTPS", "HTTPS at the apex"),
    ("example.com.", "A", "apex NODATA"),
    ("www.example.com.", "A", "A"),
    ("www.example.com.", "AAAA", "AAAA"),
    ("mail.example.com.", "A", "A with its own TTL"),
    ("ns1.example.com.", "AAAA", "AAAA of a name server"),
    ("ptr.example.com.", "PTR", "PTR"),
    ("_sip._tcp.example.com.", "SRV", "SRV + in-zone target address"),
    ("_xmpp._tcp.example.com.", "SRV", "SRV with an out-of-zone target"),
    ("naptr.example.com.", "NAPTR", "NAPTR"),
    ("svc.example.com.", "SVCB", "SVCB"),
    ("https.example.com.", "HTTPS", "HTTPS alias mode"),
    ("caa.example.com.", "CAA", "CAA critical flag"),
    ("signed.example.com.", "A", "A beside RRSIG/NSEC"),
    ("signed.example.com.", "RRSIG", "RRSIG as data"),
    ("signed.example.com.", "NSEC", "NSEC as data"),
    ("signed.example.com.", "TXT", "NODATA at a node with RRSIG/NSEC"),
    ("unknown.example.com.", "TYPE65400", "RFC 3597 unknown type verbatim"),
    ("unknown.example.com.", "A", "NODATA beside an unknown type"),
    ("generic.example.com.", "A", "A written in RFC 3597 form"),
    ("mixedcase.example.com.", "A", "owner written in mixed case"),
    ("MIXEDCASE.EXAMPLE.COM.", "A", "owner written in mixed case, upper query"),
    ("upper.host.example.com.", "TXT", "upper-case owner"),
    ("host.example.com.", "A", "NXDOMAIN beside an upper-case owner's parent (ENT)"),
    # Negative answers (RFC 2308).
    ("missing.example.com.", "A", "NXDOMAIN"),
    ("a.b.c.missing.example.com.", "TXT", "NXDOMAIN deep"),
    ("www.example.com.", "MX", "NODATA"),
    ("www.example.com.", "TYPE65400", "NODATA unknown type"),
    ("ent.example.com.", "A", "empty non-terminal NODATA"),
    ("b.ent.example.com.", "TXT", "empty non-terminal NODATA (2)"),
    ("a.b.ent.example.com.", "TXT", "below an empty non-terminal"),
    ("x.ent.example.com.", "A", "NXDOMAIN below an empty non-terminal"),
    # CNAME chains (RFC 1034 §4.3.2 step 3a).
    ("cname1.example.com.", "A", "CNAME chain in zone"),
    ("cname1.example.com.", "AAAA", "CNAME chain in zone (AAAA)"),
    ("cname1.example.com.", "MX", "CNAME chain to NODATA"),
    ("cname1.example.com.", "CNAME", "CNAME query at a CNAME"),
    ("cname2.example.com.", "A", "CNAME with its own TTL"),
    ("loop1.example.com.", "A", "CNAME loop of three"),
    ("loop2.example.com.", "TXT", "CNAME loop entered in the middle"),
    ("self.example.com.", "A", "CNAME to itself"),
    ("tochild.example.com.", "A", "CNAME into the child zone (a referral in the parent)"),
    ("toorg.example.com.", "A", "CNAME into another served zone (not followed)"),
    ("toout.example.com.", "A", "CNAME out of every served zone"),
    ("tomissing.example.com.", "A", "CNAME to NXDOMAIN (RFC 6604)"),
    ("tonodata.example.com.", "TXT", "CNAME to NODATA"),
    ("todeleg.example.com.", "A", "CNAME into a delegation"),
    ("towild.example.com.", "A", "CNAME to a wildcard"),
    ("towild.example.com.", "TXT", "CNAME to a wildcard (TXT)"),
    ("toent.example.com.", "A", "CNAME to an empty non-terminal"),
    ("cased.example.com.", "A", "CNAME to a mixed-case owner"),
    ("signedcname.example.com.", "RRSIG", "RRSIG at a CNAME is data, not followed"),
    ("signedcname.example.com.", "NSEC", "NSEC at a CNAME is data, not followed"),
    ("signedcname.example.com.", "A", "CNAME beside RRSIG followed"),
    ("cname1.example.com.", "RRSIG", "RRSIG at a CNAME without one: NODATA, not followed"),
    ("cname1.example.com.", "NSEC", "NSEC at a CNAME without one: NODATA, not followed"),
    ("c01.example.com.", "A", "CNAME chain of 8"),
    ("c05.example.com.", "A", "CNAME chain of 4"),
    ("l01.example.com.", "A", "CNAME chain of 24: the hop cap"),
    ("l20.example.com.", "A", "CNAME chain of 5"),
    # DNAME (RFC 6672 §3): the DNAME, the CNAME it synthesises, then the new name in zone.
    ("www.dn.example.com.", "A", "DNAME: synthesised CNAME followed in zone"),
    ("a.b.dn.example.com.", "TXT", "DNAME: several labels redirected"),
    ("missing.dn.example.com.", "A", "DNAME to a missing name: NXDOMAIN"),
    ("mail.dn.example.com.", "MX", "DNAME to NODATA"),
    ("dn.example.com.", "TXT", "DNAME owner: its own data"),
    ("dn.example.com.", "A", "DNAME owner: NODATA, not redirected"),
    ("dn.example.com.", "DNAME", "DNAME asked for at its owner"),
    ("www.dn.example.com.", "DNAME", "DNAME type below the owner: redirected"),
    ("www.dnout.example.com.", "A", "DNAME out of every served zone (its own TTL)"),
    ("host.dnchild.example.com.", "A", "DNAME into the delegated child"),
    ("x.dnlong.example.com.", "A", "DNAME substitution of 255 bytes"),
    ("xy.dnlong.example.com.", "A", "DNAME substitution past 255: YXDOMAIN"),
    ("www.dn.dn.example.com.", "A", "DNAME twice"),
    # Wildcards (RFC 4592).
    ("foo.wild.example.com.", "A", "wildcard A"),
    ("foo.wild.example.com.", "AAAA", "wildcard AAAA"),
    ("foo.wild.example.com.", "TXT", "wildcard TXT"),
    ("foo.wild.example.com.", "MX", "wildcard MX + target address"),
    ("foo.wild.example.com.", "NS", "wildcard NODATA"),
    ("foo.wild.example.com.", "CNAME", "wildcard NODATA (CNAME)"),
    ("a.b.c.wild.example.com.", "A", "wildcard matching several labels"),
    ("blocked.wild.example.com.", "A", "existing name (other types only) blocks the wildcard"),
    ("blocked.wild.example.com.", "TXT", "existing name's own data"),
    ("x.blocked.wild.example.com.", "A", "below a blocking name: NXDOMAIN"),
    ("ent2.wild.example.com.", "A", "empty non-terminal blocks the wildcard"),
    ("x.ent2.wild.example.com.", "A", "below an ENT under a wildcard parent: NXDOMAIN"),
    ("host.ent2.wild.example.com.", "A", "real name under the wildcard's parent"),
    ("*.wild.example.com.", "TXT", "the wildcard asked for literally"),
    ("*.wild.example.com.", "SRV", "the wildcard asked for literally, NODATA"),
    ("x.*.wild.example.com.", "TXT", "wildcard below a wildcard"),
    ("x.*.wild.example.com.", "A", "wildcard below a wildcard, NODATA"),
    ("*.*.wild.example.com.", "TXT", "the lower wildcard literally"),
    ("foo.wcname.example.com.", "A", "wildcard CNAME followed"),
    ("foo.wcname.example.com.", "CNAME", "wildcard CNAME asked for"),
    ("foo.wloop.example.com.", "A", "wildcard CNAME loop"),
    ("x.wloop.example.com.", "A", "wildcard CNAME loop to itself"),
    ("foo.wdeep.example.com.", "TXT", "wildcard beside a deeper name"),
    ("b.wdeep.example.com.", "TXT", "ENT blocks wildcard (wdeep)"),
    ("x.b.wdeep.example.com.", "TXT", "below an ENT: no wildcard"),
    ("anything.example.org.", "TXT", "apex wildcard"),
    ("anything.example.org.", "A", "apex wildcard NODATA"),
    ("x.y.example.org.", "TXT", "apex wildcard, several labels"),
    # Referrals (RFC 1034 §4.3.2 step 3b) and DS at a cut (RFC 4035 §3.1.4.1).
    ("deleg.example.com.", "A", "referral at the cut"),
    ("deleg.example.com.", "NS", "NS at the cut is a referral"),
    ("host.deleg.example.com.", "A", "referral below the cut"),
    ("a.b.host.deleg.example.com.", "MX", "referral far below the cut"),
    ("ns1.deleg.example.com.", "A", "glue asked for: referral"),
    ("deleg.example.com.", "DS", "DS at the cut answered by the parent"),
    ("deleg.example.com.", "DNSKEY", "DNSKEY at the cut: referral"),
    ("sibling.example.com.", "A", "referral with sibling glue"),
    ("www.sibling.example.com.", "A", "referral with sibling glue, below the cut"),
    ("outdeleg.example.com.", "A", "referral with out-of-zone name servers"),
    ("outdeleg.example.com.", "DS", "DS NODATA at an unsigned cut"),
    ("deep.example.com.", "A", "glue deeper below the cut"),
    ("www.deep.example.com.", "AAAA", "glue deeper below the cut (below)"),
    ("wide.example.com.", "A", "wide referral: glue does not fit 512"),
    ("x.wide.example.com.", "TXT", "wide referral below the cut"),
    # The child zone and the longest match.
    ("sub.example.com.", "SOA", "child apex SOA"),
    ("sub.example.com.", "NS", "child apex NS, authoritative"),
    ("sub.example.com.", "DS", "DS of a served child: parent answers"),
    ("sub.example.com.", "DNSKEY", "child DNSKEY"),
    ("sub.example.com.", "MX", "child MX + address"),
    ("host.sub.example.com.", "A", "child data"),
    ("host.sub.example.com.", "DS", "DS below a child apex: NODATA in the child"),
    ("www.sub.example.com.", "A", "child CNAME"),
    ("back.sub.example.com.", "A", "child CNAME into the parent (not followed)"),
    ("nx.sub.example.com.", "A", "child NXDOMAIN (child SOA, its negative TTL)"),
    ("foo.wc.sub.example.com.", "A", "child wildcard"),
    ("ent.sub.example.com.", "TXT", "child ENT"),
    ("ns1.sub.example.com.", "A", "child name server"),
    # The unrelated zone and names outside all of them.
    ("example.org.", "NS", "out-of-zone name servers, no additional"),
    ("example.org.", "A", "second zone apex A"),
    ("www.example.org.", "AAAA", "second zone AAAA"),
    ("back.example.org.", "A", "CNAME into another zone"),
    ("alias.example.org.", "A", "CNAME in the second zone"),
    ("nx.nx.example.org.", "A", "second zone: apex wildcard covers"),
    ("www.example.edu.", "A", "not served: REFUSED"),
    (".", "NS", "the root: REFUSED"),
    ("com.", "SOA", "a parent of a served zone: REFUSED"),
    ("com.", "DS", "DS above every served zone: REFUSED"),
    # Sizes: truncation (RFC 2181 §9, RFC 6891 §6.2.5).
    ("bigtxt.example.com.", "TXT", "big TXT: TC without EDNS"),
    ("hugetxt.example.com.", "TXT", "huge TXT: TC even at 1232"),
    ("gianttxt.example.com.", "TXT", "giant TXT: TC at every UDP size, whole over TCP"),
    # ANY (RFC 8482).
    ("www.example.com.", "ANY", "ANY: one RRset"),
    ("example.com.", "ANY", "ANY at the apex"),
    ("cname1.example.com.", "ANY", "ANY at a CNAME"),
    ("ent.example.com.", "ANY", "ANY at an ENT: NODATA"),
    ("missing.example.com.", "ANY", "ANY NXDOMAIN"),
    ("foo.wild.example.com.", "ANY", "ANY synthesised from a wildcard"),
    ("deleg.example.com.", "ANY", "ANY at a cut: referral"),
]

# DNSSEC (RFC 4035 §3.1) from example.net., a presigned NSEC zone: with DO=1, RRSIGs beside every
# RRset and NSEC denials in authority. Each is sent with DO=1 at 1232 and 4096 (mixed case,
# IPv6), at 512, and with DO=0 (no DNSSEC records); then all again to nsec3.example., the same
# zone signed with NSEC3 (RFC 5155 §7.2 proofs), and with DO=1 to optout.example. (NSEC3 with
# opt-out).
DNSSEC_BASE = [
    ("example.net.", "SOA", "signed apex SOA"),
    ("example.net.", "NS", "signed apex NS + signed addresses in additional"),
    ("example.net.", "MX", "signed MX + signed target address"),
    ("example.net.", "DNSKEY", "DNSKEY signed by the KSK"),
    ("example.net.", "ANY", "ANY in a signed zone: one RRset and its RRSIG"),
    ("example.net.", "AAAA", "apex NODATA: SOA and the apex NSEC"),
    ("www.example.net.", "A", "signed A with its own TTL"),
    ("www.example.net.", "AAAA", "signed AAAA"),
    ("www.example.net.", "TXT", "NODATA: the name's NSEC"),
    ("www.example.net.", "RRSIG", "RRSIG asked for: not signed again"),
    ("www.example.net.", "NSEC", "NSEC asked for, signed"),
    ("cname.example.net.", "A", "signed CNAME and target"),
    ("cname2.example.net.", "A", "signed CNAME chain"),
    ("cname.example.net.", "MX", "CNAME to NODATA: the target's NSEC"),
    ("tonx.example.net.", "A", "CNAME to a missing name: NXDOMAIN proofs for the target"),
    ("nothere.example.net.", "A", "NXDOMAIN: covering NSEC and no-wildcard NSEC"),
    ("zzzz.example.net.", "A", "NXDOMAIN past the last name: the chain wraps"),
    ("0.example.net.", "A", "NXDOMAIN before the first name"),
    ("a.b.c.nothere.example.net.", "TXT", "NXDOMAIN deep"),
    ("ent.example.net.", "A", "empty non-terminal NODATA: covering NSEC"),
    ("b.ent.example.net.", "TXT", "empty non-terminal NODATA (2)"),
    ("x.ent.example.net.", "A", "NXDOMAIN below an empty non-terminal"),
    ("sub2.example.net.", "A", "empty non-terminal NODATA (3)"),
    ("foo.wild.example.net.", "A", "wildcard answer: RRSIG labels and the no-closer-name NSEC"),
    ("foo.wild.example.net.", "TXT", "wildcard TXT"),
    ("a.b.wild.example.net.", "A", "wildcard over several labels"),
    ("foo.wild.example.net.", "MX", "wildcard NODATA: the wildcard's NSEC and the covering one"),
    ("*.wild.example.net.", "A", "the wildcard asked for literally"),
    ("wild.example.net.", "A", "wildcard parent (ENT) NODATA"),
    ("foo.wc.example.net.", "A", "wildcard CNAME, then signed target"),
    ("secure.example.net.", "A", "secure referral: NS, DS and its RRSIG"),
    ("host.secure.example.net.", "A", "secure referral below the cut"),
    ("secure.example.net.", "DS", "DS answered by the parent, signed"),
    ("insecure.example.net.", "A", "insecure referral: NSEC proves no DS"),
    ("insecure.example.net.", "DS", "DS NODATA at an insecure cut"),
    ("ns.insecure.example.net.", "A", "glue asked for: referral"),
    ("outsider.example.net.", "A", "referral with out-of-zone name servers"),
    ("foo.dn.example.net.", "A", "DNAME signed, synthesised CNAME not"),
    ("dn.example.net.", "DNAME", "DNAME asked for, signed"),
    ("_sip._tcp.example.net.", "SRV", "signed SRV + signed target address"),
    ("_tcp.example.net.", "SRV", "empty non-terminal under the SRV"),
    ("big.example.net.", "TXT", "big TXT: TC when its RRSIG does not fit"),
    ("a.example.net.", "A", "first name in canonical order"),
    ("zzz.example.net.", "A", "last name in canonical order"),
    ("zzz.example.net.", "TXT", "NODATA at the last name"),
]

# EDNS variants: None is no OPT at all.
EDNS_SIZES = [None, 512, 600, 1232, 4096]


def mixed_case(name, rng):
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in name)


def query(name, qtype, rule, **kw):
    q = {
        "name": name, "type": qtype, "rclass": "IN", "edns": None, "rd": 0, "cd": 0,
        "opcode": 0, "qr": 0, "family": 4, "rule": rule, "raw": None,
    }
    q.update(kw)
    return q


def edns(size=1232, do=0, nsid=0, version=0):
    return {"size": size, "do": do, "nsid": nsid, "version": version}


def build():
    rng = random.Random(SEED)
    out = []
    for name, qtype, rule in BASE:
        # Plain: IPv4, no EDNS, RD clear, the name as written.
        out.append(query(name, qtype, rule))
        # IPv6, EDNS 1232, RD set (echoed, RFC 1035 §4.1.1), mixed case.
        out.append(query(mixed_case(name, rng), qtype, rule + " [v6 edns mixed-case]",
                         family=6, rd=1, edns=edns(1232)))
        # A third variant drawn from the rest: sizes, DO, NSID, CD.
        size = rng.choice(EDNS_SIZES)
        out.append(query(mixed_case(name, rng), qtype, rule + " [variant]",
                         family=rng.choice((4, 6)), rd=rng.randint(0, 1), cd=rng.randint(0, 1),
                         edns=None if size is None else
                         edns(size, do=rng.randint(0, 1), nsid=rng.randint(0, 1))))
    nsec3 = [(n.replace("example.net.", "nsec3.example."), t, r + " (NSEC3)")
             for n, t, r in DNSSEC_BASE]
    for name, qtype, rule in DNSSEC_BASE + nsec3:
        out.append(query(name, qtype, rule + " [do]", edns=edns(1232, do=1)))
        out.append(query(mixed_case(name, rng), qtype, rule + " [do v6 4096 mixed-case]",
                         family=6, rd=1, edns=edns(4096, do=1)))
        out.append(query(name, qtype, rule + " [do 512]", edns=edns(512, do=1),
                         family=rng.choice((4, 6))))
        out.append(query(mixed_case(name, rng), qtype, rule + " [do=0]", edns=edns(1232)))
    # Opt-out (RFC 5155 §6): the same names from optout.example., whose NSEC3 chain skips the
    # unsigned delegations; each with DO=1, over IPv4 and IPv6.
    for name, qtype, rule in DNSSEC_BASE:
        name, rule = name.replace("example.net.", "optout.example."), rule + " (opt-out)"
        out.append(query(name, qtype, rule + " [do]", edns=edns(1232, do=1)))
        out.append(query(mixed_case(name, rng), qtype, rule + " [do v6 mixed-case]",
                         family=6, edns=edns(1232, do=1)))
    # An NSEC3 owner name does not exist to queries, whatever the type (RFC 5155 §7.2.8): here
    # the hash of www.nsec3.example. (no salt, no extra iterations, as the zone's NSEC3PARAM).
    hashed = dns.dnssec.nsec3_hash("www.nsec3.example.", None, 0, 1).lower() + ".nsec3.example."
    for name, qtype in ((hashed, "NSEC3"), (hashed, "A"), (hashed, "RRSIG"), (hashed, "ANY"),
                        ("x." + hashed, "A")):
        rule = f"NSEC3 owner name asked for ({qtype}): NXDOMAIN"
        out.append(query(name, qtype, rule + " [do]", edns=edns(1232, do=1)))
        out.append(query(name, qtype, rule + " [do=0]", edns=edns(1232), family=6))
    # Truncation at every size, both families.
    for name in ("bigtxt.example.com.", "hugetxt.example.com.", "gianttxt.example.com.",
                 "wide.example.com.", "example.com."):
        for size in EDNS_SIZES:
            for family in (4, 6):
                qtype = "NS" if name == "example.com." else ("A" if "wide" in name else "TXT")
                out.append(query(name, qtype, f"size limit {size}",
                                 family=family, edns=None if size is None else edns(size)))
    # Header and protocol rules.
    for opcode in (1, 2, 4, 5, 6, 15):
        out.append(query("www.example.com.", "A", f"opcode {opcode}", opcode=opcode))
        out.append(query("www.example.com.", "A", f"opcode {opcode} with EDNS", opcode=opcode,
                         edns=edns(1232), family=6))
    out.append(query("www.example.com.", "A", "QR=1 is dropped", qr=1))
    out.append(query("www.example.com.", "A", "EDNS version 1: BADVERS", edns=edns(1232, version=1)))
    out.append(query("missing.example.com.", "A", "EDNS version 2: BADVERS",
                     edns=edns(512, version=2, do=1), family=6))
    for rd in (0, 1):
        for cd in (0, 1):
            out.append(query("www.example.com.", "A", f"flags rd={rd} cd={cd}", rd=rd, cd=cd))
            out.append(query("www.example.com.", "A", f"flags rd={rd} cd={cd} do", rd=rd, cd=cd,
                             edns=edns(1232, do=1), family=6))
    out.append(query("www.example.com.", "A", "NSID", edns=edns(1232, nsid=1)))
    out.append(query("www.example.com.", "A", "class ANY", rclass="ANY"))
    out.append(query("www.example.com.", "A", "class HS", rclass="HS"))
    out.append(query("www.example.com.", "A", "class NONE", rclass="NONE"))
    out.append(query("id.server.", "TXT", "CHAOS id.server", rclass="CH"))
    out.append(query("hostname.bind.", "TXT", "CHAOS hostname.bind", rclass="CH", family=6))
    out.append(query("ID.Server.", "TXT", "CHAOS id.server mixed case", rclass="CH",
                     edns=edns(1232)))
    out.append(query("id.server.", "A", "CHAOS id.server, not TXT", rclass="CH"))
    out.append(query("example.com.", "AXFR", "AXFR"))
    out.append(query("example.com.", "IXFR", "IXFR", raw="nscount"))
    out.append(query("www.example.com.", "A", "ANCOUNT != 0", raw="ancount"))
    out.append(query("www.example.com.", "TYPE0", "QTYPE 0"))
    out.append(query("www.example.com.", "MAILB", "QTYPE MAILB"))
    for i, q in enumerate(out):
        q["id"] = i
    return out


CORPUS = build()

if __name__ == "__main__":
    for q in CORPUS:
        e = q["edns"]
        print(q["id"], q["name"], q["type"], q["rclass"], f"v{q['family']}",
              "noedns" if e is None else f"edns={e['size']},do={e['do']},nsid={e['nsid']},v={e['version']}",
              f"rd={q['rd']} cd={q['cd']} op={q['opcode']} qr={q['qr']}", q["raw"] or "", "#", q["rule"])
    print(len(CORPUS), "queries")
