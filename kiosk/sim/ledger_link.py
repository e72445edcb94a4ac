"""The kiosk's connection to a ledger for simulations and the demo: embedded or at a URL,
always through a loopback fault proxy so an outage can be scheduled. A ``LedgerConnection``
for :func:`kiosk.app.build_kiosk`, which builds the outbox worker on it; production connects
straight to ``[ledger] url`` instead (``kiosk.app.RemoteLedger``).

The client signs with wall time (transport authentication), while the worker's back-off and
records follow the simulation's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from kiosk.domain.clock import SystemClock
from kiosk.sim.faultproxy import FaultProxy
from kiosk.store.models import OutboxItem
from sync.client import LedgerClient, Refused, Unreachable
from sync.outbox import OutboxWorker

EMBEDDED = "embedded"
DRAIN_ROUNDS = 500


class LinkError(Exception):
    """The ledger link cannot be set up (bad URL, missing secret, not loopback)."""


@dataclass
class LedgerLink:
    client: LedgerClient  # the worker's
    checker: LedgerClient  # the core's, for account checks
    proxy: FaultProxy
    url: str
    embedded: Any = None  # (Ledger, LedgerThread) when embedded

    secret: str = ""

    def set_outage(self, down: bool) -> None:
        self.proxy.set("down" if down else "pass")

    def new_client(self) -> LedgerClient:
        """Another client through the same proxy (a thread of its own)."""
        return LedgerClient(
            self.proxy.url, self.client.terminal_id, self.secret, SystemClock(), timeout=5.0
        )

    def ledger_view(self, operation_ids: list[str]) -> dict[str, Any]:
        """What the ledger says about this terminal's payments (through its API), and its
        books when the ledger is embedded."""
        reconciliation = self.client.request("GET", "/v1/reconciliation")
        found, inserted = 0, 0
        for operation_id in operation_ids:
            try:
                view = self.client.request("GET", f"/v1/payments/{operation_id}")
            except (Refused, Unreachable):
                continue
            found += 1
            inserted += int(view["inserted"])
        result: dict[str, Any] = {
            "payments": int(reconciliation["payments"]),
            "missing_local_seq": reconciliation["missing_local_seq"],
            "found": found,
            "inserted": inserted,
        }
        if self.embedded is not None:
            audit = self.embedded[0].audit()
            result["audit"] = {
                "balanced": audit.balanced,
                "transfers": audit.transfers,
                "debits": audit.debits,
                "credits": audit.credits,
                "cash_in": audit.cash_in,
                "rejected": audit.rejected,
            }
        return result

    def close(self) -> None:
        self.client.close()
        self.checker.close()
        self.proxy.close()
        if self.embedded is not None:
            ledger, server = self.embedded
            server.stop()
            ledger.close()


def drain(worker: OutboxWorker) -> bool:
    """With the link up, forward everything now (skipping back-off waits)."""
    for _ in range(DRAIN_ROUNDS):
        worker.retry_now()
        worker.step()
        state = worker.state()
        if state.pending_count == 0 and worker.online and not _reports_waiting(worker):
            return True
    return False


def _reports_waiting(worker: OutboxWorker) -> bool:
    """Encashments and device events not yet delivered (a refused one is kept aside)."""
    with worker.store.reading() as s:
        return bool(
            s.scalar(
                select(func.count()).where(
                    OutboxItem.sent_at.is_(None),
                    OutboxItem.kind != "payment",
                    OutboxItem.result.is_(None),
                )
            )
        )


def open_link(
    target: str, *, state_dir: Path, terminal_id: str, secret_file: Path | None
) -> LedgerLink:
    """``target`` is ``embedded`` (a ledger in this process, SQLite in ``state_dir``) or the
    URL of a ledger on this machine (``kiosk ledger serve``) with its terminal secret."""
    embedded = None
    if target == EMBEDDED:
        from sync.ledger.server import LedgerThread
        from sync.ledger.service import Ledger

        ledger = Ledger.open(f"sqlite:///{state_dir / 'ledger.db'}")
        secret = ledger.add_terminal(terminal_id)
        server = LedgerThread(ledger).start()
        host, port = "127.0.0.1", server.port
        embedded = (ledger, server)
    else:
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname or not parts.port:
            raise LinkError(f"--ledger takes 'embedded' or http://HOST:PORT, got {target!r}")
        if secret_file is None:
            raise LinkError("--ledger URL needs --secret-file (from 'kiosk ledger terminal add')")
        try:
            secret = secret_file.read_text().strip()
        except OSError as exc:
            raise LinkError(f"cannot read the secret file {secret_file}: {exc.strerror}") from exc
        host, port = parts.hostname, parts.port
    try:
        proxy = FaultProxy(host, port)
    except ValueError as exc:
        raise LinkError(str(exc)) from exc
    client = LedgerClient(proxy.url, terminal_id, secret, SystemClock(), timeout=5.0)
    checker = LedgerClient(proxy.url, terminal_id, secret, SystemClock(), timeout=5.0)
    return LedgerLink(client, checker, proxy, target, embedded, secret)
