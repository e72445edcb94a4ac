"""The ledger's edge under abuse (docs/decisions/019): what a client can make a real server
hold before it has proved to be a terminal, over raw sockets to a LedgerThread.

The raw-socket tests run on SQLite only: they end before any database is touched. The tests
that reach the schema and the signature check run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import logging
import resource
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from sync.auth import signed_headers
from sync.ledger.server import LOG_BURST, LedgerThread, Limits
from sync.ledger.service import Ledger
from tests.ledger.helpers import TERMINAL, payment_dict, serve_child
from tests.waiting import closed_by_peer

MIB = 1024 * 1024


def rss_bytes() -> int:
    """This process's resident memory: the server runs on a thread of it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_answer(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """What the server sends until it closes (or ``timeout`` passes)."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return data


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer.split(b" ", 2)[1])


def stream(sock: socket.socket, total: int, chunked: bool) -> int:
    """Send up to ``total`` body bytes from one reused buffer; the bytes sent before the
    server cut the connection off."""
    piece = b"x" * 65536
    frame = (b"%x\r\n" % len(piece)) + piece + b"\r\n" if chunked else piece
    sent = 0
    try:
        while sent < total:
            sock.sendall(frame)
            sent += len(piece)
    except OSError:
        pass
    return sent


@pytest.fixture
def serving(
    make_ledger: Callable[..., Ledger], sqlite_url: str
) -> Iterator[Callable[..., LedgerThread]]:
    started: list[LedgerThread] = []

    def serve(limits: Limits | None = None, url: str = sqlite_url) -> LedgerThread:
        server = LedgerThread(make_ledger(url), limits=limits).start()
        started.append(server)
        return server

    yield serve
    for server in started:
        server.stop()


@pytest.fixture
def server(serving: Callable[..., LedgerThread]) -> LedgerThread:
    return serving()


@pytest.fixture
def signed_server(serving: Callable[..., LedgerThread], any_url: str) -> LedgerThread:
    return serving(url=any_url)


def health_within(server: LedgerThread, seconds: float) -> None:
    began = time.monotonic()
    answer = httpx.get(server.url + "/health", timeout=seconds)
    assert answer.status_code == 200 and time.monotonic() - began < seconds


def test_a_declared_250_mb_body_is_refused_before_it_is_read(server: LedgerThread) -> None:
    before = rss_bytes()
    for _ in range(4):  # the attack: four unsigned posts of 250 MB
        sock = connect(server.url)
        began = time.monotonic()
        sock.sendall(
            b"POST /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
            b"\r\nContent-Length: 262144000\r\n\r\n"
        )
        answer = read_answer(sock)
        sock.close()
        assert status_of(answer) == 413 and b"connection: close" in answer.lower()
        assert time.monotonic() - began < 2
    assert rss_bytes() - before < 20 * MIB
    health_within(server, 2)


@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_streaming_50_mb_is_cut_off_and_memory_stays_bounded(
    server: LedgerThread, chunked: bool
) -> None:
    before = rss_bytes()
    sock = connect(server.url)
    length = b"Transfer-Encoding: chunked" if chunked else b"Content-Length: 900000"
    sock.sendall(b"POST /v1/payments HTTP/1.1\r\nHost: x\r\n" + length + b"\r\n\r\n")
    # Declared under the limit, then more sent than declared; or chunked past the limit.
    sent = stream(sock, 50 * MIB, chunked)
    answer = read_answer(sock, 2)
    sock.close()
    # The server stopped reading after the limit: the rest did not fit the socket buffers.
    assert sent < 40 * MIB
    assert rss_bytes() - before < 20 * MIB
    if chunked:
        assert status_of(answer) == 413
    health_within(server, 2)


def test_a_chunked_body_over_the_limit_is_answered_413(
    serving: Callable[..., LedgerThread],
) -> None:
    server = serving(Limits(max_body=4096))
    sock = connect(server.url)
    sock.sendall(
        b"POST /v1/heartbeat HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"1000\r\n"
        + b"{" * 4096
        + b"\r\n"
        + b"10\r\n"
        + b" " * 16
        + b"\r\n"
    )
    answer = read_answer(sock)
    sock.close()
    assert status_of(answer) == 413 and b"4096 bytes" in answer


def test_a_declared_body_over_a_configured_limit_is_refused_on_any_path(
    serving: Callable[..., LedgerThread],
) -> None:
    server = serving(Limits(max_body=4096))
    for path in ("/v1/heartbeat", "/health", "/nowhere"):
        answer = httpx.post(server.url + path, content=b" " * 5000, timeout=10)
        assert answer.status_code == 413, path


