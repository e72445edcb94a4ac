"""The core's parts on their own: the session slot's transitions, availability's stop rule
and its listeners, on the real SQLite file (decision 025)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from kiosk.availability import OFFLINE_LIMITS, STORAGE, Availability
from kiosk.catalog_file import load_catalog
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock
from kiosk.domain.offline import OfflinePolicy, OfflineStop
from kiosk.session import LiveSession, SessionSlot, State, TransitionError
from kiosk.store.db import Store, StoreError
from kiosk.store.records import Records


@pytest.fixture
def records(config: Config) -> Iterator[Records]:
    store = Store(config.storage.url)
    yield Records(store)
    store.close()


def open_slot(
    records: Records, clock: ManualClock, failures: list[StoreError]
) -> tuple[SessionSlot, LiveSession]:
    slot = SessionSlot(records, clock, failures.append)
    service = load_catalog().get("kaspi")
    records.open_session("op-1", 0, "ru", service.id)
    live = LiveSession("op-1", service, "ru", State.SERVICE_CHOSEN, clock.monotonic())
    slot.open(live)
    return slot, live


def test_a_move_outside_the_table_is_refused_and_not_stored(
    records: Records, clock: ManualClock
) -> None:
    slot, live = open_slot(records, clock, [])
    with pytest.raises(TransitionError):
        slot.move(live, State.ACCEPTING)
    assert live.state is State.SERVICE_CHOSEN
    assert records.session_row("op-1").state == "service_chosen"
    slot.move(live, State.ACCOUNT_ENTERED, account="+77011234567")
    assert records.session_row("op-1").state == "account_entered"


def test_the_payment_s_own_moves_are_checked_against_the_table_too(
    records: Records, clock: ManualClock
) -> None:
    slot, live = open_slot(records, clock, [])
    with pytest.raises(TransitionError):
        slot.advance(live, State.PAYING)  # not from service_chosen: no cash can be in
    with pytest.raises(TransitionError):
        slot.open(LiveSession("op-2", live.service, "ru", State.ACCEPTING, 0.0))
    assert slot.live is live


def test_a_session_opens_only_from_idle_into_service_chosen(
    records: Records, clock: ManualClock
) -> None:
    slot, live = open_slot(records, clock, [])
    assert slot.require(State.SERVICE_CHOSEN) is live
    with pytest.raises(TransitionError, match="not allowed in state service_chosen"):
        slot.require(State.ACCEPTING)
    slot.close()
    with pytest.raises(TransitionError, match="not allowed in state idle"):
        slot.require(State.SERVICE_CHOSEN)


def test_a_store_that_cannot_write_is_reported_and_the_state_stays(
    records: Records, clock: ManualClock
) -> None:
    failures: list[StoreError] = []
    slot, live = open_slot(records, clock, failures)

    def query_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = 1")

    engine = records.store.engine  # SQLite's own SQLITE_READONLY from now on
    event.listen(engine, "connect", query_only)
    engine.dispose()
    try:
        with pytest.raises(StoreError):
            slot.move(live, State.ACCOUNT_ENTERED, account="+77011234567")
    finally:
        event.remove(engine, "connect", query_only)
        engine.dispose()
    assert live.state is State.SERVICE_CHOSEN
    assert [failure.kind for failure in failures] == ["database read-only"]
    assert records.session_row("op-1").state == "service_chosen"


def test_availability_applies_the_offline_stop_rule_and_tells_its_listeners(
    records: Records, clock: ManualClock
) -> None:
    heard: list[tuple[str, ...]] = []
    online = [False]
    availability = Availability(
        records.store, records, clock, OfflinePolicy(max_count=0), lambda: online[0]
    )
    availability.listen(lambda: heard.append(availability.reasons))
    availability.refresh()
    assert availability.faults == {OFFLINE_LIMITS: OfflineStop.TOO_MANY.value}
    assert not availability.in_service and heard == [(OFFLINE_LIMITS,)]
    online[0] = True
    availability.refresh()
    assert availability.in_service and heard[-1] == ()
    assert availability.offline_caps() is None  # online: no offline caps on a session
    assert STORAGE not in availability


def test_the_core_reads_its_parts(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    core.hold("numbering", "waiting for the ledger")
    assert core.availability.reasons == ("numbering",)
    assert core.snapshot().out_of_service_reasons == ("numbering",)
    assert core.device_report() == {"out_of_service": ["numbering"]}
    core.release("numbering")
    assert core.snapshot().in_service
