# The PoP host's own TCP services, for the exception-path tests: listeners in the PoP namespace
# on the host's addresses and a client that reads what they say.
# Source after lib/harness.sh; set HOST_V4 and HOST_V6 first.

HOST_TCP_LISTEN_S=90   # the listeners stop by themselves after this
HOST_TCP_CONNECT_S=3
host_listeners_pid=

# host_listeners_start PORT...: on each port of HOST_V4 and HOST_V6, a listener that accepts and
# answers "kernel <port>"; its pid in host_listeners_pid.
host_listeners_start() {
    ip netns exec "$prefix-pop" timeout "$HOST_TCP_LISTEN_S" python3 -c '
import socket, sys, threading
def serve(family, address, port):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(8)
    while True:
        c, _ = s.accept()
        c.sendall(b"kernel %d\n" % port)
        c.close()
for family, address in ((socket.AF_INET, sys.argv[1]), (socket.AF_INET6, sys.argv[2])):
    for port in sys.argv[3:]:
        threading.Thread(target=serve, args=(family, address, int(port)), daemon=True).start()
threading.Event().wait()
' "$HOST_V4" "$HOST_V6" "$@" >"$work/listeners.log" 2>&1 &
    host_listeners_pid=$!
}

host_listeners_stop() {
    [ -n "$host_listeners_pid" ] || return 0
    kill "$host_listeners_pid" 2>/dev/null
    wait "$host_listeners_pid" 2>/dev/null
}

# kernel_tcp ADDRESS PORT: what the host's listener says over a fresh connection from the client.
kernel_tcp() {
    pop_client "$prefix" python3 -c '
import socket, sys
try:
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
    print(s.recv(64).decode().strip())
except OSError as e:
    print("failed:", e)
' "$1" "$2" "$HOST_TCP_CONNECT_S"
}
