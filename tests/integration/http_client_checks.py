#!/usr/bin/python3
"""HTTP/1.1 checks with Python's http.client and raw sockets against the dataplane.

Prints one line per check, "ok <name>" or "FAIL <name>: <detail>", for http_test.sh to count.

  http_client_checks.py connection HOST SITE_DIR
      persistent and pipelined requests on one connection, HEAD then GET, HTTP/1.0 closes.
  http_client_checks.py reload HOST SITE_DIR OTHER_ROOT RINGCASTCTL SOCKET
      a keep-alive connection across `ringcastctl reload`: a changed file, then a broken site.
"""

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time

TIMEOUT_S = 5  # per socket operation: the PoP answers in milliseconds
MAX_RESPONSE_BYTES = 1 << 20  # reading raw responses of the small test objects
STATUS_WAIT_S = 3  # for the dataplane's once-a-second figures to show a new connection

failed = 0


def check(name, ok, detail=""):
    global failed
    if ok:
        print(f"ok {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name}: {detail}", flush=True)


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def sha(data):
    return hashlib.sha256(data).hexdigest()


def connect(host):
    conn = http.client.HTTPConnection(host, 80, timeout=TIMEOUT_S)
    # Never reconnect behind our back: a closed connection must fail the check, not be hidden.
    conn.auto_open = 0
    conn.connect()
    return conn


def get(conn, path, method="GET", headers=None):
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    return response, body


def read_raw_responses(sock, count):
    """Reads `count` responses (Content-Length framed) from `sock`; returns [(head, body)] and
    whatever followed them."""
    data = b""
    out = []
    while len(out) < count:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if len(data) > MAX_RESPONSE_BYTES:
                break
            continue
        head = data[:end].decode("latin-1")
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        while len(data) < end + 4 + length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        out.append((head, data[end + 4 : end + 4 + length]))
        data = data[end + 4 + length :]
    return out, data


def header(head, name):
    for line in head.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return None


def connection_checks(host, site):
    small = read_file(os.path.join(site, "small.txt"))
    medium = read_file(os.path.join(site, "medium.bin"))
    index = read_file(os.path.join(site, "dir", "index.html"))

    # Persistent: 30 requests, one socket, every body intact.
    conn = connect(host)
    sock = conn.sock
    wanted = {"/small.txt": small, "/medium.bin": medium, "/dir/": index}
    bad = []
    for i in range(30):
        path = list(wanted)[i % len(wanted)]
        response, body = get(conn, path)
        if response.status != 200 or body != wanted[path] or response.will_close:
            bad.append(f"#{i} {path}: {response.status}, {len(body)} bytes")
    check("http.client: 30 requests on one persistent connection, bodies intact", not bad, bad)
    check("http.client: still the same socket after 30 requests", conn.sock is sock)

    # HEAD carries no body: were one sent, the GET after it on this connection would read it as
    # its status line and fail.
    response, body = get(conn, "/medium.bin", method="HEAD")
    check(
        "http.client: HEAD 200 with the GET's Content-Length, no body",
        response.status == 200
        and response.getheader("Content-Length") == str(len(medium))
        and body == b"",
        f"{response.status} {response.getheaders()}",
    )
    try:
        response, body = get(conn, "/small.txt")
        check("http.client: GET after HEAD on the same connection", body == small, response.status)
    except (http.client.HTTPException, OSError) as e:
        check("http.client: GET after HEAD on the same connection", False, repr(e))
    conn.close()

    # Pipelined: three requests in one write, three answers in order.
    s = socket.create_connection((host, 80), timeout=TIMEOUT_S)
    request = "GET {} HTTP/1.1\r\nHost: www.example.net\r\n\r\n"
    s.sendall(
        (
            request.format("/small.txt")
            + request.format("/nope.txt")
            + request.format("/dir/")
        ).encode()
    )
    responses, rest = read_raw_responses(s, 3)
    statuses = [head.split(" ")[1] for head, _ in responses]
    check(
        "pipelined: three requests in one segment answered in order (200, 404, 200)",
        statuses == ["200", "404", "200"]
        and responses[0][1] == small
        and responses[2][1] == index
        and rest == b"",
        f"statuses {statuses}, trailing {len(rest)} bytes",
    )
    s.close()

    # A POST with a body, then a GET: the 405 must not leave the body to be read as a request
    # (RFC 9112 §6.3: the body is framed by Content-Length either way).
    s = socket.create_connection((host, 80), timeout=TIMEOUT_S)
    s.sendall(
        b"POST /small.txt HTTP/1.1\r\nHost: www.example.net\r\nContent-Length: 3\r\n\r\nx=1"
        + request.format("/small.txt").encode()
    )
    responses, rest = read_raw_responses(s, 2)
    statuses = [head.split(" ")[1] for head, _ in responses]
    closes = bool(responses) and (header(responses[0][0], "Connection") or "").lower() == "close"
    check(
        "POST with a body then GET: 405 then 200 (or 405 and close)",
        (statuses == ["405", "200"] and responses[1][1] == small)
        or (statuses == ["405"] and closes),
        f"statuses {statuses}, {responses!r:.300}",
    )
    s.close()

    # HTTP/1.0 without keep-alive: Connection: close, and the server closes after the body
    # (RFC 9112 §9.3).
    s = socket.create_connection((host, 80), timeout=TIMEOUT_S)
    s.sendall(b"GET /small.txt HTTP/1.0\r\nHost: www.example.net\r\n\r\n")
    responses, rest = read_raw_responses(s, 1)
    head, body = responses[0] if responses else ("", b"")
    try:
        closed = s.recv(1) == b""
    except OSError as e:
        closed = repr(e)
    check(
        "HTTP/1.0 without keep-alive: 200, Connection: close, server closes",
        head.startswith("HTTP/1.1 200")
        and (header(head, "Connection") or "").lower() == "close"
        and body == small
        and closed is True,
        f"{head!r}, closed: {closed}",
    )
    s.close()

    # HTTP/1.0 asking for keep-alive keeps the connection.
    s = socket.create_connection((host, 80), timeout=TIMEOUT_S)
    one = b"GET /small.txt HTTP/1.0\r\nHost: www.example.net\r\nConnection: keep-alive\r\n\r\n"
    s.sendall(one)
    first, _ = read_raw_responses(s, 1)
    s.sendall(one)
    second, _ = read_raw_responses(s, 1)
    check(
        "HTTP/1.0 with Connection: keep-alive: two answers on one connection",
        len(first) == 1 and len(second) == 1 and second[0][1] == small,
        f"{first!r:.200} {second!r:.200}",
    )
    s.close()


