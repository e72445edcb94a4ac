"""Every simulated bill acceptor, whatever its protocol, moves money the same way: a note is
escrowed, the listener decides, it is stacked and credited once, and the device is
acknowledged only after the listener has returned. A returned note is never credited, a
failing listener loses nothing, a lost acknowledgement is a repeat, not money, and a power
cut with a note inside is reported, not credited (SSP's own power-up story, a note cleared
into the cashbox and credited, is in test_ssp_driver_money.py). Protocol facts (frames, codes, start-up
quirks) are in the test_<protocol>_*.py files."""

from __future__ import annotations

import pytest

from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    Disconnected,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Rejected,
    Returned,
    Stacked,
)
from drivers.sim.bill.mechanics import Timings
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, PROTOCOLS, Factory, Recorder, run, run_until

SLOW = Timings(stacking=1.0, accepting=0.3, returning=0.3, rejecting=0.3, initialize=0.3)
# What each protocol reports for a fake note, then for a note whose channel is inhibited.
REJECTS = {
    "ccnet": [Rejected(0x65, "identification"), Rejected(0x68, "inhibit")],
    "id003": [Rejected(0x76, "denomination assessing"), Rejected(0x79, "inhibit")],
    "ssp": [Rejected(0x0E, "note recognition"), Rejected(0x06, "channel inhibited")],
    "essp": [Rejected(0x0E, "note recognition"), Rejected(0x06, "channel inhibited")],
}
every_protocol = pytest.mark.parametrize("protocol", PROTOCOLS)
# Protocols whose host acknowledges each event with a frame of its own; SSP's counterpart, the
# poll-with-ack firmware option, is tested in test_ssp_poll_with_ack.py.
acknowledging = pytest.mark.parametrize("protocol", ["ccnet", "id003"])


def money(recorder: Recorder) -> list[AcceptorEvent]:
    return [e for e in recorder.events if isinstance(e, (Escrow, Stacked, DuplicateStacked))]


@every_protocol
def test_a_note_is_escrowed_then_stacked_and_credited_once(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert money(recorder) == [Escrow(100_000, 2), Stacked(100_000, 2)]
    assert acceptor.device.cassette == [100_000]
    assert acceptor.state == "idling"


@acknowledging
def test_the_device_is_acknowledged_only_after_the_listener_returns(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    seen_by_listener: list[str] = []

    def look(event: AcceptorEvent) -> None:
        if isinstance(event, Stacked):
            seen_by_listener.append(acceptor.device.state)

    recorder.on_event = look
    acceptor.device.insert(200_000)
    run(acceptor, clock, 2)
    assert seen_by_listener == ["stacked"]  # still unacknowledged while the core commits
    assert acceptor.device.state == "idling"


@every_protocol
@pytest.mark.parametrize(("note", "bill_type"), [(100_000, 2), (500_000, 4)])
def test_a_returned_note_is_never_credited(
    make_ready: Factory, recorder: Recorder, clock: ManualClock, note: int, bill_type: int
) -> None:
    recorder.decision = Decision.RETURN
    acceptor = make_ready()
    acceptor.device.insert(note)
    run(acceptor, clock, 2)
    assert recorder.of(Returned) == [Returned(note, bill_type)]
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert recorder.of(Rejected) == []
    assert acceptor.device.returned == [note] and acceptor.device.cassette == []


@every_protocol
def test_no_decision_or_a_failing_escrow_listener_returns_the_note(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = None
    acceptor = make_ready()
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


@every_protocol
def test_a_failing_stacked_listener_gets_the_note_again_and_it_is_never_lost(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    recorder.fail_stacked = 2
    acceptor.device.insert(1_000_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(1_000_000, 5)] * 3  # two failures, then committed
    assert recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [1_000_000]
    assert acceptor.state == "idling" and acceptor.device.state == "idling"


@acknowledging
def test_a_lost_ack_makes_the_repeat_a_duplicate_not_a_second_credit(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()

    def lose_the_ack(event: AcceptorEvent) -> None:
        if isinstance(event, Stacked):
            acceptor.device.drop(1)  # the ACK sent after this listener returns never arrives

    recorder.on_event = lose_the_ack
    acceptor.device.insert(200_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(200_000, 3, repeat=True)]
    assert acceptor.device.cassette == [200_000]
    assert acceptor.state == "idling"


@every_protocol
def test_a_damaged_reply_every_cycle_still_credits_once(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    acceptor.device.insert(2_000_000)
    for _ in range(30):
        acceptor.device.noise(1)  # every reply damaged once: the host asks again
        clock.advance(0.1)
        acceptor.poll_once()
    assert recorder.of(Stacked) == [Stacked(2_000_000, 6)]
    assert recorder.of(DuplicateStacked) == [] and recorder.of(Disconnected) == []
    assert acceptor.device.cassette == [2_000_000]
    assert acceptor.connected and acceptor.link.device is acceptor.device


@every_protocol
def test_fake_and_inhibited_notes_are_rejected_with_their_reason(
    make_ready: Factory, recorder: Recorder, clock: ManualClock, protocol: str
) -> None:
    acceptor = make_ready()
    acceptor.set_enabled([100_000])
    acceptor.poll_once()
    acceptor.device.insert_fake()
    run(acceptor, clock, 1.5)
    acceptor.device.insert(500_000)
    run(acceptor, clock, 1.5)
    assert recorder.of(Rejected) == REJECTS[protocol]
    assert recorder.of(Stacked) == [] and recorder.of(Escrow) == []
    assert acceptor.device.rejected == [0, 500_000] and acceptor.device.cassette == []


@every_protocol
def test_the_enabled_set_reaches_the_device_and_empty_disables_it(
    make_ready: Factory, clock: ManualClock
) -> None:
    acceptor = make_ready()
    acceptor.set_enabled([100_000, 200_000])
    run(acceptor, clock, 0.2)
    assert acceptor.device.enabled_amounts == {100_000, 200_000}
    assert acceptor.state == "idling"
    acceptor.set_enabled([])
    run(acceptor, clock, 0.2)
    assert acceptor.device.enabled_amounts == frozenset()
    assert acceptor.state == "disabled"


@every_protocol
def test_set_enabled_from_inside_the_listener_applies_at_the_next_cycle(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()

    def narrow(event: AcceptorEvent) -> None:
        if isinstance(event, Stacked):
            acceptor.set_enabled([20_000])  # the wallet is nearly full

    recorder.on_event = narrow
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert acceptor.device.enabled_amounts == {20_000}


@acknowledging
def test_power_up_with_a_note_in_the_stacker_is_reported_not_credited(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready(timings=SLOW)
    acceptor.device.insert(100_000)
    run_until(acceptor, clock, "stacking")
    acceptor.device.power_cycle()
    run(acceptor, clock, 2)
    assert recorder.of(PowerUp)[-1] == PowerUp(bill_in_stacker=True)
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [100_000]
    assert acceptor.device.enabled_amounts == set(KZT)  # restored after the restart
    assert acceptor.state == "idling"


@acknowledging
def test_power_up_with_a_note_in_the_acceptor_gives_it_back(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    recorder.decision = None  # undecided: the note waits in escrow
    acceptor = make_ready(timings=SLOW)
    acceptor.device.insert(100_000)
    clock.advance(0.5)
    acceptor.device.power_cycle()  # the ESCROW answer was never read
    run(acceptor, clock, 2)
    assert recorder.of(PowerUp)[-1] == PowerUp(bill_in_acceptor=True)
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [] and acceptor.device.returned == [100_000]
