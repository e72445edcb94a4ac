"""Device faults mid-note, through the real CCNET driver and the byte-level simulator."""

from __future__ import annotations

from collections.abc import Callable

from drivers.bill.base import Cheated, Cleared, Decision, DuplicateStacked, Escrow, PowerUp, Stacked
from drivers.sim.bill.ccnet import CcnetDevice
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock
from kiosk.session import State
from kiosk.sim.invariants import check
from tests.core.helpers import insert, pump, ready, rows


def test_cheat_mid_stack_then_a_lost_ack_credits_each_real_note_once(
    kiosk_on_sim: tuple[KioskCore, CcnetDevice], clock: ManualClock
) -> None:
    core, device = kiosk_on_sim
    ready(core)
    pump(core, clock, 2)
    device.insert(100000)
    for _ in range(40):  # until the device is stacking the note we ordered
        pump(core, clock, 1)
        if device.state == "stacking":
            break
    assert device.state == "stacking"
    device.cheat()  # pulled back on a string: not in the cassette
    pump(core, clock, 10)
    device.clear()
    pump(core, clock, 10)
    device.insert(100000)  # a real note of the same value, whose ACK is lost
    pump(core, clock, 3)
    device.drop(1)
    pump(core, clock, 30)
    core.pay()
    assert device.cassette == [100000]
    assert rows(core, "SELECT count(*), sum(amount) FROM cash_journal") == [(1, 100000)]
    assert all(check(core.store, device.cassette).values())


def test_unknown_stacked_report_never_matches_an_order_closed_by_a_cheat(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.STACK
    core.on_acceptor_event(Cheated())
    assert insert(core, 1000) is Decision.STACK
    core.on_acceptor_event(DuplicateStacked(100000, 2))  # even without the repeat flag
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(1,)]
    assert rows(core, "SELECT resolution FROM stack_orders ORDER BY id") == [
        ("cheated",),
        ("stacked",),
    ]


def test_a_new_escrow_closes_an_order_whose_note_went_unreported(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    assert core.on_acceptor_event(Escrow(100000, 2)) is Decision.STACK
    assert core.on_acceptor_event(Escrow(50000, 1)) is Decision.STACK  # the device moved on
    core.on_acceptor_event(Stacked(50000, 1))
    core.on_acceptor_event(DuplicateStacked(100000, 2))
    assert rows(core, "SELECT amount FROM cash_journal") == [(50000,)]
    assert rows(core, "SELECT resolution FROM stack_orders ORDER BY id") == [
        ("unresolved",),
        ("stacked",),
    ]


def test_power_up_with_the_note_in_the_acceptor_closes_its_order_as_returned(
    make_core: Callable[..., KioskCore],
) -> None:
    core = make_core()
    ready(core)
    core.on_acceptor_event(Escrow(100000, 2))
    core.on_acceptor_event(PowerUp(bill_in_acceptor=True))
    core.on_acceptor_event(DuplicateStacked(100000, 2))
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(0,)]
    assert rows(core, "SELECT resolution FROM stack_orders") == [("returned",)]
    assert core.snapshot().can_cancel


def test_a_note_jammed_on_its_way_does_not_freeze_the_session(
    make_core: Callable[..., KioskCore], clock: ManualClock, config: Config
) -> None:
    from drivers.bill.base import Jammed

    core = make_core()
    ready(core)
    insert(core, 1000)
    core.on_acceptor_event(Escrow(50000, 1))
    core.on_acceptor_event(Jammed("acceptor"))
    clock.advance(config.kiosk.cash_complete_s + 1)
    core.tick()
    core.tick()
    assert core.snapshot().state is State.DONE
    assert rows(core, "SELECT inserted FROM payments") == [(100000,)]
    # The stuck note's order stays open: the device may still report it (a late payment).
    assert rows(core, "SELECT resolution FROM stack_orders ORDER BY id") == [("stacked",), (None,)]
    core.finish()
    core.on_acceptor_event(Cleared())  # the technician cleared the jam
    ready(core)
    insert(core, 200, 0)  # the device took another note: the stuck one went unreported
    assert rows(core, "SELECT resolution FROM stack_orders ORDER BY id") == [
        ("stacked",),
        ("unresolved",),
        ("stacked",),
    ]


def test_a_note_stacked_after_its_session_ended_is_credited_once_as_a_late_payment(
    kiosk_on_sim: tuple[KioskCore, CcnetDevice], clock: ManualClock
) -> None:

    core, device = kiosk_on_sim
    operation_id = ready(core, "beeline", "+77051234567")
    pump(core, clock, 2)
    device.insert(2000000)
    for _ in range(40):
        pump(core, clock, 1)
        if device.state == "stacking":
            break
    assert device.state == "stacking"
    device.cassette_out()  # pulled mid-stack: the note's fate is unknown for now
    config: Config = core.config
    clock.advance(config.kiosk.cash_complete_s + config.kiosk.idle_timeout_s + 60)
    for _ in range(3):
        core.tick()
    assert core.snapshot().state is State.IDLE  # the customer's session ended without cash
    device.cassette_in()
    pump(core, clock, 30)  # the device finishes stacking and reports the note
    assert device.cassette == [2000000]
    late = rows(
        core,
        "SELECT p.operation_id, p.inserted, p.completion, p.recovered, p.account FROM payments p",
    )
    assert len(late) == 1 and late[0][0] != operation_id
    assert late[0][1:] == (2000000, "late_note", 1, "+77051234567")
    assert all(check(core.store, device.cassette).values())
