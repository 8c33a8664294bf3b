"""How the differential test's queries reach the servers (compare.py), each transport a function
from [(key, wire, address)] to {key: response bytes or None}:

  udp            each query to every server at once, tried twice;
  tcp-pipelined  RFC 7766 §6.2.1.1: PIPELINE_DEPTH queries written on one connection before any
                 answer is read, the answers matched by ID in whatever order they come (§7);
  tcp-single     one query per connection, the connection closed by the client once answered
                 (§6.2.3: the client closes first, so TIME-WAIT stays on its side).

Over TCP every message is preceded by its two-byte length (RFC 1035 §4.2.2, RFC 7766 §8).
"""

import select
import socket
import struct
import time

TIMEOUT = 1.0  # seconds per try; a query expected to be dropped costs one or two of them
UDP_TRIES = 2
PIPELINE_DEPTH = 16  # queries in flight on one TCP connection
TCP_LENGTH = struct.Struct("!H")
DNS_PORT = 53


def _family(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def _query_id(wire):
    return wire[:2]


# ---------------------------------------------------------------------------------------------
# UDP
# ---------------------------------------------------------------------------------------------

def _udp_exchange(wire, addresses):
    """Sends `wire` to each address at once; returns {address: response bytes or None}."""
    answers = {}
    socks = {}
    for address in addresses:
        s = socket.socket(_family(address), socket.SOCK_DGRAM)
        s.connect((address, DNS_PORT))
        socks[s] = address
    try:
        for _ in range(UDP_TRIES):
            pending = [s for s, a in socks.items() if a not in answers]
            if not pending:
                break
            for s in pending:
                s.send(wire)
            while pending:
                ready, _, _ = select.select(pending, [], [], TIMEOUT)
                if not ready:
                    break
                for s in ready:
                    data = s.recv(65535)
                    if _query_id(data) == _query_id(wire):
                        answers[socks[s]] = data
                        pending.remove(s)
    finally:
        for s in socks:
            s.close()
    return answers


def udp(items):
    """The same query to its servers in one exchange, so both see it at the same moment."""
    by_wire = {}
    for key, wire, address in items:
        by_wire.setdefault(wire, []).append((key, address))
    out = {}
    for wire, targets in by_wire.items():
        answers = _udp_exchange(wire, [address for _, address in targets])
        for key, address in targets:
            out[key] = answers.get(address)
    return out


# ---------------------------------------------------------------------------------------------
# TCP
# ---------------------------------------------------------------------------------------------

class _Stream:
    """Reads length-prefixed messages off a connected TCP socket until a deadline."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.closed = False

    def next_message(self, deadline):
        while True:
            if len(self.buffer) >= TCP_LENGTH.size:
                (length,) = TCP_LENGTH.unpack_from(self.buffer)
                if len(self.buffer) >= TCP_LENGTH.size + length:
                    message = self.buffer[TCP_LENGTH.size:TCP_LENGTH.size + length]
                    self.buffer = self.buffer[TCP_LENGTH.size + length:]
                    return message
            remaining = deadline - time.monotonic()
            if self.closed or remaining <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                return None
            try:
                data = self.sock.recv(65535)
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
            self.buffer += data


def _tcp_batch(address, wires):
    """Writes every message of `wires` on one connection, then reads answers until each has
    one, the server closes, or TIMEOUT passes without an answer. Returns {wire: response},
    without the wires left unanswered."""
    answers = {}
    try:
        sock = socket.create_connection((address, DNS_PORT), timeout=TIMEOUT)
    except OSError:
        return answers
    try:
        sock.sendall(b"".join(TCP_LENGTH.pack(len(w)) + w for w in wires))
        waiting = {_query_id(w): w for w in wires}
        stream = _Stream(sock)
        while waiting:
            message = stream.next_message(time.monotonic() + TIMEOUT)
            if message is None:
                break
            wire = waiting.pop(_query_id(message), None)
            if wire is not None:
                answers[wire] = message
    except OSError:
        pass  # a reset mid-batch: what was answered before it stands
    finally:
        sock.close()
    return answers


def tcp_single(items):
    return {key: _tcp_batch(address, [wire]).get(wire) for key, wire, address in items}


def tcp_pipelined(items):
    """PIPELINE_DEPTH queries per connection. A query left unanswered because the server closed
    the connection early is asked again on a connection of its own, as a client would (RFC 7766
    §6.2.1.1: it may not assume the server keeps a connection open); the retry's answer (or
    its absence) is the one compared."""
    by_address = {}
    for key, wire, address in items:
        by_address.setdefault(address, []).append((key, wire))
    out = {}
    for address, queued in by_address.items():
        for start in range(0, len(queued), PIPELINE_DEPTH):
            batch = queued[start:start + PIPELINE_DEPTH]
            answers = _tcp_batch(address, [wire for _, wire in batch])
            for key, wire in batch:
                out[key] = answers[wire] if wire in answers else \
                    _tcp_batch(address, [wire]).get(wire)
    return out


TRANSPORTS = {"udp": udp, "tcp-pipelined": tcp_pipelined, "tcp-single": tcp_single}
