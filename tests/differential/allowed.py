"""Where ringcast may answer differently from each reference server, and why: the allowlists
of the differential test (compare.py). Each entry is a predicate on (query, field, ringcast
response, peer response) and the reason, with its RFC; a difference matching none fails.
"""

import dns.flags
import dns.name
import dns.rcode
import dns.rdatatype

from corpus import SERVED_ZONES
from messages import section_text, summary


def _cnames(msg):
    return [rr for rr in msg.answer if rr.rdtype == dns.rdatatype.CNAME]


def _is_chain_prefix(short, long):
    """Every RRset of `short`'s answer is in `long`'s, and `short` ends in a CNAME."""
    if not short.answer or short.answer[-1].rdtype != dns.rdatatype.CNAME:
        return False
    return all(any(rr == other and rr.ttl == other.ttl for other in long.answer)
               for rr in short.answer)


def _capped_chain(capped, longer, cap):
    """`capped`'s answer is exactly `cap` CNAMEs, all in `longer`'s, which has more."""
    return (len(capped.answer) == cap and len(_cnames(capped)) == cap
            and len(_cnames(longer)) > cap and _is_chain_prefix(capped, longer))


def knot_cname_cap(q, field, rc, knot):
    # RFC 1034 §4.3.2 step 3a leaves how far a server follows a chain to the server: Knot stops
    # after 5 CNAMEs (CNAME_CHAIN_MAX), ringcast after 16 (dataplane/dns/answer.h
    # kMaxCnameChain). Both answers are correct: the resolver restarts at the last target.
    # Allowed only when Knot's answer is exactly 5 CNAMEs, all of which ringcast has too.
    return field in ("answer", "authority", "additional") and _capped_chain(knot, rc, 5)


def cd_copied(q, field, rc, knot):
    # RFC 4035 §3.1.6: "the name server MUST copy the CD bit from a query into the
    # corresponding response" (BIND does); Knot 3.2 and NSD 4.6 clear it. Allowed when the
    # flags differ in CD alone and ringcast's CD is the query's.
    if field != "flags":
        return False
    a = rc.flags & ~dns.flags.CD
    b = knot.flags & ~dns.flags.CD
    return a == b and bool(rc.flags & dns.flags.CD) == bool(q["cd"])


def transfer_notimp(q, field, rc, peer):
    # ringcast serves no zone transfers: IXFR and AXFR get NOTIMP (RFC 1035 §4.1.1: "does not
    # support the requested kind of query"). Knot implements both and, with no ACL allowing a
    # transfer, answers IXFR with NOTAUTH, and AXFR too over TCP, the transport AXFR is defined
    # on (RFC 5936 §4.2; over UDP both answer NOTIMP). Only the RCODE may differ.
    return q["type"] in ("IXFR", "AXFR") and field == "rcode" and rc.rcode() == dns.rcode.NOTIMP


def other_opcodes_notimp(q, field, rc, knot):
    # RFC 1035 §4.1.1: NOTIMP, "the name server does not support the requested kind of query".
    # ringcast implements QUERY only (no NOTIFY, RFC 1996; no UPDATE, RFC 2136 §3: a server that
    # does not implement UPDATE answers NOTIMP). Knot implements both and answers them REFUSED
    # or NOTAUTH here because no ACL allows them. Only the RCODE may differ.
    return q["opcode"] in (4, 5) and field == "rcode" and rc.rcode() == dns.rcode.NOTIMP


# NSD 4.6, in its default configuration.

# What ringcast caps a CNAME chain at (dataplane/dns/answer.h, kMaxCnameChain).
RINGCAST_CNAME_CAP = 16

ADDRESS_TYPES = (dns.rdatatype.A, dns.rdatatype.AAAA)


def _texts(rrsets):
    return set(section_text(rrsets))


def _targets(rrsets, rdtypes):
    """The target names of the NS, SVCB or HTTPS records among `rrsets` of `rdtypes`."""
    return {rd.target for rr in rrsets if rr.rdtype in rdtypes for rd in rr}


def _addresses_of(msg, names):
    """The A and AAAA RRsets of `msg`'s additional section owned by one of `names`, with their
    RRSIGs (RFC 4035 §3.1.1)."""
    return [rr for rr in msg.additional if rr.name in names and (
        rr.rdtype in ADDRESS_TYPES
        or (rr.rdtype == dns.rdatatype.RRSIG and rr.covers in ADDRESS_TYPES))]


