"""Building kiosk-shaped payments and signed requests for the ledger tests and benchmark."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.catalog_file import load_catalog
from kiosk.domain.money import Money
from kiosk.domain.wire import PaymentWire
from sync.auth import signed_headers
from sync.ledger.schema import PaymentIn

CATALOG = load_catalog()
ROOT = Path(__file__).resolve().parents[2]

TERMINAL = "KZ-ALA-0001"
OTHER_TERMINAL = "KZ-AST-0002"
QPLUS_PHONE = "+77011234567"
WMK_PURSE = "K123456789012"


def cash(amount: int) -> list[int]:
    """KZT banknotes adding up to ``amount`` tiyn, largest first (ValueError if none do)."""
    notes: list[int] = []
    for note in (2_000_000, 1_000_000, 500_000, 200_000, 100_000, 50_000, 20_000):
        while amount >= note:
            notes.append(note)
            amount -= note
    if amount:
        raise ValueError(f"{amount} tiyn left over: not a sum of KZT banknotes")
    return notes


def payment_dict(
    seq: int,
    *,
    operation_id: str | None = None,
    terminal_id: str = TERMINAL,
    service: str = "kaspi",
    account: str = QPLUS_PHONE,
    notes: list[int] | None = None,
    commission: int | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """One payment exactly as ``kiosk.payment.payment_body`` builds it (before it named its
    catalog version); the commission is the service's rule unless given."""
    notes = [100_000] if notes is None else notes
    inserted = sum(notes)
    if commission is None:
        try:
            rule = CATALOG.get(service).commission
        except KeyError:
            commission = 0
        else:
            commission = rule.breakdown(Money(inserted)).commission.tiyn
    body = PaymentWire(
        operation_id=operation_id or f"0190a0b0-0000-7000-8000-{seq:012d}",
        local_seq=seq,
        receipt_number=seq,
        terminal_id=terminal_id,
        service=service,
        account=account,
        inserted=inserted,
        commission=commission,
        credited=inserted - commission,
        currency="KZT",
        created_at="2026-01-01T10:00:00.000+00:00",
        notes=tuple(notes),
        offline=False,
        recovered=False,
        completion="pay",
    ).json_object()
    del body["catalog_version"]  # left out, as by a kiosk that did not name it yet
    body.update(overrides)
    return body


def payment(seq: int, **kwargs: Any) -> PaymentIn:
    return PaymentIn.model_validate(payment_dict(seq, **kwargs))


def beat(at: str = "2026-01-01T10:00:00.000+00:00", **overrides: Any) -> dict[str, Any]:
    """A heartbeat as the kiosk sends it, with every field."""
    body: dict[str, Any] = {
        "at": at,
        "software_version": "0.4.0",
        "devices": {
            "validator": {"protocol": "ccnet", "state": "idle", "connected": True},
            "printer": {"state": "ok", "reason": "", "paper": "near_end"},
            "out_of_service": [],
        },
        "queue": {"depth": 3, "amount": 450_000, "oldest_age_s": 60},
        "last_success_at": "2026-01-01T09:59:00.000+00:00",
        "uptime_s": 86_400,
        "cassette": {"notes": 12, "amount": 1_250_050},
        "last_payment_at": "2026-01-01T09:58:00.000+00:00",
        "free_disk_bytes": 8_000_000_000,
    }
    body.update(overrides)
    return body


class TerminalClient:
    """An httpx client that signs every request as one terminal."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: str,
        now: Any,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.terminal_id = terminal_id
        self.secret = secret
        self.now = now  # callable returning Unix seconds (the test's clock)
        # Without TCP_NODELAY the body waits for the ACK of the headers (Nagle + delayed ACK):
        # about 40 ms on every request.
        transport = transport or httpx.HTTPTransport(
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        )
        self.http = httpx.Client(base_url=base_url, transport=transport, timeout=30.0)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        content = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        signed = signed_headers(self.terminal_id, self.secret, method, path, content, self.now())
        if content:
            signed["Content-Type"] = "application/json"
        signed.update(headers or {})
        return self.http.request(method, path, content=content, headers=signed)

    def post(self, path: str, body: Any) -> httpx.Response:
        return self.request("POST", path, body)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post_payments(self, payments: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = self.post("/v1/payments", {"payments": payments})
        response.raise_for_status()
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def close(self) -> None:
        self.http.close()


@contextmanager
def serve_child(
    db_url: str, *args: str, stderr: Any = subprocess.PIPE, wait: float = 60.0, **popen: Any
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``kiosk ledger serve --db DB_URL --listen 127.0.0.1:0 ARGS`` as a child process: yields
    the process and the URL it printed once listening; terminated (SIGTERM) at the end.
    ``popen``: more arguments of :class:`subprocess.Popen` (e.g. ``preexec_fn``)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.ledger.cli_child",
            "ledger",
            "serve",
            "--db",
            db_url,
            "--listen",
            "127.0.0.1:0",
            *args,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        **popen,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, "ledger server did not start (see its stderr)"
        yield process, json.loads(line)["url"]
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(wait)


def require_postgres(reason: str | None) -> None:
    """Skip (or, on CI, fail) when a private PostgreSQL cluster cannot be started."""
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    pytest.skip(f"PostgreSQL tests need a local server: {reason}")
