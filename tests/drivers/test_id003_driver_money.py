"""The ID-003 driver against its simulator, in-process: credit at Vend Valid once, write
before ACK, lost ACKs, host restarts and power-ups with a note inside."""

from __future__ import annotations

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    Decision,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Rejected,
    Returned,
    Stacked,
)
from drivers.sim.bill.id003 import Id003Device, Timings
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Id003Factory, Recorder, run, run_until

SLOW = Timings(stacking=1.0, accepting=0.3, returning=0.3, rejecting=0.3, initialize=0.3)


def test_start_reads_identity_and_currency_assignment(make_id003: Id003Factory) -> None:
    acceptor = make_id003()
    assert acceptor.bill_table == KZT
    assert acceptor.identity is not None and acceptor.identity.serial.isdigit()
    assert acceptor.state == "disabled"


def test_enabled_set_reaches_the_device_and_empty_inhibits(
    make_id003: Id003Factory, clock: ManualClock
) -> None:
    acceptor = make_id003()
    acceptor.set_enabled([100_000, 200_000])
    run(acceptor, clock, 0.2)
    assert acceptor.device.enabled_amounts == {100_000, 200_000}
    assert acceptor.state == "idling"
    acceptor.set_enabled([])
    run(acceptor, clock, 0.2)
    assert acceptor.device.enabled_amounts == frozenset()
    assert acceptor.state == "disabled"


def test_note_is_credited_once_at_vend_valid(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_id003()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Escrow) == [Escrow(100_000, 2)]
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [100_000]


def test_returned_escrow_credits_nothing(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = Decision.RETURN
    acceptor = make_id003()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(500_000)
    run(acceptor, clock, 2)
    assert recorder.of(Returned) == [Returned(500_000, 4)]
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.returned == [500_000] and acceptor.device.cassette == []


def test_listener_raising_on_escrow_returns_the_note(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    def broken(event: object) -> None:
        if isinstance(event, Escrow):
            raise RuntimeError("core is down")

    recorder.on_event = broken
    acceptor = make_id003()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == []
    assert acceptor.device.returned == [100_000]


def test_lost_ack_of_vend_valid_is_a_repeat_not_money(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_id003()

    def lose_the_ack(event: object) -> None:
        if isinstance(event, Stacked):
            acceptor.device.drop(1)  # the ACK sent once the listener returns never arrives

    recorder.on_event = lose_the_ack
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(200_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(200_000, 3, repeat=True)]
    assert acceptor.device.cassette == [200_000]
    assert acceptor.state == "idling"


def test_listener_raising_on_stacked_gets_it_again_and_no_ack_until_then(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.fail_stacked = 2
    acceptor = make_id003()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)] * 3  # two failed, one committed
    assert recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [100_000] and acceptor.state == "idling"


def test_host_restart_during_vend_valid_is_duplicate_not_repeat(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = Id003Device(clock=clock, seed=3)
    first = open_acceptor("sim", simulated="id003", clock=clock, device=device)
    first.set_listener(recorder)
    first.start(threaded=False)
    first.set_enabled(KZT)
    first.poll_once()
    recorder.fail_stacked = 100  # the host dies before its commit: never ACKs
    device.insert(100_000)
    run(first, clock, 1)
    assert device.state == "stacked"  # holding Vend Valid for an ACK
    recorder.fail_stacked = 0
    second = open_acceptor("sim", simulated="id003", clock=clock, device=device)
    second.set_listener(recorder)
    second.start(threaded=False)
    run(second, clock, 1)
    # The new driver never ordered that STACK and Vend Valid names no denomination:
    # amount 0, bill type -1; the core decides against its own record of the STACK.
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(0, -1, repeat=False)]
    assert device.cassette == [100_000]
    second.stop()


def test_power_up_with_bill_in_stacker_is_reported_not_credited(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_id003(timings=SLOW)
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run_until(acceptor, clock, "stacking")
    acceptor.device.power_cycle()
    run(acceptor, clock, 2)
    assert PowerUp(bill_in_stacker=True) in recorder.events
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [100_000]
    assert acceptor.device.enabled_amounts == set(KZT)  # restored after the RESET


def test_power_up_with_bill_in_acceptor_gives_the_note_back(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = None  # undecided: the note waits in escrow
    acceptor = make_id003(timings=SLOW)
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    clock.advance(0.5)
    acceptor.device.power_cycle()
    # The ESCROW answer was never read: power cut before the next poll.
    run(acceptor, clock, 2)
    assert PowerUp(bill_in_acceptor=True) in recorder.events
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [] and acceptor.device.returned == [100_000]


def test_fake_and_inhibited_notes_are_rejected_with_their_reason(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_id003()
    acceptor.set_enabled([100_000])
    acceptor.poll_once()
    acceptor.device.insert_fake()
    run(acceptor, clock, 1)
    acceptor.device.insert(500_000)
    run(acceptor, clock, 1)
    assert recorder.of(Rejected) == [
        Rejected(0x76, "denomination assessing"),
        Rejected(0x79, "inhibit"),
    ]
    assert recorder.of(Stacked) == [] and recorder.of(Escrow) == []
    assert acceptor.device.rejected == [0, 500_000]


def test_sim_refuses_an_unknown_simulated_protocol() -> None:
    with pytest.raises(ValueError, match="simulated must be one of"):
        open_acceptor("sim", simulated="mdb")
    with pytest.raises(ValueError, match="needs a port"):
        open_acceptor("id003")
