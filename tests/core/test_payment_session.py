"""The payment session, driven the way the acceptor driver drives it: events in, decisions out."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable

import pytest

from drivers.bill.base import Decision, DuplicateStacked, Escrow, Stacked
from kiosk.config import Config
from kiosk.core import KioskCore, NotAllowed
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.session import Attention, State
from tests.core.helpers import insert, ready, rows


def test_operation_id_is_a_uuid7_stored_when_the_session_opens(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    operation_id = core.choose_service("qplus")
    assert uuid.UUID(operation_id).version == 7
    assert rows(core, "SELECT operation_id, state FROM sessions") == [
        (operation_id, "service_chosen")
    ]


def test_every_transition_is_stored_in_order(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    operation_id = ready(core)
    insert(core, 1000)
    core.pay()
    states = rows(
        core,
        f"SELECT from_state, to_state FROM session_transitions "
        f"WHERE operation_id = '{operation_id}' ORDER BY id",
    )
    assert states == [
        ("idle", "service_chosen"),
        ("service_chosen", "account_entered"),
        ("account_entered", "account_checked"),
        ("account_checked", "accepting"),
        ("accepting", "paying"),
        ("paying", "receipt"),
        ("receipt", "done"),
    ]


def test_a_wrong_number_keeps_the_session_waiting_with_the_reason(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    core.choose_service("qplus")
    result = core.enter_account("+7 690 123 45 67")
    assert not result.ok and result.message("en")
    assert core.snapshot().state is State.SERVICE_CHOSEN


def test_stacked_note_is_journaled_and_paid_once(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    operation_id = ready(core)
    assert insert(core, 1000) is Decision.STACK
    assert insert(core, 500) is Decision.STACK
    paid = core.pay()
    assert paid.breakdown.inserted == Money.tenge(1500)
    assert rows(core, "SELECT amount, operation_id FROM cash_journal ORDER BY id") == [
        (100000, operation_id),
        (50000, operation_id),
    ]
    assert rows(core, "SELECT inserted, receipt_number, local_seq FROM payments") == [
        (150000, 1, 1)
    ]
    assert rows(core, "SELECT kind, local_seq FROM outbox") == [("payment", 1)]


def test_escrow_without_a_committed_order_is_never_journaled(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    core.on_acceptor_event(Escrow(100000, 2))
    # The note was ordered but the device has not reported it stacked: no money yet.
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(0,)]
    assert core.snapshot().note_in_progress
    with pytest.raises(NotAllowed):
        core.pay()


def test_repeated_stacked_report_is_not_credited_twice(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    ready(core)
    insert(core, 2000)
    core.on_acceptor_event(DuplicateStacked(200000, 3))  # lost ACK: the device repeats itself
    core.on_acceptor_event(Stacked(200000, 3))  # even a plain repeat finds no open order
    assert rows(core, "SELECT count(*), sum(amount) FROM cash_journal") == [(1, 200000)]
    assert core.snapshot().inserted == Money.tenge(2000)


def test_note_over_the_wallet_operation_limit_is_returned(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core, "kaspi")  # no commission; unknown status -> minimal: 50 MRP = 216 250 KZT
    for _ in range(10):
        assert insert(core, 20000, 6) is Decision.STACK
    assert insert(core, 20000, 6) is Decision.RETURN
    snap = core.snapshot()
    assert snap.last_returned is not None and snap.last_returned.reason == "operation_limit"
    assert snap.inserted == Money.tenge(200000)
    assert snap.max_more == Money.tenge(16250)
    assert insert(core, 10000, 5) is Decision.STACK


def test_offline_payment_cap_returns_the_note(
    make_core: Callable[..., KioskCore], config: Config
) -> None:
    limits = dataclasses.replace(config.limits, offline_max_payment=3_000_000)
    core = make_core(dataclasses.replace(config, limits=limits))
    ready(core, "kaspi")
    assert insert(core, 20000) is Decision.STACK
    assert insert(core, 20000) is Decision.RETURN
    returned = core.snapshot().last_returned
    assert returned is not None and returned.reason == "offline_payment_cap"


def test_note_arriving_when_not_accepting_is_returned(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.RETURN
    core.choose_service("kaspi")
    assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.RETURN


def test_cancel_is_refused_once_cash_is_in(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    ready(core)
    insert(core, 500)
    with pytest.raises(NotAllowed):
        core.cancel()
    assert core.snapshot().state is State.ACCEPTING


def test_cancel_without_cash_closes_the_session(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    operation_id = ready(core)
    core.cancel()
    assert core.snapshot().state is State.IDLE
    assert rows(core, "SELECT state, outcome FROM sessions") == [("cancelled", "cancelled")]
    assert operation_id


def test_pay_needs_the_service_minimum(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    ready(core, "wmk", "K123456789012")  # WMK minimum is 500 KZT
    insert(core, 200, 0)
    assert not core.snapshot().can_pay
    with pytest.raises(NotAllowed):
        core.pay()
    insert(core, 500, 1)
    assert core.snapshot().can_pay
    assert core.pay().breakdown.inserted == Money.tenge(700)


def test_cash_timeout_warns_then_completes_the_payment(
    make_core: Callable[..., KioskCore], clock: ManualClock, config: Config
) -> None:
    core = make_core()
    ready(core)
    insert(core, 1000)
    clock.advance(config.kiosk.cash_warn_s + 1)
    core.tick()
    assert core.snapshot().attention is Attention.COMPLETING
    assert core.snapshot().state is State.ACCEPTING
    clock.advance(config.kiosk.cash_complete_s - config.kiosk.cash_warn_s)
    core.tick()
    snap = core.snapshot()
    assert snap.state is State.DONE and snap.receipt_number == 1
    assert rows(core, "SELECT completion, inserted FROM payments") == [("timeout", 100000)]


def test_idle_timeout_without_cash_asks_then_ends_the_session(
    make_core: Callable[..., KioskCore], clock: ManualClock, config: Config
) -> None:
    core = make_core()
    ready(core)
    clock.advance(config.kiosk.idle_timeout_s + 1)
    core.tick()
    assert core.snapshot().attention is Attention.STILL_THERE
    clock.advance(60)
    core.tick()
    assert core.snapshot().state is State.IDLE
    assert rows(core, "SELECT outcome FROM sessions") == [("abandoned",)]


def test_receipt_numbers_follow_one_another(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    for expected in (1, 2, 3):
        ready(core)
        insert(core, 200, 0)
        assert core.pay().receipt_number == expected
        core.finish()


def test_receipt_carries_every_required_field(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    core.set_language("kk")
    operation_id = ready(core, "qplus")
    insert(core, 5000, 4)
    text_ = core.pay().receipt_text
    for required in (
        "5 000",
        "Түбіртек №",
        "«Демо Төлемдер» ЖШС",  # the agent, the address and the operator in Kazakh too
        "060640010247",
        operation_id,
        "+77011234567",
        "+7 (727) 356-12-12",
        "KZ-ALA-0001",
        "Алматы қ., Абай даңғылы, 10",
        "«QIWI Kazakhstan» ЖШС",
        "Комиссия",
        "Есепке алынатын сома",
    ):
        assert required in text_, required
    for english in ("Demo Payments LLP", "Almaty", "QIWI Kazakhstan LLP"):
        assert english not in text_, english
