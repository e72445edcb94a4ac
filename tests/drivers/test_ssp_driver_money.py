"""The SSP driver's own money facts against its simulator, in-process: power-up with a note
cleared into the cashbox (credited), HOLD, host restarts with a note in the path. What every
protocol shares is in test_acceptors.py."""

from __future__ import annotations

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    Decision,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Returned,
    Stacked,
)
from drivers.bill.ssp.codes import Command, Event
from drivers.bill.ssp.protocol import PollEvent, PollReply, SspHost
from drivers.bill.ssp.records import inhibit_bytes
from drivers.sim.bill.ssp import SspDevice, Timings
from drivers.transport import InMemoryLink
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, SspFactory, run

SLOW = Timings(stacking=1.0, accepting=0.3, returning=0.3, rejecting=0.3, initialize=0.3)


def test_start_reads_setup_serial_and_enables_the_wanted_channels(
    make_ssp: SspFactory, recorder: Recorder
) -> None:
    acceptor = make_ssp()
    assert acceptor.bill_table == KZT
    assert acceptor.identity is not None
    assert acceptor.identity.serial == str(acceptor.device.serial_number)
    assert acceptor.device.enabled_amounts == set(KZT)
    assert recorder.events[0] == PowerUp()
    assert acceptor.state == "idling"


def test_power_up_with_a_note_cleared_into_the_cashbox_is_credited_once(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp(timings=SLOW)
    acceptor.device.insert(100_000)
    run(acceptor, clock, 0.8)  # read, accepted, stacking
    assert acceptor.state == "stacking"
    acceptor.device.power_cycle()
    run(acceptor, clock, 1)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]  # E2 for the note we let through
    assert recorder.of(DuplicateStacked) == []
    assert recorder.of(PowerUp) == [PowerUp(), PowerUp()]
    assert acceptor.device.cassette == [100_000]
    assert acceptor.device.enabled_amounts == set(KZT)  # restored after the restart


def test_note_cleared_into_cashbox_after_a_host_restart_is_a_duplicate(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = SspDevice(clock=clock, seed=3, timings=SLOW)
    first = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    first.set_listener(recorder)
    first.set_enabled(KZT)
    first.start(threaded=False)
    run(first, clock, 0.5)
    device.insert(100_000)
    run(first, clock, 0.8)
    device.power_cycle()  # kiosk and validator lose power together
    second = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    second.set_listener(recorder)
    second.set_enabled(KZT)
    second.start(threaded=False)
    run(second, clock, 1)
    # The new process never let that note through: the core decides from its records.
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(100_000, 2, repeat=False)]
    assert recorder.of(Stacked) == []
    assert device.cassette == [100_000]
    second.stop()


def test_power_up_with_a_note_at_the_front_gives_it_back(
    make_ssp: SspFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ssp(timings=SLOW)
    acceptor.device.insert(100_000)
    clock.advance(0.1)
    acceptor.device.power_cycle()
    run(acceptor, clock, 1)
    assert Returned(100_000, 2) in recorder.events
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.returned == [100_000]


def test_hold_keeps_the_note_in_escrow_until_the_next_poll() -> None:
    clock = ManualClock()
    device = SspDevice(clock=clock, seed=1, timings=SLOW)
    link, host = InMemoryLink(device), SspHost()

    def ask(command: Command, data: bytes = b"") -> object:
        link.write(host.send(command, data))
        host.receive_data(link.read(4096))
        return host.next_event()

    ask(Command.SYNC)
    ask(Command.POLL)  # slave reset
    clock.advance(0.5)
    ask(Command.SET_INHIBITS, inhibit_bytes([3]))
    ask(Command.ENABLE)
    device.insert(100_000)
    clock.advance(0.5)
    assert ask(Command.POLL) == PollReply((PollEvent(Event.READ, 3),))
    clock.advance(8)
    ask(Command.HOLD)
    clock.advance(8)  # past the first 10 s, within the held 10 s
    ask(Command.HOLD)
    assert device.state == "holding" and device.cassette == []
    ask(Command.POLL)  # the next poll accepts it
    clock.advance(2)
    ask(Command.POLL)
    assert device.cassette == [100_000]


def test_sim_ssp_options_are_checked() -> None:
    with pytest.raises(ValueError, match="needs a port"):
        open_acceptor("ssp")
    with pytest.raises(TypeError, match="fixed_key"):
        open_acceptor("ssp", "loop://", colour="red")


def test_a_note_left_in_escrow_by_a_dead_host_is_given_back_not_accepted(
    clock: ManualClock, recorder: Recorder
) -> None:
    def dies_while_deciding(event: object) -> None:
        if isinstance(event, Escrow):
            raise SystemExit("the kiosk process died")  # not an Exception: nothing is sent

    device = SspDevice(clock=clock, seed=3)
    first = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    first.set_listener(dies_while_deciding)
    first.set_enabled(KZT)
    first.start(threaded=False)
    run(first, clock, 0.5)
    device.insert(100_000)
    with pytest.raises(SystemExit):
        run(first, clock, 1)  # "read" with its channel reached the dead host
    second = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    second.set_listener(recorder)
    second.set_enabled(KZT)
    second.start(threaded=False)
    run(second, clock, 2)
    # Nobody alive decided that note: it goes back instead of into the cassette unasked.
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert device.cassette == [] and device.returned == [100_000]
    second.stop()


@pytest.mark.parametrize("poll_with_ack", [True, False], ids=["poll-with-ack", "plain-poll"])
def test_credit_a_dead_host_never_committed_is_collected_by_the_next_one(
    clock: ManualClock, recorder: Recorder, poll_with_ack: bool
) -> None:
    def dies_before_commit(event: object) -> Decision | None:
        if isinstance(event, Stacked):
            raise SystemExit("the kiosk process died")
        return Decision.STACK if isinstance(event, Escrow) else None

    device = SspDevice(clock=clock, seed=3, poll_with_ack=poll_with_ack)
    first = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    first.set_listener(dies_before_commit)
    first.set_enabled(KZT)
    first.start(threaded=False)
    run(first, clock, 0.5)
    device.insert(200_000)
    with pytest.raises(SystemExit):
        run(first, clock, 2)
    second = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    second.set_listener(recorder)
    second.set_enabled(KZT)
    second.start(threaded=False)
    run(second, clock, 1)
    # The core credits it only against its own open STACK order of that amount. A unit
    # polled with ACK also repeats the credit it still holds: marked a repeat, never money.
    repeats = [DuplicateStacked(200_000, 3, repeat=True)] if poll_with_ack else []
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(200_000, 3, repeat=False), *repeats]
    assert recorder.of(Stacked) == []
    assert device.cassette == [200_000]
    second.stop()
