"""The CCNET driver against the simulator: every note credited once, never on escrow, never
on a return, and never acknowledged before the listener has returned."""

from __future__ import annotations

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    DeviceError,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Rejected,
    Returned,
    Stacked,
)
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import Recorder, SimFactory, run

KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)


def test_start_identifies_the_device_and_reads_the_kzt_bill_table(
    make_sim: SimFactory, recorder: Recorder
) -> None:
    acceptor = make_sim()
    assert acceptor.identity is not None
    assert acceptor.identity.model == "SM-KZ-SIM-1.0"
    assert len(acceptor.identity.serial) == 12
    assert acceptor.bill_table[:8] == KZT + (0,)
    assert recorder.events == [PowerUp()]
    assert acceptor.state == "disabled"
    assert acceptor.device.enabled_amounts == frozenset()


def test_enabled_set_is_applied_at_the_next_cycle_with_escrow_on(make_sim: SimFactory) -> None:
    acceptor = make_sim()
    acceptor.set_enabled([100_000, 500_000, 777])
    assert acceptor.device.enabled_amounts == frozenset()
    acceptor.poll_once()
    assert acceptor.device.enabled_amounts == {100_000, 500_000}
    assert acceptor.device.escrow_mask == acceptor.device.enable_mask
    acceptor.set_enabled([])
    acceptor.poll_once()
    assert acceptor.device.enable_mask == 0 and acceptor.state == "disabled"


def test_a_stacked_note_is_delivered_once_after_its_escrow(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    money = [e for e in recorder.events if isinstance(e, (Escrow, Stacked, DuplicateStacked))]
    assert money == [Escrow(100_000, 2), Stacked(100_000, 2)]
    assert acceptor.device.cassette == [100_000]
    assert acceptor.state == "idling"


def test_the_device_is_acknowledged_only_after_the_listener_returns(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    seen_by_listener: list[str] = []

    def look(event: AcceptorEvent) -> None:
        if isinstance(event, Stacked):
            seen_by_listener.append(acceptor.device.state)

    recorder.on_event = look
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(200_000)
    run(acceptor, clock, 2)
    assert seen_by_listener == ["stacked"]  # still unacknowledged while the core commits
    assert acceptor.device.state == "idling"


def test_a_returned_note_is_never_credited(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = Decision.RETURN
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    assert acceptor.device.returned == [100_000] and acceptor.device.cassette == []


def test_no_decision_or_a_failing_escrow_listener_returns_the_note(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = None
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)

    def explode(event: AcceptorEvent) -> None:
        if isinstance(event, Escrow):
            raise RuntimeError("core busy")

    recorder.decision, recorder.on_event = Decision.STACK, explode
    acceptor.device.insert(50_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == []
    assert acceptor.device.returned == [100_000, 50_000]


def test_notes_not_enabled_or_fake_are_rejected_and_not_credited(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled([100_000])
    acceptor.poll_once()
    acceptor.device.insert(500_000)
    run(acceptor, clock, 1)
    acceptor.device.insert_fake()
    run(acceptor, clock, 1)
    assert recorder.of(Rejected) == [Rejected(0x68, "inhibit"), Rejected(0x65, "identification")]
    assert recorder.of(Escrow) == [] and recorder.of(Stacked) == []
    assert acceptor.device.cassette == []


def test_a_failing_stacked_listener_gets_the_note_again_and_it_is_never_lost(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    recorder.fail_stacked = 2
    acceptor.device.insert(1_000_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(1_000_000, 5)] * 3  # two failures, then committed
    assert recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [1_000_000]
    assert acceptor.device.state == "idling"


def test_a_lost_ack_makes_the_repeat_a_duplicate_not_a_second_credit(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()

    def lose_the_ack(event: AcceptorEvent) -> None:
        if isinstance(event, Stacked):
            acceptor.device.drop(1)  # the ACK sent after this listener returns never arrives

    recorder.on_event = lose_the_ack
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(100_000, 2, repeat=True)]
    assert acceptor.device.cassette == [100_000]


def test_noisy_replies_still_give_exactly_one_stacked(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    for _ in range(20):
        acceptor.device.noise(2)  # two corrupted frames per cycle; retries are 3
        clock.advance(0.1)
        acceptor.poll_once()
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert recorder.of(DuplicateStacked) == []
    assert acceptor.connected
    assert acceptor.link.device is acceptor.device


def test_a_restarted_host_reports_the_unacknowledged_note_as_duplicate_before_reset(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    first = make_sim()
    first.set_enabled(KZT)
    first.poll_once()
    recorder.fail_stacked = 100  # every commit fails, then the process dies: no ACK
    first.device.insert(100_000)
    run(first, clock, 1.5)
    assert first.device.state == "stacked"
    second_events = Recorder()
    second = open_acceptor("sim", clock=clock, device=first.device)
    second.set_listener(second_events)
    second.start(threaded=False)
    # A unit moving a note refuses GET BILL TABLE (sadeqAlbana/newCashCodeCLI utils.h), so the
    # new process cannot name it: amount 0, which the core resolves from its open STACK order.
    assert second_events.events[0] == DuplicateStacked(0, 2)
    assert second.device.cassette == [100_000]
    assert second.state == "disabled"  # the RESET came after the report
    second.stop()


def test_start_returns_a_held_escrow_of_unknown_value_before_resetting(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    first = make_sim()
    first.set_enabled(KZT)
    first.poll_once()
    first.device.insert(500_000)
    clock.advance(0.5)  # escrowed while no host is polling
    restarted = Recorder()
    second = open_acceptor("sim", clock=clock, device=first.device)
    second.set_listener(restarted)
    second.start(threaded=False)
    # In escrow the unit refuses GET BILL TABLE: a note of unknown value is never stacked.
    assert restarted.of(Escrow) == [] and restarted.of(Stacked) == []
    assert any("unknown value" in str(e) for e in restarted.of(DeviceError))
    assert restarted.of(Returned) == [Returned(0, 4)]
    assert second.device.returned == [500_000] and second.device.cassette == []
    assert second.bill_table[:7] == KZT  # read after the RESET
    second.stop()


def test_power_cycle_while_stacking_reports_a_bill_in_the_stacker(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled([100_000, 200_000])
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 0.5)
    acceptor.poll_once()
    assert acceptor.device.state == "stacking"
    acceptor.device.power_cycle()
    run(acceptor, clock, 1)
    assert recorder.of(PowerUp)[-1] == PowerUp(bill_in_stacker=True)
    assert recorder.of(Stacked) == []  # the core resolves it from its own STACK record
    assert acceptor.device.cassette == [100_000]
    assert acceptor.device.enabled_amounts == {100_000, 200_000}  # re-initialized
    assert acceptor.state == "idling"


def test_power_cycle_in_escrow_returns_the_note_and_reports_it(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    clock.advance(0.5)
    acceptor.device.power_cycle()
    run(acceptor, clock, 1)
    assert recorder.of(PowerUp)[-1] == PowerUp(bill_in_acceptor=True)
    assert acceptor.device.returned == [100_000] and acceptor.device.cassette == []
    assert recorder.of(Stacked) == []


def test_set_enabled_from_inside_the_listener_applies_at_the_next_cycle(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()

    def narrow(event: AcceptorEvent) -> None:
        if isinstance(event, Stacked):
            acceptor.set_enabled([20_000])  # the wallet is nearly full

    recorder.on_event = narrow
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert acceptor.device.enabled_amounts == {20_000}
