"""A kiosk whose core makes payments and a stand-in ledger that signs like the real one:
shared by the sync tests (the fixtures in conftest.py build them)."""

from __future__ import annotations

import email.utils
import json
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from drivers.bill.base import Decision, Escrow, Stacked
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock, SystemClock
from kiosk.sim.faultproxy import FaultProxy
from kiosk.store.db import Store
from sync.auth import (
    HEADER_REQUEST_ID,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    AuthError,
    parse_headers,
    sign_response,
    verify,
)
from sync.client import LedgerClient
from sync.ledger.service import Ledger
from sync.outbox import OutboxWorker
from tests.sync.tls_certs import TlsFiles

TERMINAL = "KZ-ALA-0001"
STUB_SECRET = "ab" * 32


@dataclass
class Link:
    """A real ledger on loopback behind the fault proxy, and this terminal's secret."""

    ledger: Ledger
    proxy: FaultProxy
    secret: str


@dataclass
class Kiosk:
    """A kiosk's core, store and outbox worker on a manual clock."""

    core: KioskCore
    store: Store
    worker: OutboxWorker
    client: LedgerClient
    clock: ManualClock

    def pay(self, service: str, account: str, *notes_tenge: int) -> str:
        operation_id = self.core.choose_service(service)
        assert self.core.enter_account(account).ok
        assert self.core.confirm_account().ok
        self.core.start_cash()
        for tenge in notes_tenge:
            assert self.core.on_acceptor_event(Escrow(tenge * 100, 2)) is Decision.STACK
            self.core.on_acceptor_event(Stacked(tenge * 100, 2))
        self.core.pay()
        self.core.finish()
        return operation_id

    def drain(self, limit: int = 50) -> None:
        """Step the worker until the queue is empty, skipping its back-off waits."""
        for _ in range(limit):
            self.worker.retry_now()
            self.worker.step()
            if self.worker.state().pending_count == 0 and self.worker.online:
                return
        raise AssertionError(f"outbox not drained: {self.worker.state()}")


# -- a stand-in ledger: a real HTTP(S) server on loopback that signs like the ledger ---------
@dataclass(frozen=True)
class Reply:
    """What the stub answers: ``sign`` is "good", "none" (no X-Signature), "wrong" (another
    secret's) or "replayed" (signed, but for another request)."""

    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    sign: str = "good"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def accept_payments(body: bytes) -> Reply:
    """The ledger's answer to a payment batch: every payment accepted."""
    payments = json.loads(body)["payments"]
    results = [
        {"operation_id": p["operation_id"], "status": "accepted", "code": 0} for p in payments
    ]
    return Reply(body=json.dumps({"results": results}).encode())


Answer = Reply | Callable[[bytes], Reply]


class StubLedger:
    """Checks each request's terminal signature (401, unsigned, when wrong, as the ledger
    does) and answers what ``routes[(METHOD, PATH)]`` says, signed as told."""

    def __init__(self, secret: str = STUB_SECRET, tls: TlsFiles | None = None) -> None:
        self.secret = secret
        self.clock_offset = 0.0  # the stub's clock minus the wall clock
        self.routes: dict[tuple[str, str], Answer | list[Answer]] = {}
        self.seen: list[Seen] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                return email.utils.formatdate(time.time() + stub.clock_offset, usegmt=True)

            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stub.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                try:
                    signed = parse_headers(
                        self.headers.get(HEADER_TERMINAL),
                        self.headers.get(HEADER_TIMESTAMP),
                        self.headers.get(HEADER_SIGNATURE),
                        self.headers.get(HEADER_REQUEST_ID),
                    )
                    verify(
                        signed,
                        stub.secret,
                        self.command,
                        self.path,
                        body,
                        time.time() + stub.clock_offset,
                    )
                except AuthError as exc:
                    self._send(
                        Reply(401, json.dumps({"detail": str(exc)}).encode(), sign="none"), ""
                    )
                    return
                self._send(stub.reply_for(self.command, self.path, body), signed.signature)

            def _send(self, reply: Reply, request_signature: str) -> None:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.sign != "none":
                    secret = "not-the-secret" if reply.sign == "wrong" else stub.secret
                    bound = "00" * 32 if reply.sign == "replayed" else request_signature
                    self.send_header(
                        HEADER_SIGNATURE, sign_response(secret, reply.status, bound, reply.body)
                    )
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert_file, tls.key_file)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reply_for(self, method: str, path: str, body: bytes) -> Reply:
        route = self.routes.get((method, path.split("?")[0]), Reply(404, b'{"detail":"no"}'))
        if isinstance(route, list):
            route = route.pop(0) if len(route) > 1 else route[0]
        return route(body) if callable(route) else route

    def client(
        self,
        clock: ManualClock | SystemClock | None = None,
        *,
        secret: str | None = None,
        ca_file: Path | None = None,
    ) -> LedgerClient:
        return LedgerClient(
            self.url,
            TERMINAL,
            secret or self.secret,
            clock or SystemClock(),
            timeout=5.0,
            ca_file=ca_file,
        )

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
