#!/usr/bin/env python3
"""The top functions of a callgrind profile by self cost, per unit of work.

Reads `callgrind_annotate FILE` on stdin; prints instructions per unit, share of the total and the
function name without its argument list or object file.
Usage: callgrind_annotate F | callgrind_top.py TOP UNITS
"""
import re
import sys

ROW = re.compile(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S.*)")


def short_name(raw: str) -> str:
    name = re.sub(r" \[[^]]*\]$", "", raw)  # the object file
    name = name.split(":", 1)[-1]  # the source file, "???" without debug info
    name = name.replace("(anonymous namespace)", "{anon}")
    name = re.sub(r"\(.*\)", "", name)  # the argument list
    return name.replace("{anon}", "(anon)")


def main() -> None:
    top, units = int(sys.argv[1]), int(sys.argv[2])
    rows = 0
    for line in sys.stdin:
        m = ROW.match(line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        per_unit = int(m.group(1).replace(",", "")) / units
        print(f"{per_unit:8.0f} {m.group(2):>6}%  {short_name(m.group(3))}")
        rows += 1
        if rows == top:
            break


if __name__ == "__main__":
    main()
