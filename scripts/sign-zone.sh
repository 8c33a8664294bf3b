#!/usr/bin/env bash
# Presigns a zone file with Knot's offline signer, kzonesign: ECDSAP256SHA256 (algorithm 13), a
# KSK and a ZSK made for this run in a throwaway KASP database, so every run gives new DNSKEYs
# and signatures; the SOA serial stays as written (kzonesign does not bump it on a first
# signing). The output is Knot's dump (absolute owners, no class field) after HEADER's lines,
# and kzonecheck must accept it. ringcast, Knot and NSD then serve it as it is, no online
# signing: the differential test's signed zones and the benchmarks' signed zones come from here.
#
#   scripts/sign-zone.sh [--denial nsec|nsec3|nsec3-optout] [--days N] [--header TEXT]
#                        ORIGIN IN_FILE OUT_FILE
# --denial  NSEC chain (default), or NSEC3 (SHA-1, no salt, no extra iterations, as RFC 9276
#           §3.1 advises), with or without opt-out (RFC 5155 §6)
# --days    signature validity from now (default 7300, 20 years; knot 3.2 takes d units)
# --header  comment lines put first (each line gets "; ")
# Needs kzonesign, keymgr and kzonecheck (Debian: knot-dnssecutils).
set -euo pipefail

denial=nsec
days=7300
header=
while [ $# -gt 0 ]; do
    case "$1" in
        --denial) denial=$2; shift 2 ;;
        --days) days=$2; shift 2 ;;
        --header) header=$2; shift 2 ;;
        --*) echo "sign-zone.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[ $# -eq 3 ] || { echo "usage: sign-zone.sh [--denial nsec|nsec3|nsec3-optout] [--days N] [--header TEXT] ORIGIN IN_FILE OUT_FILE" >&2; exit 2; }
origin=$1 src=$2 dst=$3
case "$origin" in *.) ;; *) echo "sign-zone.sh: origin '$origin' must end in '.'" >&2; exit 2 ;; esac
case "$denial" in nsec | nsec3 | nsec3-optout) ;; *) echo "sign-zone.sh: --denial is nsec, nsec3 or nsec3-optout" >&2; exit 2 ;; esac
for tool in kzonesign keymgr kzonecheck; do
    command -v "$tool" >/dev/null || { echo "sign-zone.sh: $tool not found (Debian: knot-dnssecutils)" >&2; exit 1; }
done
[ -r "$src" ] || { echo "sign-zone.sh: cannot read $src" >&2; exit 1; }

tmp=$(mktemp -d /tmp/ringcast-sign.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/keys" "$tmp/out"
cp "$src" "$tmp/${origin}zone"

nsec3_policy="nsec3: off"
if [ "$denial" != nsec ]; then
    nsec3_policy="nsec3: on
    nsec3-iterations: 0
    nsec3-salt-length: 0
    nsec3-opt-out: $([ "$denial" = nsec3-optout ] && echo on || echo off)"
fi
cat >"$tmp/knot.conf" <<CONF
database:
    storage: "$tmp"
    kasp-db: "$tmp/keys"
policy:
  - id: presigned
    algorithm: ecdsap256sha256
    $nsec3_policy
    single-type-signing: off
    ksk-lifetime: 0
    zsk-lifetime: 0
    rrsig-lifetime: ${days}d
    reproducible-signing: on
    cds-cdnskey-publish: none
zone:
  - domain: $origin
    file: "$tmp/${origin}zone"
    dnssec-signing: on
    dnssec-policy: presigned
    journal-content: none
CONF
# Keys made beforehand (kzonesign would make them too, but logs an error first).
keymgr -c "$tmp/knot.conf" "$origin" generate algorithm=ecdsap256sha256 ksk=yes zsk=no >/dev/null
keymgr -c "$tmp/knot.conf" "$origin" generate algorithm=ecdsap256sha256 ksk=no zsk=yes >/dev/null
kzonesign -c "$tmp/knot.conf" -o "$tmp/out" "$origin" >"$tmp/kzonesign.log" 2>&1 ||
    { cat "$tmp/kzonesign.log" >&2; echo "sign-zone.sh: kzonesign failed for $origin" >&2; exit 1; }

{
    [ -z "$header" ] || printf '%s\n' "$header" | sed 's/^/; /'
    cat "$tmp/out/${origin}zone"
} >"$tmp/signed"
kzonecheck -o "$origin" "$tmp/signed" >"$tmp/check.log" 2>&1 ||
    { cat "$tmp/check.log" >&2; echo "sign-zone.sh: kzonecheck rejects the signed $origin" >&2; exit 1; }
install -m 0644 "$tmp/signed" "$dst"

echo "sign-zone.sh: wrote $dst ($(wc -l <"$dst") lines, ${denial^^}, kzonecheck passes)"
keymgr -c "$tmp/knot.conf" "$origin" list | awk '{print "sign-zone.sh:   key " $2 " " $3 " " $4}'
# Fields of Knot's dump: owner TTL type rdata.
awk '$3 == "SOA" {print "sign-zone.sh:   SOA serial " $6}' "$dst"
awk '$3 == "RRSIG" {n++; e = $8; i = $9} END {print "sign-zone.sh:   " n " RRSIGs, inception " i ", expiration " e}' "$dst"
awk '$3 == "NSEC" || $3 == "NSEC3" {n++} END {print "sign-zone.sh:   " n " NSEC/NSEC3 records"}' "$dst"
