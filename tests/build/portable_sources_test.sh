#!/usr/bin/env bash
# Regression (issue 18): dataplane/util/sha1.cpp included <cpuid.h> and <immintrin.h> with no
# guard, so the dataplane built on x86 only. This compiles, for aarch64, every source that may
# hold CPU-specific code — dataplane/util/*.cpp and any dataplane file naming intrinsics, CPUID
# or inline assembly — with the cross compiler (syntax and types only: no arm64 libraries
# here). Exit 77 (skipped, and reported so) without aarch64-linux-gnu-g++.
set -uo pipefail
: "${RINGCAST_SOURCE_DIR:?}"
cxx=aarch64-linux-gnu-g++
command -v "$cxx" >/dev/null || { echo "SKIP: $cxx not installed (package g++-aarch64-linux-gnu)"; exit 77; }
cd "$RINGCAST_SOURCE_DIR" || exit 1
mapfile -t sources < <({ ls dataplane/util/*.cpp
    grep -rlE 'intrin\.h|cpuid\.h|__builtin_ia32|__asm__|\basm\(' dataplane --include='*.cpp'; } | sort -u)
failed=0
for f in "${sources[@]}"; do
    if out=$("$cxx" -std=c++20 -Wall -Wextra -Werror -I. -fsyntax-only "$f" 2>&1); then
        echo "ok   - $f builds for aarch64"
    else
        echo "FAIL - $f builds for aarch64"
        echo "$out" | head -5
        failed=1
    fi
done
exit $failed