def _is_ns_or_its_rrsig(rr):
    return rr.rdtype == dns.rdatatype.NS or (
        rr.rdtype == dns.rdatatype.RRSIG and rr.covers == dns.rdatatype.NS)


def _only_ns(rrsets):
    return all(rr.rdtype == dns.rdatatype.NS for rr in rrsets)


def _query_zone(name):
    """The served zone (tests/data/zones/differential) that `name` is answered from: the
    longest origin it is at or below."""
    matches = [z for z in SERVED_ZONES if name.is_subdomain(dns.name.from_text(z))]
    return max(matches, key=len) if matches else None


def nsd_zone_ns_in_authority(q, field, rc, peer):
    # RFC 1034 §3.7 / §6.2.1: the authority section of an answer "may optionally" carry the
    # zone's NS RRset. NSD adds it to positive answers (its default minimal-responses: no);
    # Knot and ringcast leave it out, as RFC 4472 §4.3 advises for small responses.
    # Allowed: NOERROR with an answer from both, NSD's authority ringcast's plus one NS RRset
    # of the zone apex (and its RRSIG in a signed zone, RFC 4035 §3.1.1).
    if field != "authority" or rc.rcode() != dns.rcode.NOERROR or peer.rcode() != rc.rcode() \
            or not rc.answer or not peer.answer:
        return False
    ours = _texts(rc.authority)
    extra = [rr for rr in peer.authority if not _texts([rr]) <= ours]
    return (ours <= _texts(peer.authority) and bool(extra)
            and all(_is_ns_or_its_rrsig(rr) and rr.name == extra[0].name for rr in extra)
            and sum(rr.rdtype == dns.rdatatype.NS for rr in extra) == 1)


def nsd_additional_for_own_records(q, field, rc, peer):
    # RFC 1034 §4.3.2 step 6: each server adds the addresses of the names its own answer and
    # authority sections point at. NSD adds those of the NS RRset it puts in authority (rule
    # above) but not of SVCB and HTTPS targets, which RFC 9460 §4.1 says servers SHOULD add
    # (Knot and ringcast do). Allowed when every record one side has and the other lacks is
    # an address of a name server or SVCB/HTTPS target in that side's own answer or authority
    # that the other side's sections do not hold.
    if field != "additional":
        return False

    def explained(msg, other):
        pointed = _targets(msg.answer, (dns.rdatatype.SVCB, dns.rdatatype.HTTPS))
        pointed |= _targets(msg.answer + msg.authority, (dns.rdatatype.NS,)) - \
            _targets(other.answer + other.authority, (dns.rdatatype.NS,))
        return _texts(_addresses_of(msg, pointed))

    rc_only = _texts(rc.additional) - _texts(peer.additional)
    peer_only = _texts(peer.additional) - _texts(rc.additional)
    return rc_only <= explained(rc, peer) and peer_only <= explained(peer, rc)


def nsd_cname_cap(q, field, rc, peer):
    # RFC 1034 §4.3.2 step 3a leaves the chain length to the server: ringcast stops after 16
    # CNAMEs, NSD follows a chain of 24 to its end. The resolver restarts at the last target.
    # Allowed when ringcast's answer is exactly 16 CNAMEs, all in NSD's answer.
    return field == "answer" and _capped_chain(rc, peer, RINGCAST_CNAME_CAP)


def nsd_cname_across_zones(q, field, rc, peer):
    # ringcast follows a CNAME chain within the zone that answers the query (as Knot does);
    # NSD goes on into another zone it serves. RFC 1035 §4.1.1: AA covers the query name only,
    # so what NSD adds from the other zone is not authoritative, and RFC 2181 §5.4.1 ranks it
    # below the target zone's own answer, which the resolver asks for when it restarts at the
    # target (RFC 1034 §5.3.3). Allowed: ringcast's answer is a prefix of NSD's, ending in a
    # CNAME whose target another served zone answers; authority holds only NS RRsets (the
    # referral to a child, or NSD's for the target zone), additional only their addresses.
    if not rc.answer or not _is_chain_prefix(rc, peer) or len(peer.answer) <= len(rc.answer):
        return False
    target = rc.answer[-1][0].target
    if _query_zone(target) == _query_zone(rc.question[0].name):
        return False
    if field == "answer":
        return True
    if field == "authority":
        return _only_ns(rc.authority) and _only_ns(peer.authority)
    return False


