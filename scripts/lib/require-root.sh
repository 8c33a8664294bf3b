# Sourced by every script the README shows. They are written to run as root without sudo (a fresh
# Debian 12 has no sudo); run by another user, they stop and say how to run them instead.
#
#   require_root WHAT WHY "$0" "$@"
#     WHAT  the script's short name, used as the message prefix
#     WHY   what needs root (namespaces, AF_XDP, package installs)
require_root() {
    local what=$1 why=$2
    shift 2
    [ "$(id -u)" -eq 0 ] && return 0
    local command="$*"
    {
        echo "$what: $why, so it must run as root."
        echo "  as root:               $command"
        if command -v sudo >/dev/null 2>&1; then
            echo "  with sudo:             sudo $command"
        else
            echo "  from this user (no sudo here): su -c '$command'"
        fi
    } >&2
    exit 1
}
