"""A real ledger on loopback behind the fault proxy, and a kiosk whose core makes payments."""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drivers.bill.base import Decision, Escrow, Stacked
from kiosk.catalog import load_catalog
from kiosk.clock import ManualClock, SystemClock
from kiosk.config import Config, demo_config
from kiosk.core import KioskCore
from kiosk.store.db import Store
from sync.client import LedgerClient
from sync.faultproxy import FaultProxy
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from sync.outbox import OutboxWorker

TERMINAL = "KZ-ALA-0001"


@dataclass
class Link:
    ledger: Ledger
    proxy: FaultProxy
    secret: str


@pytest.fixture
def link(tmp_path: Path) -> Iterator[Link]:
    ledger = Ledger.open(f"sqlite:///{tmp_path}/ledger.db")
    secret = ledger.add_terminal(TERMINAL)
    server = LedgerThread(ledger).start()
    proxy = FaultProxy("127.0.0.1", server.port)
    yield Link(ledger, proxy, secret)
    proxy.close()
    server.stop()
    ledger.close()


@dataclass
class Kiosk:
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


@pytest.fixture
def kiosk(tmp_path: Path, link: Link) -> Iterator[Kiosk]:
    base = demo_config(tmp_path / "kiosk")
    config: Config = dataclasses.replace(base, limits=dataclasses.replace(
        base.limits, offline_max_total=10**12, offline_max_count=10**6))
    # Wall time for both: the ledger checks the signature's timestamp against its own clock.
    clock = ManualClock(start=time.time())
    store = Store(config.storage.url)
    client = LedgerClient(link.proxy.url, TERMINAL, link.secret, SystemClock(), timeout=2.0)
    worker = OutboxWorker(store, client, clock, random.Random(5), min_delay=1, max_delay=300)
    checker = LedgerClient(link.proxy.url, TERMINAL, link.secret, SystemClock(), timeout=2.0)
    core = KioskCore(config, store, load_catalog(), acceptor=None, clock=clock,
                     rng=random.Random(5), checker=checker, link_online=lambda: worker.online)
    yield Kiosk(core, store, worker, client, clock)
    client.close()
    checker.close()
    store.close()