def nsd_follows_cname_for_rrsig_nsec(q, field, rc, peer):
    # RFC 4035 §2.5: RRSIG and NSEC records exist beside a CNAME at its owner, so a query for
    # either type asks for the node's own data; RFC 1034 §3.6.2 follows a CNAME only when the
    # type asked for is not there. ringcast (like Knot) answers NODATA from the owner; NSD 4.6
    # follows the CNAME. Allowed: QTYPE RRSIG or NSEC, ringcast's answer empty, NSD's a CNAME
    # chain starting at the query name.
    return (field == "answer" and q["type"] in ("RRSIG", "NSEC") and not rc.answer
            and bool(peer.answer) and len(_cnames(peer)) == len(peer.answer)
            and peer.answer[0].name == peer.question[0].name)


def nsd_glue_truncation(q, field, rc, peer):
    # RFC 9471 §3.1: all in-domain glue MUST be in a referral, and when it does not fit the
    # server MUST set TC. ringcast adds whole glue RRsets while they fit and then sets TC
    # (Knot also sets TC); NSD 4.6, older than RFC 9471, sends the glue that fits without TC.
    # Allowed on the same referral (no AA, the same NS RRset in authority) when neither side
    # holds all the glue the two hold together: flags that differ in TC alone with ringcast's
    # set, and additional sections of addresses of those name servers only.
    if rc.answer or peer.answer or section_text(rc.authority) != section_text(peer.authority) \
            or not rc.authority or not _only_ns(rc.authority) or not rc.flags & dns.flags.TC:
        return False
    servers = _targets(rc.authority, (dns.rdatatype.NS,))
    glue = _texts(_addresses_of(rc, servers)) | _texts(_addresses_of(peer, servers))
    rc_glue, peer_glue = _texts(rc.additional), _texts(peer.additional)
    if not (rc_glue < glue and peer_glue < glue):
        return False  # one side has all of it: it fits, and TC is wrong
    if field == "flags":
        return (rc.flags & ~dns.flags.TC) == (peer.flags & ~dns.flags.TC) and \
            not peer.flags & dns.flags.AA
    return field == "additional"


def nsd_any_rrset(q, field, rc, peer):
    # RFC 8482 §4.2: ANY is answered with one RRset of the name (or a few), the server's
    # choice: ringcast takes the node's lowest type (NS at the apex), NSD 4.6 the SOA. Allowed:
    # each answer is one RRset owned by the query name, with its RRSIG in a signed zone.
    def one_rrset(msg):
        data = [rr for rr in msg.answer if rr.rdtype != dns.rdatatype.RRSIG]
        sigs = [rr for rr in msg.answer if rr.rdtype == dns.rdatatype.RRSIG]
        return (len(data) == 1 and all(rr.covers == data[0].rdtype for rr in sigs)
                and all(rr.name == q_name for rr in msg.answer))

    if field != "answer" or q["type"] != "ANY" or not rc.answer or not peer.answer:
        return False
    q_name = rc.answer[0].name
    return one_rrset(rc) and one_rrset(peer)


def nsd_bare_error(q, field, rc, peer):
    # NSD answers an opcode it does not implement, and a class it does not serve, with a bare
    # header. ringcast repeats the question, as resolvers match a response to its query by
    # ID and question (RFC 5452 §9.1), and includes OPT when the query had one (RFC 6891
    # §6.1.1: "compliant responders MUST include an OPT record"). Allowed: NOTIMP or REFUSED,
    # NSD's question empty and no OPT, ringcast's question the query's.
    if rc.rcode() not in (dns.rcode.NOTIMP, dns.rcode.REFUSED) or peer.question:
        return False
    if field == "question":
        return len(rc.question) == 1
    if field == "edns":
        return peer.edns < 0 and rc.edns >= 0 and q["edns"] is not None
    return False


