"""Start-up recovery on the real database a previous process left behind."""

from __future__ import annotations

from collections.abc import Callable

from drivers.bill.base import Decision, DuplicateStacked, Escrow, PowerUp
from kiosk.core import KioskCore
from kiosk.recovery import recover
from kiosk.sim.invariants import check
from tests.core.helpers import insert, ready, rows


def restart(make_core: Callable[..., KioskCore], old: KioskCore) -> KioskCore:
    old.store.close()  # the process died: nothing of its memory survives
    return make_core()


def test_session_with_cash_is_paid_to_its_account_and_marked_recovered(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    operation_id = ready(core)
    insert(core, 5000, 4)
    insert(core, 1000, 2)
    core = restart(make_core, core)
    report = recover(core.records, core.desk, 0)
    assert report.paid == [operation_id]
    assert rows(
        core, "SELECT operation_id, inserted, recovered, completion, account FROM payments"
    ) == [(operation_id, 600000, 1, "recovery", "+77011234567")]
    assert rows(core, "SELECT state, outcome FROM sessions") == [("done", "recovered")]
    assert all(check(core.store).values())


def test_session_without_cash_is_closed_as_abandoned(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    ready(core)
    core = restart(make_core, core)
    report = recover(core.records, core.desk, 0)
    assert len(report.abandoned) == 1
    assert rows(core, "SELECT count(*) FROM payments") == [(0,)]


def test_committed_payment_is_closed_not_paid_again(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    ready(core)
    insert(core, 1000)
    core.pay()
    with core.store.transaction() as s:  # crash after the payment commit, before "done"
        from sqlalchemy import text

        s.execute(text("UPDATE sessions SET state = 'receipt'"))
    core = restart(make_core, core)
    report = recover(core.records, core.desk, 0)
    assert len(report.closed) == 1 and not report.paid
    assert rows(core, "SELECT count(*), max(receipt_number) FROM payments") == [(1, 1)]


def test_note_ordered_before_the_crash_is_credited_when_the_device_reports_it(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    operation_id = ready(core)
    assert core.on_acceptor_event(Escrow(200000, 3)) is Decision.STACK  # then the process died
    core = restart(make_core, core)
    core.on_acceptor_event(DuplicateStacked(200000, 3))  # the device still holds its report
    core.on_acceptor_event(DuplicateStacked(200000, 3))  # and repeats it: still one note
    report = recover(core.records, core.desk, 0)
    assert report.paid == [operation_id] and not report.unresolved_orders
    assert rows(core, "SELECT inserted FROM payments") == [(200000,)]


def test_power_up_with_bill_in_stacker_credits_the_open_order_once(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    insert(core, 500, 1)
    core.on_acceptor_event(Escrow(100000, 2))  # STACK ordered, then power was lost
    core = restart(make_core, core)
    core.on_acceptor_event(PowerUp(bill_in_stacker=True))
    core.on_acceptor_event(PowerUp(bill_in_stacker=True))  # a second power-up has no open order
    recover(core.records, core.desk, 0)
    assert rows(core, "SELECT inserted FROM payments") == [(150000,)]


def test_order_the_device_never_reported_is_flagged_for_the_cash_count(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    core.on_acceptor_event(Escrow(100000, 2))
    core = restart(make_core, core)
    report = recover(core.records, core.desk, 0)
    assert len(report.unresolved_orders) == 1
    assert rows(core, "SELECT resolution FROM stack_orders") == [("unresolved",)]
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(0,)]
    assert rows(core, "SELECT kind FROM device_events WHERE kind = 'unresolved_stack'") == [
        ("unresolved_stack",)
    ]


def test_note_returned_after_a_crash_closes_the_open_order_without_money(
    make_core: Callable[..., KioskCore],
) -> None:
    from drivers.bill.base import Returned

    core = make_core()
    ready(core)
    core.on_acceptor_event(Escrow(100000, 2))  # ordered, but the process died before STACK
    core = restart(make_core, core)
    assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.RETURN  # no session to take it
    core.on_acceptor_event(Returned(100000, 2))
    report = recover(core.records, core.desk, 0)
    assert not report.unresolved_orders
    assert rows(core, "SELECT resolution FROM stack_orders") == [("returned",)]
    assert rows(core, "SELECT count(*) FROM payments") == [(0,)]


def test_note_of_unknown_value_given_back_after_a_crash_closes_the_one_open_order(
    make_core: Callable[..., KioskCore],
) -> None:
    from drivers.bill.base import Returned

    core = make_core()
    ready(core)
    core.on_acceptor_event(Escrow(100000, 2))  # ordered, but the process died before STACK
    core = restart(make_core, core)
    core.on_acceptor_event(Returned(0, -1))  # eSSP: the report naming the note was unreadable
    report = recover(core.records, core.desk, 0)
    assert not report.unresolved_orders
    assert rows(core, "SELECT resolution FROM stack_orders") == [("returned",)]
    assert rows(core, "SELECT count(*) FROM payments") == [(0,)]


def test_a_stored_state_that_contradicts_the_money_is_closed_by_the_money_and_reported(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    operation_id = ready(core)
    insert(core, 1000)
    core.pay()
    with core.store.transaction() as s:  # changed outside the kiosk: paid, yet "account_checked"
        from sqlalchemy import text

        s.execute(text("UPDATE sessions SET state = 'account_checked', closed_at = NULL"))
    core = restart(make_core, core)
    report = recover(core.records, core.desk, 0)
    assert report.closed == [operation_id] and not report.paid  # never paid twice
    assert rows(core, "SELECT state FROM sessions") == [("done",)]
    events = rows(core, "SELECT kind FROM device_events WHERE kind = 'impossible_session_state'")
    assert events == [("impossible_session_state",)]
