"""POLL WITH ACK (0x56) and EVENT ACK (0x57): a note's final event waits in the unit until the
host says it has acted on it, across a dead host process and a new eSSP key.

The unit side is the simulator's model (see drivers/sim/bill/ssp.py); the driver side is
the real driver over real packets to it.
"""

from __future__ import annotations

from typing import Any

import pytest

from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    DeviceError,
    Disconnected,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Rejected,
    Returned,
    Stacked,
)
from drivers.bill.ssp.codes import Command, Event, Generic
from drivers.bill.ssp.packets import PacketReader
from drivers.bill.ssp.protocol import OkReply, PollEvent, PollReply, RefusedReply, Reply, SspHost
from drivers.bill.ssp.records import inhibit_bytes
from drivers.sim.bill.ssp import SimulatorRefused, SspDevice, Timings
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, run
from tests.helpers.ssp import ProcessDied, dies_on_credit, dies_while_deciding, host_dies, started

KEY = 0x0123456701234567


# ----- the unit, spoken to packet by packet ---------------------------------------------
def _ask(device: SspDevice, host: SspHost, command: Command, data: bytes = b"") -> Reply:
    host.receive_data(device.receive_data(host.send(command, data)))
    reply = host.next_event()
    assert reply is not None, f"no reply to {command.name}"
    return reply


def _poll(
    device: SspDevice, host: SspHost, clock: ManualClock, command: Command = Command.POLL_WITH_ACK
) -> tuple[PollEvent, ...]:
    clock.advance(0.1)
    reply = _ask(device, host, command)
    assert isinstance(reply, PollReply), reply
    return reply.events


def _enabled_unit(clock: ManualClock, **options: Any) -> tuple[SspDevice, SspHost]:
    device = SspDevice(clock=clock, seed=5, **options)
    host = SspHost()
    assert isinstance(_ask(device, host, Command.SYNC), OkReply)
    for _ in range(10):  # past the power-up report (the unit restarts disabled)
        _poll(device, host, clock, Command.POLL)
    _ask(device, host, Command.SET_INHIBITS, inhibit_bytes(range(1, 8)))
    assert isinstance(_ask(device, host, Command.ENABLE), OkReply)
    return device, host


def _credit_reported(device: SspDevice, host: SspHost, clock: ManualClock) -> None:
    device.insert(200_000)
    for _ in range(40):
        events = _poll(device, host, clock)
        if PollEvent(Event.CREDIT, 4) in events:
            return
    raise AssertionError("the credit was never reported")


def test_unit_repeats_a_credit_to_every_poll_with_ack_and_takes_no_note_until_event_ack(
    clock: ManualClock,
) -> None:
    device, host = _enabled_unit(clock)
    _credit_reported(device, host, clock)
    for _ in range(3):
        assert _poll(device, host, clock) == (PollEvent(Event.CREDIT, 4),)
    with pytest.raises(SimulatorRefused):
        device.insert(100_000)  # no further note action while the credit waits
    assert isinstance(_ask(device, host, Command.EVENT_ACK), OkReply)
    assert PollEvent(Event.CREDIT, 4) not in _poll(device, host, clock)
    device.insert(100_000)  # taken again
    assert device.cassette == [200_000]


def test_unacknowledged_credit_survives_sync_but_not_a_power_cut(clock: ManualClock) -> None:
    device, host = _enabled_unit(clock)
    _credit_reported(device, host, clock)
    assert isinstance(_ask(device, host, Command.SYNC), OkReply)  # a new host's first word
    assert _poll(device, host, clock) == (PollEvent(Event.CREDIT, 4),)
    assert device.awaiting_event_ack
    device.power_cycle()
    assert not device.awaiting_event_ack  # kept in RAM only


def test_plain_poll_reports_an_unacknowledged_credit_once_more_then_forgets_it(
    clock: ManualClock,
) -> None:
    device, host = _enabled_unit(clock)
    _credit_reported(device, host, clock)
    assert _poll(device, host, clock, Command.POLL) == (PollEvent(Event.CREDIT, 4),)
    assert not device.awaiting_event_ack
    assert PollEvent(Event.CREDIT, 4) not in _poll(device, host, clock, Command.POLL)