def do_copied(q, field, rc, peer):
    # RFC 3225 §3: "the DO bit of the query MUST be copied in the response"; NSD 4.6 clears it
    # in a BADVERS response. Allowed when EDNS differs in DO alone and ringcast's is the query's.
    if field != "edns" or q["edns"] is None:
        return False
    rc_edns, peer_edns = summary(rc)["edns"], summary(peer)["edns"] or ""
    return (rc_edns.replace("do=1", "do=0") == peer_edns.replace("do=1", "do=0")
            and ("do=1" in rc_edns) == bool(q["edns"]["do"]))


def aa_for_class_any(q, field, rc, peer):
    # RFC 1035 §4.1.1: AA says the server is an authority for the name in the question. QCLASS
    # * (ANY) is answered from the IN data ringcast is authoritative for, with AA, as Knot and
    # BIND do (NSD's changelog of 2011-03-08 says so of BIND 9.6); NSD 4.6 clears AA for it.
    # Allowed when the flags differ in AA alone, for QCLASS ANY.
    return (field == "flags" and q["rclass"] == "ANY"
            and (rc.flags & ~dns.flags.AA) == (peer.flags & ~dns.flags.AA)
            and bool(rc.flags & dns.flags.AA))


def answer_section_records_ignored(q, field, rc, peer):
    # A QUERY with a record in its answer section: ringcast, like Knot, ignores the record once
    # it parses and answers the question; NSD answers FORMERR. RFC 1035 §4.1.1 keeps FORMERR
    # for a query the server "was unable to interpret", and the question here is well formed.
    # Allowed for that query: NSD's FORMERR, ringcast's answer.
    return q["raw"] == "ancount" and peer.rcode() == dns.rcode.FORMERR


def qtype_zero_notimp(q, field, rc, peer):
    # QTYPE 0 is reserved (RFC 6895 §3.1) and names no data. ringcast and Knot answer NOTIMP
    # (RFC 1035 §4.1.1, a kind of query not supported), NSD a NODATA with the SOA; neither
    # carries data. Allowed: NOTIMP from ringcast, a NOERROR with no answer from NSD.
    return (q["type"] == "TYPE0" and rc.rcode() == dns.rcode.NOTIMP
            and peer.rcode() == dns.rcode.NOERROR and not peer.answer
            and field in ("rcode", "flags", "authority"))


def truncated_content(q, field, rc, peer):
    # RFC 2181 §9: a resolver that gets TC=1 discards the response and asks again over TCP, so
    # which records precede the cut is each server's choice. ringcast writes whole RRsets with
    # their RRSIGs and stops at the first that does not fit (RFC 4035 §3.1.1); Knot moves a
    # section's RRSIGs to its end and drops those that do not fit. Allowed: both set TC, the
    # flags and RCODE are compared as usual, only the sections may differ.
    return (field in ("answer", "authority", "additional")
            and bool(rc.flags & dns.flags.TC) and bool(peer.flags & dns.flags.TC))


def knot_rrsig_of_one_type(q, field, rc, peer):
    # A query for type RRSIG asks for the name's RRSIG RRset, which ringcast returns whole
    # (RFC 1034 §4.3.2 step 3a: the matching RRs). Knot 3.2 returns the signatures of one
    # covered type only, the way RFC 8482 §4.2 lets a server trim ANY. Allowed: QTYPE RRSIG,
    # Knot's answer RRSIGs of a single covered type, every one of them in ringcast's answer,
    # which holds RRSIGs of the query name only.
    if field != "answer" or q["type"] != "RRSIG" or not peer.answer:
        return False
    qname = rc.question[0].name
    if any(rr.rdtype != dns.rdatatype.RRSIG or rr.name != qname for rr in rc.answer + peer.answer):
        return False
    covered = {rd.type_covered for rr in peer.answer for rd in rr}
    ours = {rd.to_text() for rr in rc.answer for rd in rr}
    return len(covered) == 1 and all(rd.to_text() in ours for rr in peer.answer for rd in rr)


def _is_nsec3_hash_label(label):
    # RFC 5155 §3.3: an NSEC3 owner's first label is a SHA-1 hash in base32hex, 32 characters.
    text = label.decode("ascii", "replace").lower()
    return len(text) == 32 and all(c in "0123456789abcdefghijklmnopqrstuv" for c in text)


