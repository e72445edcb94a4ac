"""A fault-injecting TCP proxy for HTTP on loopback: the network between kiosk and ledger.

The mode can change at any time (from another thread, a test, or a fault schedule):

* ``pass`` — forward both ways.
* ``down`` — refuse: every connection is closed at once (a dead link or server).
* ``reset`` — read the request, then reset the connection without forwarding it.
* ``slow`` — forward, but hold the answer back ``delay`` seconds.
* ``error`` — answer ``HTTP 500`` (with ``Retry-After`` when set) without forwarding.
* ``lose_answer`` — forward the request, let the server answer (so it has committed), then
  reset the connection: the answer is lost on the way back.
* ``garbage`` — answer ``200 OK`` with a body that is not JSON, without forwarding.

Only loopback addresses are accepted: this tool never sends traffic off the machine.
"""

from __future__ import annotations

import ipaddress
import socket
import struct
import threading
import time
from collections import Counter

MODES = ("pass", "down", "reset", "slow", "error", "lose_answer", "garbage")
_CHUNK = 65536


def _loopback(host: str) -> None:
    address = ipaddress.ip_address(socket.gethostbyname(host))
    if not address.is_loopback:
        raise ValueError(f"the fault proxy works on loopback only, not {host}")


def _hard_close(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0), as a broken link or a crashed peer would."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


def _read_request(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """Read one HTTP request (headers and Content-Length body)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(_CHUNK)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(
        self,
        upstream_host: str,
        upstream_port: int,
        *,
        listen_host: str = "127.0.0.1",
        listen_port: int = 0,
    ) -> None:
        _loopback(upstream_host)
        _loopback(listen_host)
        self.upstream = (upstream_host, upstream_port)
        self._server = socket.create_server((listen_host, listen_port))
        self.host, self.port = self._server.getsockname()[:2]
        self._mode = "pass"
        self.delay = 0.0
        self.retry_after: int | None = None
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def mode(self) -> str:
        return self._mode

    def set(self, mode: str, *, delay: float = 0.0, retry_after: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; modes: {', '.join(MODES)}")
        with self._lock:
            self._mode, self.delay, self.retry_after = mode, delay, retry_after

    def close(self) -> None:
        self._closed.set()
        try:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        except OSError:
            pass
        self._server.close()
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                mode, delay, retry_after = self._mode, self.delay, self.retry_after
                self.counts[mode] += 1
            threading.Thread(
                target=self._handle, args=(client, mode, delay, retry_after), daemon=True
            ).start()

    def _handle(
        self, client: socket.socket, mode: str, delay: float, retry_after: int | None
    ) -> None:
        try:
            if mode == "down":
                _hard_close(client)
                return
            request = _read_request(client)
            if not request:
                client.close()
                return
            if mode == "reset":
                _hard_close(client)
            elif mode == "error":
                extra = f"Retry-After: {retry_after}\r\n" if retry_after is not None else ""
                body = b'{"detail":"injected server error"}'
                client.sendall(
                    f"HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
                    f"application/json\r\n{extra}Content-Length: {len(body)}\r\n"
                    f"Connection: close\r\n\r\n".encode()
                    + body
                )
                client.close()
            elif mode == "garbage":
                body = b"<html>\x00\xff not the ledger \x13</html>"
                client.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: "
                    + str(len(body)).encode()
                    + b"\r\nConnection: close\r\n\r\n"
                    + body
                )
                client.close()
            else:
                self._forward(client, request, mode, delay)
        except OSError:
            client.close()

    def _forward(self, client: socket.socket, request: bytes, mode: str, delay: float) -> None:
        """One request, one answer; the connection closes after it (no keep-alive)."""
        request = request.replace(b"Connection: keep-alive", b"Connection: close")
        with socket.create_connection(self.upstream, timeout=30) as upstream:
            upstream.sendall(request)
            answer = b""
            while True:
                chunk = upstream.recv(_CHUNK)
                if not chunk:
                    break
                answer += chunk
        if mode == "lose_answer":
            _hard_close(client)  # the server has answered, so it has committed
            return
        if mode == "slow" and delay > 0:
            time.sleep(delay)
        client.sendall(answer)
        client.close()
