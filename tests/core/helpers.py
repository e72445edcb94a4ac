"""Driving a core the way the acceptor driver and the screens do, and reading its store:
shared by the core tests (the cores themselves come from the fixtures in conftest.py)."""

from __future__ import annotations

from sqlalchemy import text

from drivers.bill.base import Decision, Escrow, Stacked
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock

QPLUS_NUMBER = "+7 701 123 45 67"


def ready(core: KioskCore, service: str = "kaspi", number: str = QPLUS_NUMBER) -> str:
    """A session for ``number`` at the cash screen, as a customer gets there; its id."""
    operation_id = core.choose_service(service)
    assert core.enter_account(number).ok
    assert core.confirm_account().ok
    core.start_cash()
    return operation_id


def insert(core: KioskCore, tenge: int, bill_type: int = 2) -> Decision | None:
    """A note in escrow, and stacked when the core orders it: the core's decision."""
    decision = core.on_acceptor_event(Escrow(tenge * 100, bill_type))
    if decision is Decision.STACK:
        core.on_acceptor_event(Stacked(tenge * 100, bill_type))
    return decision


def rows(core: KioskCore, sql: str) -> list[tuple[object, ...]]:
    """The rows ``sql`` reads from the core's store."""
    with core.store.reading() as s:
        return [tuple(r) for r in s.execute(text(sql)).all()]


def pump(core: KioskCore, clock: ManualClock, polls: int = 20) -> None:
    """Poll the acceptor ``polls`` times, 0.1 s of the manual clock apart."""
    for _ in range(polls):
        assert core.acceptor is not None
        core.acceptor.poll_once()
        clock.advance(0.1)