def test_idle_sockets_do_not_keep_health_from_answering(
    serving: Callable[..., LedgerThread],
) -> None:
    server = serving(Limits(max_connections=100))
    idle = [connect(server.url) for _ in range(300)]
    try:
        health_within(server, 2)
        # Past 100 connections the longest idle ones are closed to make room.
        assert closed_by_peer(idle, 190, 5.0) >= 190
    finally:
        for sock in idle:
            sock.close()


def test_a_silent_or_dribbling_connection_is_closed_by_the_server(
    serving: Callable[..., LedgerThread],
) -> None:
    server = serving(Limits(header_timeout=1.0))
    silent = connect(server.url)
    dribbling = connect(server.url)
    began = time.monotonic()
    stop = threading.Event()

    def dribble() -> None:
        for byte in b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
            if stop.wait(0.1):
                return
            try:
                dribbling.send(bytes([byte]))
            except OSError:
                return

    thread = threading.Thread(target=dribble, daemon=True)
    thread.start()
    try:
        assert read_answer(silent, 5) == b""
        assert time.monotonic() - began < 3
        assert read_answer(dribbling, 5) == b""
        assert time.monotonic() - began < 3
    finally:
        stop.set()
        thread.join(5)
        silent.close()
        dribbling.close()


def test_a_fresh_silent_connection_is_closed_within_the_default_timeout(
    server: LedgerThread,
) -> None:
    sock = connect(server.url)
    began = time.monotonic()
    assert read_answer(sock, 10) == b""
    assert time.monotonic() - began < 7
    sock.close()


def test_headers_of_100_kb_are_refused(server: LedgerThread) -> None:
    sock = connect(server.url)
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
    try:
        for _ in range(100):
            sock.sendall(b"X-Filler: " + b"a" * 1000 + b"\r\n")
        sock.sendall(b"\r\n")
    except OSError:
        pass  # the server answered and closed before the end: the point
    answer = read_answer(sock)
    sock.close()
    assert status_of(answer) in (400, 431)
    health_within(server, 2)


class Signed:
    """Raw signed requests as a terminal of ``server``."""

    def __init__(self, server: LedgerThread, clock: ManualClock) -> None:
        self.server = server
        self.clock = clock
        self.secret = server.ledger.add_terminal(TERMINAL)

    def post(self, path: str, body: bytes, **headers: str) -> httpx.Response:
        signed = signed_headers(TERMINAL, self.secret, "POST", path, body, self.clock.now())
        signed.update(headers)
        signed["Content-Type"] = "application/json"
        return httpx.post(self.server.url + path, content=body, headers=signed, timeout=30)


@pytest.fixture
def terminal(signed_server: LedgerThread, clock: ManualClock) -> Signed:
    return Signed(signed_server, clock)


def test_a_422_does_not_echo_what_was_sent(terminal: Signed) -> None:
    secret_value = "Z" * 5000 + "tell-tale"
    items = [payment_dict(seq, account=secret_value) for seq in range(1, 101)]
    answer = terminal.post(
        "/v1/payments", json.dumps({"payments": items, secret_value: 1}).encode()
    )
    assert answer.status_code == 422
    assert b"tell-tale" not in answer.content and b"ZZZZZZZZZZ" not in answer.content
    body = answer.json()
    assert len(body["detail"]) == 10 and body["errors"] > 10
    assert {"type", "loc", "msg"} == set(body["detail"][0])
    assert len(answer.content) < 4096


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Timestamp": "9" * 400},
        {"X-Timestamp": "1_767_261_600"},
        {"X-Signature": "é" * 64},
        {"X-Signature": "00"},
        {"X-Terminal-Id": "K" * 10_000},
        {"X-Terminal-Id": "KZ\x01ALA"},
    ],
    ids=[
        "400-digit-timestamp",
        "underscored-timestamp",
        "non-ascii-signature",
        "short-signature",
        "huge-terminal-id",
        "control-in-terminal-id",
    ],
)
def test_malformed_auth_headers_are_refused_with_401(
    terminal: Signed, headers: dict[str, str]
) -> None:
    body = json.dumps({"payments": [payment_dict(1)]}).encode()
    raw = {key.encode(): value.encode("latin-1") for key, value in headers.items()}
    signed = signed_headers(
        TERMINAL, terminal.secret, "POST", "/v1/payments", body, terminal.clock.now()
    )
    sent = {key.encode(): value.encode() for key, value in signed.items()} | raw
    sent[b"Content-Type"] = b"application/json"
    answer = httpx.post(
        terminal.server.url + "/v1/payments", content=body, headers=sent, timeout=30
    )
    assert answer.status_code == 401, answer.text
    assert len(answer.content) < 300  # the header is not echoed


