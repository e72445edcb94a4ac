"""SSP write-before-acknowledge across a dead host process and a dead line, on units
without POLL WITH ACK, whose only defence is the sequence flag (units with it:
test_ssp_poll_with_ack.py).

A credit (0xEE) whose listener never returned must reach the next driver instance exactly
once, whichever sequence flag the dead host's last POLL carried; a credit reply the line
destroyed must be asked for again, not acknowledged by the reconnect.
"""

from __future__ import annotations

import pytest

from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    DuplicateStacked,
    Escrow,
    Reconnected,
    Returned,
    Stacked,
)
from drivers.bill.ssp.codes import Event
from drivers.bill.ssp.packets import PacketReader
from drivers.sim.bill.ssp import SspDevice
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import Recorder, run
from tests.helpers.ssp import ProcessDied, dies_on_credit, dies_while_deciding, host_dies, started


def _plain_poll_unit(clock: ManualClock) -> SspDevice:
    return SspDevice(clock=clock, seed=3, poll_with_ack=False)


def _replies_carry_credit(replies: list[bytes]) -> bool:
    reader = PacketReader()
    for raw in replies:
        reader.feed(raw)
    found = False
    while (packet := reader.next_packet()) is not None:
        found |= packet.data[:2] == bytes((0xF0, Event.CREDIT))
    return found


@pytest.mark.parametrize("extra_polls", [0, 1, 2, 3])
def test_credit_whose_listener_died_reaches_the_next_host_exactly_once(
    clock: ManualClock, recorder: Recorder, extra_polls: int
) -> None:
    device = _plain_poll_unit(clock)
    first = started(device, clock, dies_on_credit)
    run(first, clock, 0.5)
    for _ in range(extra_polls):  # no time passes: only the sequence flag of the credit's
        first.poll_once()  # POLL changes between the cases
    device.insert(200_000)
    with pytest.raises(ProcessDied):
        run(first, clock, 3)
    first.close_port()  # the OS closes a dead process's port; the device stays powered
    assert device.cassette == [200_000]

    second = started(device, clock, recorder)
    run(second, clock, 3)
    second.stop()
    # Credited once, as a report this process did not order: the core matches its order.
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(200_000, 3, repeat=False)]
    assert recorder.of(Stacked) == []
    assert device.cassette == [200_000]


@pytest.mark.parametrize("extra_polls", [0, 1])
def test_credit_committed_just_before_the_host_died_is_never_a_fresh_stack(
    clock: ManualClock, recorder: Recorder, extra_polls: int
) -> None:
    device = _plain_poll_unit(clock)
    committed: list[AcceptorEvent] = []
    answer = device.receive_data

    def dies_after_commit(event: AcceptorEvent) -> Decision | None:
        if isinstance(event, Stacked):
            committed.append(event)
        return Decision.STACK if isinstance(event, Escrow) else None

    def wire(data: bytes) -> bytes:
        if committed:  # the commit returned; the process dies before the next packet
            raise ProcessDied("killed right after the commit")
        return answer(data)

    first = started(device, clock, dies_after_commit)
    run(first, clock, 0.5)
    for _ in range(extra_polls):  # the same note path, the other sequence flag
        first.poll_once()
    device.receive_data = wire  # type: ignore[method-assign]
    device.insert(200_000)
    with pytest.raises(ProcessDied):
        run(first, clock, 3)
    first.close_port()
    device.receive_data = answer  # type: ignore[method-assign]
    assert committed == [Stacked(200_000, 3)]

    second = started(device, clock, recorder)
    run(second, clock, 3)
    second.stop()
    # The repeat is at most a DuplicateStacked, which the core finds already recorded.
    assert recorder.of(Stacked) == []
    assert len(recorder.of(DuplicateStacked)) <= 1
    assert device.cassette == [200_000]


def test_credit_the_next_host_failed_to_commit_at_start_is_delivered_again(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = _plain_poll_unit(clock)
    host_dies(device, clock, dies_on_credit, 100_000)
    failures = [1]

    def database_busy_once(event: AcceptorEvent) -> Decision | None:
        recorder(event)
        if isinstance(event, DuplicateStacked) and failures:
            failures.pop()
            raise RuntimeError("database is locked")
        return None

    second = started(device, clock, database_busy_once)
    run(second, clock, 2)
    second.stop()
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(100_000, 2, repeat=False)] * 2
    assert device.cassette == [100_000]


@pytest.mark.parametrize("extra_polls", [0, 1])
def test_note_in_escrow_when_the_host_died_is_given_back_not_asked_again(
    clock: ManualClock, recorder: Recorder, extra_polls: int
) -> None:
    device = _plain_poll_unit(clock)
    first = started(device, clock, dies_while_deciding)
    run(first, clock, 0.5)
    for _ in range(extra_polls):  # the same note path, the other sequence flag
        first.poll_once()
    device.insert(100_000)
    with pytest.raises(ProcessDied):
        run(first, clock, 1)
    first.close_port()
    second = started(device, clock, recorder)
    # Given back before start() returns: the caller's recovery sees the outcome first.
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    run(second, clock, 2)
    second.stop()
    assert recorder.of(Escrow) == []  # nobody alive decided it: it is not offered again
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    assert device.cassette == [] and device.returned == [100_000]


def test_credit_reply_destroyed_on_the_line_is_collected_after_reconnecting(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = _plain_poll_unit(clock)
    answer = device.receive_data
    damaged: list[bytes] = []

    def noisy(data: bytes) -> bytes:
        reply = answer(data)
        if _replies_carry_credit([reply]) and len(damaged) <= acceptor.retries:
            damaged.append(reply)
            return reply[:-1] + bytes((reply[-1] ^ 0x01,))  # CRC broken: not understood
        return reply

    acceptor = started(device, clock, recorder)
    run(acceptor, clock, 0.5)
    device.receive_data = noisy  # type: ignore[method-assign]
    device.insert(200_000)
    run(acceptor, clock, 5)
    acceptor.stop()
    assert len(damaged) == acceptor.retries + 1  # every try of that POLL got noise
    assert recorder.of(Reconnected) == [Reconnected()]
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == []
    assert device.cassette == [200_000]
