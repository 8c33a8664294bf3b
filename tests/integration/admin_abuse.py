#!/usr/bin/python3
"""Misbehaving clients of ringcastd's admin socket, each followed by a well-behaved request.

usage: admin_abuse.py SOCKET
Prints one "ok|FAIL - description" line per check; exits 1 if any failed.
"""
import json
import os
import socket
import sys
import threading
import time

path = sys.argv[1]
failures = 0


def report(ok, what, detail=""):
    global failures
    print(("ok   - " if ok else "FAIL - ") + what + ("" if ok else f" ({detail})"))
    failures += 0 if ok else 1


def connect(timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    return s


def read_line(s):
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def request(line, timeout=10):
    s = connect(timeout)
    s.sendall(line)
    reply = read_line(s)
    s.close()
    return json.loads(reply) if reply else None


def status_ok():
    reply = request(b'{"version":1,"cmd":"status"}\n')
    return reply is not None and reply.get("ok") is True and reply.get("version") == 1


# 1. Random bytes: every complete line gets an error reply; the connection is then closed by us.
s = connect()
s.sendall(os.urandom(1 << 20))
s.shutdown(socket.SHUT_WR)
replies = 0
try:
    while True:
        line = read_line(s)
        if not line:
            break
        reply = json.loads(line)
        if reply.get("ok") is not False:
            report(False, "random bytes get error replies", line[:200])
            break
        replies += 1
except (ConnectionResetError, socket.timeout):
    pass
s.close()
report(status_ok(), f"1 MiB of random bytes ({replies} error replies): the daemon still answers")

# 2. A 10 MB line: one too_long error, then the daemon closes the connection.
s = connect()
got = None
try:
    s.sendall(b"a" * (10 * 1000 * 1000))
except (BrokenPipeError, ConnectionResetError):
    pass  # it stopped reading once the line was over the cap
try:
    line = read_line(s)
    got = json.loads(line) if line else None
except (ConnectionResetError, socket.timeout):
    pass
s.close()
report(got is None or got.get("code") == "too_long", "a 10 MB line is refused as too_long", got)
report(status_ok(), "after a 10 MB line the daemon still answers")

# 3. Half a request, then a disconnect (20 times), and one that stays silent.
for _ in range(20):
    s = connect()
    s.sendall(b'{"version":1,"cmd":"sta')
    s.close()
silent = connect()
silent.sendall(b'{"version":1,"cmd":"sta')
report(status_ok(), "half requests then disconnects (and a silent one): the daemon still answers")

# 4. Malformed and unknown requests get error replies with a code.
for line, code in [(b"{not json\n", "bad_request"), (b'{"version":7,"cmd":"status"}\n', "unsupported_version"),
                   (b"frobnicate\n", "unknown_command"), (b'{"version":1,"cmd":"reload-zone"}\n', "bad_request"),
                   (b'{"version":1}\n', "bad_request")]:
    reply = request(line)
    report(reply is not None and reply.get("ok") is False and reply.get("code") == code,
           f"{line.strip().decode()!r} -> {code}", reply)
reply = request(b"status\n")
report(reply is not None and reply.get("ok") is True, "bare word 'status' works (socat users)", reply)

# 5. 100 concurrent clients, each asking for status and stats.
results = []
lock = threading.Lock()


def client():
    try:
        s = connect(20)
        s.sendall(b'{"version":1,"cmd":"status"}\n{"version":1,"cmd":"stats"}\n')
        a = json.loads(read_line(s))
        b = json.loads(read_line(s))
        s.close()
        ok = a.get("ok") is True and b.get("ok") is True and "lcores" in b
    except Exception as e:  # noqa: BLE001 - any failure is a failed client
        ok = False
    with lock:
        results.append(ok)


threads = [threading.Thread(target=client) for _ in range(100)]
start = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
report(results.count(True) == 100, f"100 concurrent clients all answered ({elapsed:.2f} s)",
       f"{results.count(True)} of 100")

# 6. A client that never reads its replies is dropped, others are served meanwhile.
slow = connect()
slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
try:
    slow.sendall(b'{"version":1,"cmd":"stats"}\n' * 4000)
except (BrokenPipeError, ConnectionResetError, socket.timeout):
    pass
report(status_ok(), "while a client does not read its replies, others are served")
silent.close()
slow.close()
report(status_ok(), "the daemon still answers at the end")
sys.exit(1 if failures else 0)
