#!/usr/bin/python3
"""Validates a Prometheus text exposition (format 0.0.4) and compares it with ringcastctl stats.

usage: prom_check.py METRICS_FILE STATS_BEFORE_JSON STATS_AFTER_JSON
The stats files are `ringcastctl stats --json` taken just before and just after the scrape: each
counter's sum over lcores on the page must lie between the two. Prints "ok|FAIL - ..." lines.
"""
import json
import re
import sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"'
SAMPLE = re.compile(rf"^({NAME})(?:\{{((?:{LABEL})(?:,{LABEL})*)?\}})? (-?[0-9.eE+-]+|NaN|[+-]Inf)$")
failures = 0


def report(ok, what, detail=""):
    global failures
    print(("ok   - " if ok else "FAIL - ") + what + ("" if ok else f" ({detail})"))
    failures += 0 if ok else 1


page = open(sys.argv[1]).read()
before = json.load(open(sys.argv[2]))["total"]
after = json.load(open(sys.argv[3]))["total"]

types, helps, series, problems = {}, set(), {}, []
for number, line in enumerate(page.splitlines(), 1):
    if line.startswith("# HELP "):
        name = line.split(" ")[2]
        if name in helps:
            problems.append(f"line {number}: second HELP for {name}")
        helps.add(name)
    elif line.startswith("# TYPE "):
        parts = line.split(" ")
        if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
            problems.append(f"line {number}: bad TYPE line")
        elif parts[2] in types:
            problems.append(f"line {number}: second TYPE for {parts[2]}")
        types[parts[2]] = parts[3] if len(parts) == 4 else None
    elif line.startswith("#") or not line:
        continue
    else:
        m = SAMPLE.match(line)
        if not m:
            problems.append(f"line {number}: not a sample: {line!r}")
            continue
        name, labels, value = m.groups()
        if name not in types:
            problems.append(f"line {number}: {name} has no TYPE before it")
        key = (name, labels)
        if key in series:
            problems.append(f"line {number}: duplicate series {name}{{{labels}}}")
        series[key] = float(value)
report(not problems, f"valid Prometheus text: {len(types)} families, {len(series)} series",
       "; ".join(problems[:5]))
report(page.endswith("\n"), "the page ends with a newline")


def total(family, label=None):
    """Sum over lcores of one family (optionally one label value, e.g. reason="x")."""
    values = [v for (n, labels), v in series.items()
              if n == family and (label is None or (labels or "").startswith(label + ","))]
    return sum(values) if values else None


mismatches = []
checked = 0
for section, family, label in [("counters", None, None), ("drops", "ringcast_drops_total", "reason"),
                               ("rcodes", "ringcast_dns_responses_total", "rcode")]:
    for name, low in before[section].items():
        high = after[section][name]
        value = total(f"ringcast_{name}_total") if family is None else total(family, f'{label}="{name}"')
        checked += 1
        if value is None or not (low <= value <= high):
            mismatches.append(f"{section}/{name}: page {value}, stats {low}..{high}")
report(not mismatches, f"every one of the {checked} counters of `ringcastctl stats` is on the page, same value",
       "; ".join(mismatches[:5]))
for must in ["ringcast_dataplane_up", "ringcast_snapshot_generation", "ringcast_zone_serial",
             "ringcast_dataplane_restarts_total"]:
    report(must in types, f"daemon metric {must}")
report(total("ringcast_dns_udp4_queries_total") and total("ringcast_dns_udp4_queries_total") > 0,
       "DNS queries were counted")
sys.exit(1 if failures else 0)
