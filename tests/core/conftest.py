from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import drivers.bill
from drivers.sim.bill.ccnet import CcnetDevice
from kiosk.app import build_core
from kiosk.catalog_file import load_catalog
from kiosk.config import Config, demo_config
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock
from kiosk.store.db import Store


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    base = demo_config(tmp_path)
    # Offline caps out of the way unless a test sets them: wallet limits are under test.
    limits = dataclasses.replace(
        base.limits, offline_max_payment=10**10, offline_max_total=10**12, offline_max_count=10**6
    )
    return dataclasses.replace(base, limits=limits)


@pytest.fixture
def make_core(config: Config, clock: ManualClock) -> Iterator[Callable[..., KioskCore]]:
    """A core on the real SQLite file, fed acceptor events directly (no device)."""
    stores: list[Store] = []

    def make(cfg: Config | None = None, **kwargs: Any) -> KioskCore:
        cfg = cfg or config
        store = Store(cfg.storage.url, busy_timeout_ms=50)
        stores.append(store)
        return build_core(
            cfg, store, load_catalog(), acceptor=None, clock=clock, rng=random.Random(7), **kwargs
        )

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def kiosk_on_sim(config: Config, clock: ManualClock) -> Iterator[tuple[KioskCore, CcnetDevice]]:
    acceptor = drivers.bill.open("sim", clock=clock, seed=3)
    store = Store(config.storage.url)
    core = build_core(
        config, store, load_catalog(), acceptor=acceptor, clock=clock, rng=random.Random(3)
    )
    acceptor.start(threaded=False)
    yield core, acceptor.device
    acceptor.stop()
    store.close()
