#!/usr/bin/env bash
# Installs the Debian packages ringcast needs (only those missing) and builds it into build/.
# Usage: scripts/setup.sh                  (as root when packages are missing; sudo is used if present)
#        scripts/setup.sh --packages-only  installs, does not build (scripts/fuzz.sh, test.sh's lanes)
set -euo pipefail
packages_only=false
[ "${1:-}" = --packages-only ] && packages_only=true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup: installing packages needs root and there is no sudo; as root run: $root/scripts/setup.sh" >&2
        exit 1
    fi
}

missing=()
while read -r pkg; do
    pkg=${pkg%%#*}; pkg=${pkg//[[:space:]]/}
    [ -n "$pkg" ] || continue
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done < scripts/packages.txt

if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    # Knot and NSD are only reference peers for the tests and benchmarks, which start their own
    # instances: a system service that Debian starts on install would hold port 53. Stop only
    # what this run installed, so an operator's own knotd or nsd is left alone.
    if [ -d /run/systemd/system ]; then
        for pkg in "${missing[@]}"; do
            case "$pkg" in
                knot | nsd) as_root systemctl disable --now "$pkg" >/dev/null 2>&1 || true ;;
            esac
        done
    fi
fi

$packages_only && exit 0

if [ ! -f build/build.ninja ]; then
    meson setup build --buildtype=debugoptimized
fi
ninja -C build