def nsd_below_nsec3_owner(q, field, rc, peer):
    # RFC 5155 §7.2.8: an NSEC3 owner name does not exist to queries, so for a name below one
    # the closest encloser is the zone apex and the name error proof is the full closest
    # encloser proof of §7.2.2 (ringcast and Knot send three NSEC3s). NSD 4.6 keeps NSEC3
    # owners in its name tree, takes the hashed name as the closest encloser, and sends only
    # the NSEC3 covering the next closer name, which a validator cannot use. Allowed: both
    # NXDOMAIN, the query name one label below a hash label, the authority sections the same
    # apart from NSEC3s and their RRSIGs.
    labels = dns.name.from_text(q["name"]).labels
    if field != "authority" or len(labels) < 3 or not _is_nsec3_hash_label(labels[1]):
        return False
    if rc.rcode() != dns.rcode.NXDOMAIN or peer.rcode() != dns.rcode.NXDOMAIN:
        return False

    def without_nsec3(msg):
        return section_text([rr for rr in msg.authority if dns.rdatatype.NSEC3
                             not in (rr.rdtype, rr.covers)])
    return without_nsec3(rc) == without_nsec3(peer)


ALLOWED = {
    "knot": [
        (truncated_content, "TC=1: the records before the cut are the server's choice "
         "(RFC 2181 §9)"),
        (knot_rrsig_of_one_type,
         "QTYPE RRSIG: the whole RRSIG RRset (RFC 1034 §4.3.2 step 3a); Knot trims it"),
        (knot_cname_cap, "CNAME hop cap: Knot 5, ringcast 16 (RFC 1034 §4.3.2 step 3a)"),
        (cd_copied, "CD copied from the query (RFC 4035 §3.1.6)"),
        (transfer_notimp, "zone transfers not implemented: NOTIMP (RFC 1035 §4.1.1)"),
        (other_opcodes_notimp,
         "NOTIFY/UPDATE not implemented: NOTIMP (RFC 1035 §4.1.1, RFC 2136 §3)"),
    ],
    "nsd": [
        (truncated_content, "TC=1: the records before the cut are the server's choice "
         "(RFC 2181 §9)"),
        (nsd_zone_ns_in_authority,
         "NSD: the zone's NS RRset in a positive answer's authority (RFC 1034 §3.7)"),
        (nsd_additional_for_own_records,
         "additional: addresses for each side's own NS and SVCB/HTTPS targets "
         "(RFC 1034 §4.3.2 step 6, RFC 9460 §4.1)"),
        (nsd_cname_cap, "CNAME hop cap: ringcast 16, NSD none (RFC 1034 §4.3.2 step 3a)"),
        (nsd_cname_across_zones, "CNAME followed within its zone only (RFC 1035 §4.1.1)"),
        (nsd_follows_cname_for_rrsig_nsec,
         "RRSIG/NSEC at a CNAME are the owner's data (RFC 4035 §2.5)"),
        (nsd_glue_truncation, "glue that does not fit sets TC (RFC 9471 §3.1)"),
        (nsd_any_rrset, "ANY: one RRset, the server's choice (RFC 8482 §4.2)"),
        (nsd_bare_error,
         "errors repeat the question and OPT (RFC 5452 §9.1, RFC 6891 §6.1.1)"),
        (do_copied, "DO copied into BADVERS (RFC 3225 §3)"),
        (aa_for_class_any, "AA for QCLASS ANY from IN data (RFC 1035 §4.1.1)"),
        (answer_section_records_ignored,
         "records in a query's answer section ignored (RFC 1035 §4.1.1)"),
        (qtype_zero_notimp, "QTYPE 0: NOTIMP (RFC 6895 §3.1, RFC 1035 §4.1.1)"),
        (nsd_below_nsec3_owner,
         "below an NSEC3 owner name: the apex is the closest encloser (RFC 5155 §7.2.8)"),
        (cd_copied, "CD copied from the query (RFC 4035 §3.1.6)"),
        (transfer_notimp, "zone transfers not implemented: NOTIMP (RFC 1035 §4.1.1)"),
        (other_opcodes_notimp,
         "NOTIFY/UPDATE not implemented: NOTIMP (RFC 1035 §4.1.1, RFC 2136 §3)"),
    ],
}