def ctl(ringcastctl, sock, *args):
    return subprocess.run(
        [ringcastctl, "--socket", sock, *args], capture_output=True, text=True, timeout=30
    )


def reload_checks(host, site, other_root, ringcastctl, admin):
    path = os.path.join(site, "reload.txt")
    other = "other.example.net"
    conn = connect(host)
    sock = conn.sock
    response, before = get(conn, "/reload.txt")
    check("reload: first body on the keep-alive connection", before == read_file(path), before)
    response, other_before = get(conn, "/small.txt", headers={"Host": other})
    check("reload: the other site answers", response.status == 200, response.status)

    # The lcores publish their open-connection counts once a second: poll for a while.
    deadline = time.monotonic() + STATUS_WAIT_S
    while True:
        status = ctl(ringcastctl, admin, "status", "--json")
        try:
            if json.loads(status.stdout)["dataplane"]["tcp_connections_open"] >= 1:
                break
        except (ValueError, KeyError, TypeError):
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    try:
        j = json.loads(status.stdout)
        sites = j["content"]["sites"]
        objects = j["content"]["objects"]
        open_now = j["dataplane"]["tcp_connections_open"]
        check(
            "ringcastctl status --json: 2 sites, objects, >= 1 TCP connection open",
            len(sites) == 2 and objects >= 9 and open_now >= 1,
            f"sites {len(sites)}, objects {objects}, open {open_now}",
        )
    except (ValueError, KeyError, TypeError) as e:
        check("ringcastctl status --json: 2 sites, objects, >= 1 TCP connection open", False,
              f"{e!r}: {status.stdout[:500]} {status.stderr[:500]}")
    text = ctl(ringcastctl, admin, "status").stdout
    check(
        "ringcastctl status: shows sites, objects and TCP connections open",
        "2 site(s)" in text and "object(s)" in text and "TCP connection(s) open" in text,
        text,
    )

    # A changed file, reloaded: the same connection gets the new body.
    new_body = b"version 2 " + str(time.time()).encode() + b"\n"
    with open(path, "wb") as f:
        f.write(new_body)
    result = ctl(ringcastctl, admin, "reload")
    check("reload: ringcastctl reload exits 0", result.returncode == 0,
          result.stdout + result.stderr)
    try:
        response, after = get(conn, "/reload.txt")
        check("reload: the same connection now gets the new body", after == new_body, after)
    except (http.client.HTTPException, OSError) as e:
        check("reload: the same connection now gets the new body", False, repr(e))
    check("reload: still the same socket", conn.sock is sock)

    # A broken site (its root gone): reload fails with an error that names it; nothing changes.
    moved = other_root + ".moved"
    os.rename(other_root, moved)
    try:
        result = ctl(ringcastctl, admin, "reload")
        message = result.stdout + result.stderr
        check(
            "broken site: reload fails, the error names the missing root",
            result.returncode != 0 and other_root in message,
            f"exit {result.returncode}: {message}",
        )
        try:
            response, body = get(conn, "/small.txt", headers={"Host": other})
            check("broken site: the old content keeps serving on the kept connection",
                  response.status == 200 and body == other_before, response.status)
            response, body = get(conn, "/reload.txt")
            check("broken site: the last good reload keeps serving", body == new_body, body)
        except (http.client.HTTPException, OSError) as e:
            check("broken site: the old content keeps serving on the kept connection", False,
                  repr(e))
        fresh = connect(host)
        response, body = get(fresh, "/small.txt", headers={"Host": other})
        check("broken site: the old content keeps serving on a new connection",
              response.status == 200 and body == other_before, response.status)
        fresh.close()
        status = ctl(ringcastctl, admin, "status").stdout
        check("broken site: ringcastctl status shows the rejected reload", "REJECTED" in status,
              status)
    finally:
        os.rename(moved, other_root)
    result = ctl(ringcastctl, admin, "reload")
    check("reload after the root is back: exits 0", result.returncode == 0,
          result.stdout + result.stderr)
    conn.close()


def main():
    mode = sys.argv[1]
    if mode == "connection":
        connection_checks(sys.argv[2], sys.argv[3])
    elif mode == "reload":
        reload_checks(*sys.argv[2:7])
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # an unexpected exception is a failed check, not a silent pass
        check("no unexpected exception", False, repr(e))
    sys.exit(1 if failed else 0)
