"""Remote commands on the kiosk, against a real ledger on loopback: a lock while idle, a
lock with cash in (the payment completes first), unlock, the maintenance notice 3 hours
ahead and out of service at its start (a manual clock), a forged answer's commands ignored,
and a lock that holds across a restart."""

from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import kiosk
from drivers.bill.base import Decision, Escrow, Stacked
from kiosk.app import build_core
from kiosk.availability import LOCKED, MAINTENANCE
from kiosk.catalog_file import load_catalog
from kiosk.config import Config, demo_config
from kiosk.core import KioskCore, NotAvailable
from kiosk.domain.clock import ManualClock, SystemClock
from kiosk.remote import NOTICE_AHEAD_S, CatalogKeeper, RemoteControl
from kiosk.session import State
from kiosk.store.db import Store
from sync.client import LedgerClient
from sync.ledger.service import Ledger
from sync.outbox import OutboxWorker
from tests.sync.helpers import TERMINAL, Link, Reply, StubLedger

HOUR_MS = 3_600_000


@dataclass
class Terminal:
    """A kiosk core with its outbox worker and remote control, on a manual clock."""

    core: KioskCore
    store: Store
    worker: OutboxWorker
    control: RemoteControl
    clients: tuple[LedgerClient, LedgerClient]

    def heartbeat(self) -> None:
        """One heartbeat (its answer's commands stored), then a turn of the core thread."""
        self.worker.retry_now()
        self.worker.step()
        self.control.apply(self.core)

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.store.close()


def _config(directory: Path) -> Config:
    base = demo_config(directory)
    return dataclasses.replace(
        base,
        limits=dataclasses.replace(base.limits, offline_max_total=10**12, offline_max_count=10**6),
    )


def _terminal(config: Config, url: str, secret: str, clock: ManualClock) -> Terminal:
    store = Store(config.storage.url)
    client = LedgerClient(url, TERMINAL, secret, SystemClock(), timeout=5.0)
    checker = LedgerClient(url, TERMINAL, secret, SystemClock(), timeout=5.0)
    control = RemoteControl(store, clock)
    worker = OutboxWorker(
        store, client, clock, random.Random(3), heartbeat_s=0, commands=control, min_delay=1
    )
    core = build_core(
        config,
        store,
        load_catalog(),
        acceptor=None,
        clock=clock,
        rng=random.Random(3),
        checker=checker,
        link_online=lambda: worker.online,
    )
    return Terminal(core, store, worker, control, (client, checker))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=time.time())  # the ledger checks signatures by its own clock


@pytest.fixture
def terminal(tmp_path: Path, link: Link, clock: ManualClock) -> Iterator[Terminal]:
    made = _terminal(_config(tmp_path / "kiosk"), link.proxy.url, link.secret, clock)
    yield made
    made.close()


def _states(ledger: Ledger) -> dict[str, str]:
    return {command.kind: command.state for command in ledger.commands(TERMINAL)}


def _insert(core: KioskCore, tenge: int) -> None:
    assert core.on_acceptor_event(Escrow(tenge * 100, 2)) is Decision.STACK
    core.on_acceptor_event(Stacked(tenge * 100, 2))


def _start_with_cash(core: KioskCore) -> None:
    core.choose_service("beeline")
    assert core.enter_account("+77051234567").ok
    assert core.confirm_account().ok
    core.start_cash()
    _insert(core, 1000)


def test_lock_while_idle_then_unlock(terminal: Terminal, link: Link) -> None:
    core = terminal.core
    terminal.heartbeat()
    assert core.in_service
    link.ledger.issue_command(TERMINAL, "lock", by="ops", reason="cash audit")
    terminal.heartbeat()
    assert LOCKED in core.availability and core.snapshot().out_of_service_reasons == (LOCKED,)
    with pytest.raises(NotAvailable):
        core.choose_service("beeline")
    assert _states(link.ledger) == {"lock": "sent"}
    terminal.heartbeat()  # acknowledges and reports it done
    assert _states(link.ledger) == {"lock": "done"}
    terminal.heartbeat()  # carried twice, applied once: nothing moves
    link.ledger.issue_command(TERMINAL, "unlock", by="ops", reason="audit over")
    terminal.heartbeat()
    assert core.in_service
    terminal.heartbeat()
    assert _states(link.ledger) == {"lock": "done", "unlock": "done"}