@pytest.mark.parametrize(
    "value", ["NaN", "Infinity", "-Infinity", "1e400", "9" * 5000, "[" * 100_000]
)
def test_nan_infinity_and_huge_numbers_are_refused_with_422(terminal: Signed, value: str) -> None:
    body = (
        '{"at":"2026-01-01T10:00:00+00:00","software_version":"1","queue":{"depth":0,'
        '"amount":0},"devices":{"validator":' + value + "}}"
    ).encode()
    answer = terminal.post("/v1/heartbeat", body)
    assert answer.status_code == 422, answer.text
    assert len(answer.content) < 1000


def test_a_batch_of_100k_items_is_refused_quickly(terminal: Signed) -> None:
    item = json.dumps(payment_dict(1)).encode()
    big = b'{"payments":[' + b",".join([item] * 100_000) + b"]}"
    small = b'{"payments":[' + b",".join([b"{}"] * 100_000) + b"]}"
    for body in (big, small):
        began = time.monotonic()
        answer = terminal.post("/v1/payments", body)
        assert answer.status_code in (413, 422)
        assert time.monotonic() - began < 5
        assert len(answer.content) < 4096
    health_within(terminal.server, 2)


def test_a_flood_of_bad_requests_writes_a_bounded_log(server: LedgerThread) -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    keep = Keep()
    logging.getLogger("uvicorn.error").addHandler(keep)
    try:
        for _ in range(200):
            sock = connect(server.url)
            sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            assert status_of(read_answer(sock)) == 400
            sock.close()
    finally:
        logging.getLogger("uvicorn.error").removeHandler(keep)
    assert len(lines) <= LOG_BURST + 1  # the last may be the count of dropped lines
    health_within(server, 2)


def process_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for process {pid}")


@contextmanager
def cli_server(sqlite_url: str, *args: str, **popen: Any) -> Iterator[tuple[str, int]]:
    """``kiosk ledger serve`` as a child process; yields its URL and process id, then checks
    it is alive and raised its soft limit of open files."""
    with serve_child(sqlite_url, *args, stderr=subprocess.DEVNULL, wait=10, **popen) as (
        process,
        url,
    ):
        yield url, process.pid
        assert process.poll() is None, "the ledger server died"
        limits = Path(f"/proc/{process.pid}/limits").read_text()
        files = next(row for row in limits.splitlines() if row.startswith("Max open files"))
        soft, hard = files.split()[3:5]
        assert soft == hard  # raised at start


def test_the_cli_server_takes_max_body_and_stays_small_under_a_stream(sqlite_url: str) -> None:
    with cli_server(sqlite_url, "--max-body", "4096") as (url, pid):
        assert httpx.post(url + "/v1/heartbeat", content=b" " * 5000, timeout=10).status_code == 413
        assert (
            httpx.post(url + "/v1/heartbeat", content=b" " * 4000, timeout=10).status_code == 401
        )  # under the limit: to the check
        before = process_rss(pid)
        for _ in range(4):
            sock = connect(url)
            sock.sendall(
                b"POST /v1/payments HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            )
            assert stream(sock, 50 * MIB, chunked=True) < 40 * MIB
            sock.close()
        assert process_rss(pid) - before < 20 * MIB
        assert httpx.get(url + "/health", timeout=2).status_code == 200


def test_1100_idle_sockets_leave_the_server_accepting(sqlite_url: str) -> None:
    """The attack at the default limits, on a CLI server started with the common soft
    limit of 1024 descriptors: it raises the limit, and evicts idle sockets past 1000."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2400:
        pytest.skip(f"the hard limit of open files is {hard}: too low for 1,100 sockets")

    def low_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    with cli_server(sqlite_url, preexec_fn=low_soft_limit) as (url, _pid):
        idle = [connect(url) for _ in range(1100)]
        try:
            began = time.monotonic()
            assert httpx.get(url + "/health", timeout=3).status_code == 200
            assert time.monotonic() - began < 3
        finally:
            for sock in idle:
                sock.close()


def test_a_dribbled_body_is_cut_off_with_408(serving: Callable[..., LedgerThread]) -> None:
    server = serving(Limits(body_timeout=1.0))
    sock = connect(server.url)
    began = time.monotonic()
    sock.sendall(b"POST /v1/heartbeat HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    answer = read_answer(sock, 5)
    sock.close()
    assert status_of(answer) == 408 and time.monotonic() - began < 3