def test_unit_without_poll_with_ack_answers_both_commands_unknown(clock: ManualClock) -> None:
    device, host = _enabled_unit(clock, poll_with_ack=False)
    for command in (Command.POLL_WITH_ACK, Command.EVENT_ACK):
        reply = _ask(device, host, command)
        assert isinstance(reply, RefusedReply) and reply.code == Generic.UNKNOWN_COMMAND


# ----- the driver ------------------------------------------------------------------------
class WireLog:
    """The command byte and sequence flag of every packet the host sent, in order."""

    def __init__(self, device: SspDevice) -> None:
        self.flags: list[tuple[int, bool]] = []
        self._reader = PacketReader()
        self._answer = device.receive_data
        device.receive_data = self  # type: ignore[method-assign]

    @property
    def commands(self) -> list[int]:
        return [command for command, _ in self.flags]

    def __call__(self, data: bytes) -> bytes:
        self._reader.feed(data)
        while (packet := self._reader.next_packet()) is not None:
            self.flags.append((packet.data[0], packet.sequence))
        return self._answer(data)


def _money(recorder: Recorder) -> list[AcceptorEvent]:
    """What the core may credit: Stacked and DuplicateStacked that is not a marked repeat."""
    return [
        e
        for e in recorder.events
        if isinstance(e, Stacked) or (isinstance(e, DuplicateStacked) and not e.repeat)
    ]