def test_lock_with_cash_in_completes_the_payment_first(terminal: Terminal, link: Link) -> None:
    core = terminal.core
    _start_with_cash(core)
    link.ledger.issue_command(TERMINAL, "lock", by="ops", reason="cash audit")
    terminal.heartbeat()
    terminal.heartbeat()
    # The customer's session goes on: more cash, then the payment.
    assert core.in_service and core.session.live is not None
    assert core.session.live.state is State.ACCEPTING
    assert _states(link.ledger) == {"lock": "acknowledged"}
    _insert(core, 500)
    completed = core.pay()
    assert completed.receipt_number is not None
    terminal.control.apply(core)  # the payment is done: now out of service
    assert LOCKED in core.availability
    core.finish()
    terminal.heartbeat()
    assert _states(link.ledger) == {"lock": "done"}
    # The payment reached the ledger exactly once.
    for _ in range(5):
        terminal.worker.retry_now()
        terminal.worker.step()
    assert terminal.worker.state().pending_count == 0


def test_maintenance_is_announced_3_hours_ahead_and_begins_at_its_start(
    terminal: Terminal, link: Link, clock: ManualClock
) -> None:
    core = terminal.core
    start = int(clock.now() * 1000) + 4 * HOUR_MS
    link.ledger.issue_command(
        TERMINAL,
        "maintenance",
        by="ops",
        reason="software update",
        starts_at=start,
        ends_at=start + HOUR_MS,
    )
    terminal.heartbeat()
    assert core.snapshot().maintenance_notice_at is None and core.in_service
    clock.advance(HOUR_MS / 1000 + 1)
    terminal.control.apply(core)
    assert core.snapshot().maintenance_notice_at == start and core.in_service
    assert start - int(clock.now() * 1000) < NOTICE_AHEAD_S * 1000
    clock.advance(3 * HOUR_MS / 1000)
    terminal.heartbeat()
    assert MAINTENANCE in core.availability and core.snapshot().maintenance_notice_at is None
    terminal.heartbeat()
    assert _states(link.ledger) == {"maintenance": "done"}
    clock.advance(HOUR_MS / 1000)
    terminal.control.apply(core)
    assert core.in_service


def test_an_unlock_ends_a_maintenance_early(
    terminal: Terminal, link: Link, clock: ManualClock
) -> None:
    core = terminal.core
    start = int(clock.now() * 1000) - 1000
    link.ledger.issue_command(TERMINAL, "maintenance", by="ops", reason="r", starts_at=start)
    terminal.heartbeat()
    assert MAINTENANCE in core.availability
    link.ledger.issue_command(TERMINAL, "unlock", by="ops", reason="finished early")
    terminal.heartbeat()
    assert core.in_service


def test_a_lock_holds_across_a_restart(
    tmp_path: Path, terminal: Terminal, link: Link, clock: ManualClock
) -> None:
    link.ledger.issue_command(TERMINAL, "lock", by="ops", reason="r")
    terminal.heartbeat()
    assert LOCKED in terminal.core.availability
    terminal.close()
    again = _terminal(_config(tmp_path / "kiosk"), link.proxy.url, link.secret, clock)
    try:
        again.control.apply(again.core)  # before any heartbeat
        assert LOCKED in again.core.availability
    finally:
        again.close()


def test_a_forged_answer_s_commands_are_ignored(
    tmp_path: Path, stub: StubLedger, clock: ManualClock
) -> None:
    forged = {"server_time": 0, "catalog_version": "x", "commands": [{"id": 1, "kind": "lock"}]}
    body = json.dumps(forged).encode()
    made = _terminal(_config(tmp_path / "kiosk"), stub.url, stub.secret, clock)
    try:
        for sign in ("none", "wrong", "replayed"):
            stub.routes[("POST", "/v1/heartbeat")] = Reply(body=body, sign=sign)
            made.heartbeat()
            assert made.core.in_service and made.control.receipts() == ([], [])
        stub.routes[("POST", "/v1/heartbeat")] = Reply(body=body)  # signed: taken
        made.heartbeat()
        assert LOCKED in made.core.availability
    finally:
        made.close()


def test_a_catalog_command_fetches_the_new_catalog_and_is_done_once_in_use(
    tmp_path: Path, terminal: Terminal, link: Link
) -> None:
    data = json.loads((Path(kiosk.__file__).parent / "data" / "catalog.json").read_text())
    data["version"] = "2026.02"
    link.ledger.upload_catalog(json.dumps(data).encode(), "admin", "catalog.json")
    link.ledger.issue_command(
        TERMINAL, "catalog", by="admin", reason="new prices", catalog_version="2026.02"
    )
    terminal.heartbeat()
    assert terminal.control.fetch_wanted.is_set()  # the upkeep thread fetches at once
    fetched = CatalogKeeper(tmp_path / "kept").fetch(terminal.clients[0])
    assert fetched is not None and fetched.version == "2026.02"
    terminal.heartbeat()
    assert _states(link.ledger) == {"catalog": "acknowledged"}  # fetched, not yet in use
    assert terminal.core.offer_catalog(fetched)
    terminal.control.apply(terminal.core)
    terminal.heartbeat()
    assert _states(link.ledger) == {"catalog": "done"}
