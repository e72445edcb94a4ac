"""A real ledger on loopback behind the fault proxy, and a kiosk whose core makes payments."""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import build_core
from kiosk.catalog_file import load_catalog
from kiosk.config import Config, demo_config
from kiosk.domain.clock import ManualClock, SystemClock
from kiosk.sim.faultproxy import FaultProxy
from kiosk.store.db import Store
from sync.client import LedgerClient
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from sync.outbox import OutboxWorker
from tests.sync.helpers import TERMINAL, Kiosk, Link, StubLedger
from tests.sync.tls_certs import TlsFiles, make_tls_files


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


@pytest.fixture
def kiosk(tmp_path: Path, link: Link) -> Iterator[Kiosk]:
    base = demo_config(tmp_path / "kiosk")
    config: Config = dataclasses.replace(
        base,
        limits=dataclasses.replace(base.limits, offline_max_total=10**12, offline_max_count=10**6),
    )
    # Wall time for both: the ledger checks the signature's timestamp against its own clock.
    clock = ManualClock(start=time.time())
    store = Store(config.storage.url)
    client = LedgerClient(link.proxy.url, TERMINAL, link.secret, SystemClock(), timeout=2.0)
    worker = OutboxWorker(store, client, clock, random.Random(5), min_delay=1, max_delay=300)
    checker = LedgerClient(link.proxy.url, TERMINAL, link.secret, SystemClock(), timeout=2.0)
    core = build_core(
        config,
        store,
        load_catalog(),
        acceptor=None,
        clock=clock,
        rng=random.Random(5),
        checker=checker,
        link_online=lambda: worker.online,
    )
    yield Kiosk(core, store, worker, client, clock)
    client.close()
    checker.close()
    store.close()


@pytest.fixture
def stub() -> Iterator[StubLedger]:
    server = StubLedger()
    yield server
    server.close()


@pytest.fixture
def tls_files(tmp_path: Path) -> TlsFiles:
    return make_tls_files(tmp_path / "tls")


@pytest.fixture
def tls_stub(tls_files: TlsFiles) -> Iterator[StubLedger]:
    server = StubLedger(tls=tls_files)
    yield server
    server.close()
