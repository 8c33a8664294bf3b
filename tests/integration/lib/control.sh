# Helpers for the control-plane integration tests (admin socket, reload, supervision, metrics).
# Source after lib/harness.sh.

PY=/usr/bin/python3 # Debian's, with python3-dnspython

# ctl ARGS...: ringcastctl on this test's admin socket.
ctl() { "$RINGCASTCTL" --socket "$work/run/admin.sock" "$@"; }

# json_get EXPR: reads JSON on stdin and prints the Python expression EXPR over it (`j`).
json_get() { "$PY" -c 'import json,sys; j=json.load(sys.stdin); v='"$1"'; print(json.dumps(v) if isinstance(v,(dict,list,bool)) else v)'; }

# status_field EXPR: a field of `ringcastctl status --json`, e.g. 'j["dataplane"]["pid"]'.
status_field() { ctl status --json 2>/dev/null | json_get "$1" 2>/dev/null; }

# wait_until SECONDS CMD...: polls CMD every 0.2 s until it succeeds; false on timeout.
wait_until() {
    local deadline=$((SECONDS + $1)); shift
    while [ $SECONDS -lt $deadline ]; do
        "$@" && return 0
        sleep 0.2
    done
    return 1
}

# soa_serial ZONE: the SOA serial the VIP serves for ZONE.
soa_serial() { pop_client "$prefix" dig +short +time=1 +tries=2 @"$POP_VIP_V4" "$1" SOA | awk '{print $3}'; }