def test_driver_polls_with_ack_and_acknowledges_each_credit_once_after_taking_it(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = SspDevice(clock=clock, seed=3)
    wire = WireLog(device)
    acceptor = started(device, clock, recorder)
    run(acceptor, clock, 0.5)
    at_start = wire.commands.count(Command.EVENT_ACK)  # the power-up report's
    device.insert(200_000)
    run(acceptor, clock, 3)
    device.insert(50_000)
    run(acceptor, clock, 3)
    acceptor.stop()
    assert acceptor.driver.polls_with_ack is True
    assert Command.POLL not in wire.commands
    assert recorder.of(Stacked) == [Stacked(200_000, 3), Stacked(50_000, 1)]
    assert recorder.of(DuplicateStacked) == []
    assert at_start == 1
    assert wire.commands.count(Command.EVENT_ACK) - at_start == 2  # one per note
    assert device.cassette == [200_000, 50_000] and not device.awaiting_event_ack


def test_driver_on_a_unit_without_poll_with_ack_polls_plainly_from_its_first_poll(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = SspDevice(clock=clock, seed=3, poll_with_ack=False)
    wire = WireLog(device)
    acceptor = started(device, clock, recorder)
    run(acceptor, clock, 0.5)
    device.insert(100_000)
    run(acceptor, clock, 3)
    acceptor.stop()
    assert acceptor.driver.polls_with_ack is False
    assert wire.commands.count(Command.POLL_WITH_ACK) == 1  # asked once, then never again
    assert Command.EVENT_ACK not in wire.commands
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert recorder.of(DeviceError) == []
    assert device.cassette == [100_000]


def test_credit_stays_unacknowledged_while_the_listener_fails_then_is_taken_once(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = SspDevice(clock=clock, seed=3)
    wire = WireLog(device)
    failures = [1, 1]
    acks_when_taken: list[int] = []

    def database_busy_twice(event: AcceptorEvent) -> Decision | None:
        if isinstance(event, Stacked):
            if failures:
                failures.pop()
                raise RuntimeError("database is locked")
            acks_when_taken.append(wire.commands.count(Command.EVENT_ACK))
        recorder(event)
        return Decision.STACK if isinstance(event, Escrow) else None

    acceptor = started(device, clock, database_busy_twice)
    run(acceptor, clock, 0.5)
    at_start = wire.commands.count(Command.EVENT_ACK)
    device.insert(200_000)
    run(acceptor, clock, 3)
    acceptor.stop()
    assert acks_when_taken == [at_start]  # nothing acknowledged before the listener took it
    assert wire.commands.count(Command.EVENT_ACK) == at_start + 1
    assert _money(recorder) == [Stacked(200_000, 3)]
    assert device.cassette == [200_000]


@pytest.mark.parametrize("extra_polls", [0, 1, 2, 3])
def test_essp_host_killed_while_committing_a_credit_leaves_it_to_the_next_host(
    clock: ManualClock, recorder: Recorder, extra_polls: int
) -> None:
    device = SspDevice(clock=clock, seed=3, require_encryption=True, fixed_key=KEY)
    first = started(device, clock, dies_on_credit, fixed_key=KEY)
    run(first, clock, 0.5)
    for _ in range(extra_polls):  # no time passes: only the sequence flags change
        first.poll_once()
    device.insert(200_000)
    with pytest.raises(ProcessDied):
        run(first, clock, 3)
    first.close_port()
    assert device.cassette == [200_000] and device.awaiting_event_ack

    second = started(device, clock, recorder, fixed_key=KEY)  # a new session key
    run(second, clock, 2)
    second.stop()
    # Not this process's STACK: the core credits it against its open order of that amount.
    assert _money(recorder) == [DuplicateStacked(200_000, 3, repeat=False)]
    assert not device.awaiting_event_ack


def test_essp_credit_committed_just_before_the_host_died_is_at_most_a_duplicate(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = SspDevice(clock=clock, seed=3, require_encryption=True, fixed_key=KEY)
    committed: list[AcceptorEvent] = []
    answer = device.receive_data

    def dies_after_commit(event: AcceptorEvent) -> Decision | None:
        if isinstance(event, Stacked):
            committed.append(event)
        return Decision.STACK if isinstance(event, Escrow) else None

    def wire(data: bytes) -> bytes:
        if committed:  # the commit returned; the process dies before EVENT ACK goes out
            raise ProcessDied("killed right after the commit")
        return answer(data)

    first = started(device, clock, dies_after_commit, fixed_key=KEY)
    run(first, clock, 0.5)
    device.receive_data = wire  # type: ignore[method-assign]
    device.insert(200_000)
    with pytest.raises(ProcessDied):
        run(first, clock, 3)
    first.close_port()
    device.receive_data = answer  # type: ignore[method-assign]
    assert committed == [Stacked(200_000, 3)]

    second = started(device, clock, recorder, fixed_key=KEY)
    run(second, clock, 2)
    second.stop()
    # A DuplicateStacked the core finds already recorded (its order is closed).
    assert recorder.of(Stacked) == []
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(200_000, 3, repeat=False)]
    assert device.cassette == [200_000]


def test_essp_unit_without_poll_with_ack_leaves_such_a_credit_to_the_cash_count(
    clock: ManualClock, recorder: Recorder
) -> None:
    """The limit this mechanism lifts: the dead session's reply cannot be read."""
    device = SspDevice(
        clock=clock, seed=3, require_encryption=True, fixed_key=KEY, poll_with_ack=False
    )
    host_dies(device, clock, dies_on_credit, 200_000, fixed_key=KEY)
    second = started(device, clock, recorder, fixed_key=KEY)
    run(second, clock, 2)
    second.stop()
    assert _money(recorder) == []  # the open STACK order waits for the technician's count
    assert device.cassette == [200_000]


class RefusesEventAck(SspDevice):
    """Firmware that knows POLL WITH ACK but answers EVENT ACK "cannot process"."""

    def _execute(self, code: int, args: bytes) -> bytes:
        if code == Command.EVENT_ACK:
            return bytes((Generic.CANNOT_PROCESS,))
        return super()._execute(code, args)


def test_unit_refusing_event_ack_is_reported_once_and_polled_plainly_after(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = RefusesEventAck(clock=clock, seed=3)
    acceptor = started(device, clock, recorder)
    run(acceptor, clock, 0.5)
    device.insert(200_000)
    run(acceptor, clock, 3)
    device.insert(100_000)  # plain POLL: the unit takes notes again
    run(acceptor, clock, 3)
    acceptor.stop()
    assert acceptor.driver.polls_with_ack is False
    errors = [e for e in recorder.events if isinstance(e, DeviceError)]
    assert len(errors) == 1 and "EVENT ACK" in errors[0].message
    assert _money(recorder) == [Stacked(200_000, 3), Stacked(100_000, 2)]
    assert device.cassette == [200_000, 100_000]


@pytest.mark.parametrize("poll_with_ack", [True, False], ids=["poll-with-ack", "plain-poll"])
def test_every_poll_carries_the_sequence_flag_a_new_host_asks_with(
    clock: ManualClock, recorder: Recorder, poll_with_ack: bool
) -> None:
    device = SspDevice(clock=clock, seed=3, poll_with_ack=poll_with_ack)
    wire = WireLog(device)
    acceptor = started(device, clock, recorder)
    run(acceptor, clock, 0.5)
    device.insert(100_000)
    acceptor.set_enabled(KZT[:3])  # commands between polls change the flag's parity
    run(acceptor, clock, 3)
    acceptor.stop()
    poll = Command.POLL_WITH_ACK if poll_with_ack else Command.POLL
    polls = [flag for command, flag in wire.flags if command == poll]
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert len(polls) >= 20 and set(polls) == {True}


@pytest.mark.parametrize("poll_with_ack", [True, False], ids=["poll-with-ack", "plain-poll"])
def test_essp_credit_reply_destroyed_on_the_line_is_collected_after_reconnecting(
    clock: ManualClock, recorder: Recorder, poll_with_ack: bool
) -> None:
    device = SspDevice(
        clock=clock, seed=3, require_encryption=True, fixed_key=KEY, poll_with_ack=poll_with_ack
    )
    answer, poll = device.receive_data, device._poll
    credit_polls: list[bytes] = []  # the plain poll replies that carried the credit
    damaged: list[bytes] = []

    def spy_poll(*, with_ack: bool = False) -> bytes:
        reply = poll(with_ack=with_ack)
        if reply[1:2] == bytes((Event.CREDIT,)) and not damaged:
            credit_polls.append(reply)
        return reply

    def noisy(data: bytes) -> bytes:
        reply = answer(data)
        if credit_polls and len(damaged) <= acceptor.retries:
            damaged.append(reply)  # that reply and every repeat of it
            return reply[:-1] + bytes((reply[-1] ^ 0x01,))  # CRC broken: not understood
        return reply

    acceptor = started(device, clock, recorder, fixed_key=KEY)
    run(acceptor, clock, 0.5)
    device._poll = spy_poll  # type: ignore[method-assign]
    device.receive_data = noisy  # type: ignore[method-assign]
    device.insert(200_000)
    run(acceptor, clock, 5)
    acceptor.stop()
    assert len(credit_polls) == 1 and len(damaged) == acceptor.retries + 1
    assert _money(recorder) == [Stacked(200_000, 3)]
    assert recorder.of(DeviceError) == []
    assert device.cassette == [200_000]


@pytest.mark.parametrize("poll_with_ack", [True, False], ids=["poll-with-ack", "plain-poll"])
def test_essp_note_in_escrow_when_the_host_died_is_given_back_as_a_note_of_unknown_value(
    clock: ManualClock, recorder: Recorder, poll_with_ack: bool
) -> None:
    device = SspDevice(
        clock=clock, seed=3, require_encryption=True, fixed_key=KEY, poll_with_ack=poll_with_ack
    )
    host_dies(device, clock, dies_while_deciding, 100_000, seconds=1, fixed_key=KEY)
    second = started(device, clock, recorder, fixed_key=KEY)
    # Before start() returns: the core's recovery closes its one open order with it.
    assert recorder.of(Returned) == [Returned(0, -1)]
    device.insert(50_000)
    run(second, clock, 3)
    device.insert_fake()
    run(second, clock, 2)
    second.stop()
    assert recorder.of(Escrow) == [Escrow(50_000, 1)]  # the old note is never offered again
    assert recorder.of(Returned) == [Returned(0, -1)]  # nor a later rejection taken for it
    assert len(recorder.of(Rejected)) == 1
    assert device.returned == [100_000] and device.cassette == [50_000]


def test_essp_unit_that_restarts_gets_a_new_key_and_its_stacked_note_credited_once(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = SspDevice(
        clock=clock, seed=3, require_encryption=True, fixed_key=KEY, timings=Timings(stacking=1.0)
    )
    acceptor = started(device, clock, recorder, fixed_key=KEY)
    run(acceptor, clock, 0.5)
    device.insert(200_000)
    for _ in range(30):  # until the note is on its way to the cassette
        clock.advance(0.1)
        acceptor.poll_once()
        if device.state == "stacking":
            break
    device.power_cycle()  # the unit forgets the session; the note ends in the cassette
    run(acceptor, clock, 3)
    device.insert(50_000)
    run(acceptor, clock, 3)
    acceptor.stop()
    assert recorder.of(PowerUp) == [PowerUp(), PowerUp()]  # at start, and the restart
    assert recorder.of(DeviceError) == [] and recorder.of(Disconnected) == []
    assert _money(recorder) == [Stacked(200_000, 3), Stacked(50_000, 1)]
    assert device.cassette == [200_000, 50_000]
