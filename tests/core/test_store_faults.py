"""A store that cannot write takes the kiosk out of service; no money is taken unrecorded."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from drivers.bill.base import Decision, Escrow, Stacked
from kiosk.core import KioskCore, NotAvailable
from kiosk.session import State
from kiosk.store.db import StoreError
from tests.core.helpers import insert, ready, rows


@contextmanager
def locked(core: KioskCore) -> Iterator[None]:
    """Another process holds the write lock (a stuck backup, a crashed tool)."""
    path = core.store.engine.url.database
    assert path is not None  # a SQLite file, never in memory here
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def disk_full(core: KioskCore) -> Iterator[None]:
    """SQLite's own 'database or disk is full' (SQLITE_FULL), by capping the page count."""

    def cap(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    engine = core.store.engine
    event.listen(engine, "connect", cap)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", cap)
        engine.dispose()


def fill(core: KioskCore) -> None:
    """Write until the capped file has no room left, down to small rows."""
    for size in (2000, 200, 20, 1):
        with pytest.raises(StoreError, match="disk full"):
            for i in range(100_000):
                core.records.device_event(i, "test", "filler", "x" * size)


def test_locked_database_returns_the_escrowed_note_and_stops_acceptance(
    make_core: Callable[..., KioskCore], caplog: pytest.LogCaptureFixture
) -> None:
    core = make_core()
    ready(core)
    caplog.set_level(logging.WARNING)
    with locked(core):
        assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.RETURN
        snap = core.snapshot()
        assert not snap.in_service and snap.out_of_service_reasons == ("storage",)
        assert snap.last_returned is not None and snap.last_returned.reason == "out_of_service"
    assert any("out of service" in r.getMessage() for r in caplog.records)
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(0,)]
    core.refresh_availability()
    assert core.in_service
    assert insert(core, 1000) is Decision.STACK


def test_stacked_note_during_a_lock_stays_unacknowledged_then_is_credited_once(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.STACK
    with locked(core), pytest.raises(StoreError, match="locked"):
        core.on_acceptor_event(Stacked(100000, 2))  # raising = the driver does not ACK
    assert not core.in_service
    core.on_acceptor_event(Stacked(100000, 2))  # the device repeats; now it commits
    core.on_acceptor_event(Stacked(100000, 2))  # and a further repeat is not money
    assert rows(core, "SELECT count(*), sum(amount) FROM cash_journal") == [(1, 100000)]


def test_disk_full_before_a_session_keeps_the_kiosk_out_of_service(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    with disk_full(core):
        fill(core)
        with pytest.raises(NotAvailable) as refused:
            core.choose_service("kaspi")
        assert refused.value.reasons == ("storage",)
        assert core.faults["storage"] == "disk full"


def test_disk_full_at_pay_keeps_the_cash_and_pays_once_space_returns(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    for _ in range(4):  # earlier payments: the next receipt needs a fresh page
        ready(core)
        insert(core, 200, 0)
        core.pay()
        core.finish()
    operation_id = ready(core)
    insert(core, 2000)
    with disk_full(core):
        fill(core)
        with pytest.raises(StoreError, match="disk full"):
            core.pay()
        assert rows(core, "SELECT count(*) FROM payments") == [(4,)]
        core.tick()  # still full: the retry fails quietly, nothing half-written
        assert core.snapshot().state is State.PAYING
    with core.store.transaction() as s:  # a technician frees space
        s.execute(text("DELETE FROM device_events WHERE kind = 'filler'"))
    core.tick()
    assert core.snapshot().state is State.DONE
    assert rows(
        core, f"SELECT inserted, receipt_number FROM payments WHERE operation_id = '{operation_id}'"
    ) == [(200000, 5)]


@contextmanager
def read_only(core: KioskCore) -> Iterator[None]:
    """SQLite's own SQLITE_READONLY, as from a file system remounted read-only."""

    def query_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = 1")

    engine = core.store.engine
    event.listen(engine, "connect", query_only)
    engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", query_only)
        engine.dispose()


def test_read_only_database_refuses_customers_and_says_why(
    make_core: Callable[..., KioskCore], caplog: pytest.LogCaptureFixture
) -> None:
    core = make_core()
    caplog.set_level(logging.WARNING)
    with read_only(core):
        with pytest.raises(NotAvailable):
            core.choose_service("kaspi")
        assert core.faults["storage"] == "database read-only"
    assert any("out of service" in r.getMessage() for r in caplog.records)
    core.refresh_availability()
    assert core.in_service
