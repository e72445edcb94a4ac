"""The CCNET driver's own faults against the simulator: its failure codes, a line silent for
longer than the reconnect attempts, a note stacked while the line was down, refusals turned
into DeviceError, and a stray frame. What every protocol shares is in test_acceptor_faults.py."""

from __future__ import annotations

import time

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    AcceptorError,
    AcceptorEvent,
    CassetteFull,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    DeviceError,
    Disconnected,
    Escrow,
    Failure,
    Jammed,
    Reconnected,
    Returned,
    Stacked,
)
from drivers.bill.ccnet.frames import encode_frame
from drivers.bill.ccnet.protocol import CcnetHost
from drivers.sim.bill.ccnet import INSTANT
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, SimFactory, run

FAULT_EVENTS = (CassetteRemoved, CassetteReplaced, CassetteFull, Jammed, Cheated, Failure, Cleared)


def faults(recorder: Recorder) -> list[AcceptorEvent]:
    return [event for event in recorder.events if isinstance(event, FAULT_EVENTS)]


def test_cassette_full_cheat_and_unknown_failure_are_reported(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    for inject, fix in (
        (acceptor.device.cassette_full, acceptor.device.cassette_in),
        (acceptor.device.cheat, acceptor.device.clear),
        (lambda: acceptor.device.fail(0x5A), acceptor.device.clear),
        (lambda: acceptor.device.jam("cassette"), acceptor.device.clear),
    ):
        inject()
        run(acceptor, clock, 0.5)
        fix()
        run(acceptor, clock, 0.5)
    assert faults(recorder) == [
        CassetteFull(),
        Cleared(),
        Cheated(),
        Cleared(),
        Failure(0x5A, "failure 0x5A (unknown)"),
        Cleared(),
        Jammed("cassette"),
        Cleared(),
    ]


def test_a_muted_device_is_disconnected_then_reconnected_with_its_enabled_set(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled([100_000, 200_000])
    acceptor.poll_once()
    acceptor.device.mute(5)
    acceptor.poll_once()
    assert isinstance(recorder.events[-1], Disconnected)
    assert not acceptor.connected and acceptor.state == "disconnected"
    run(acceptor, clock, 3)  # reconnect attempts fail while the line is silent
    assert recorder.of(Reconnected) == []
    run(acceptor, clock, 20)
    assert recorder.of(Reconnected) == [Reconnected()]
    assert len(recorder.of(Disconnected)) == 1
    assert acceptor.connected
    assert acceptor.device.enabled_amounts == {100_000, 200_000}


def test_a_note_stacked_while_the_line_was_down_is_delivered_on_reconnect(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 0.5)  # escrow decided: STACK sent
    acceptor.device.mute(2)
    run(acceptor, clock, 10)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]  # still our own STACK
    assert recorder.of(Reconnected) == [Reconnected()]
    assert acceptor.device.cassette == [100_000]


def test_an_illegal_command_reply_becomes_a_device_error_event(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()

    def slow_core(event: AcceptorEvent) -> None:
        if isinstance(event, Escrow):
            clock.advance(11)  # longer than the escrow timeout: the device gives the note back

    recorder.on_event = slow_core
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    errors = recorder.of(DeviceError)
    assert len(errors) == 1 and "STACK" in str(errors[0])
    assert recorder.of(Stacked) == []
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    assert acceptor.connected


def test_start_fails_with_a_clear_error_when_nothing_answers(clock: ManualClock) -> None:
    acceptor = open_acceptor("sim", clock=clock)
    acceptor.device.mute(60)
    acceptor.set_listener(Recorder())
    with pytest.raises(AcceptorError, match="no reply to POLL"):
        acceptor.start(threaded=False)
    assert not acceptor.connected


def test_start_needs_a_listener(clock: ManualClock) -> None:
    with pytest.raises(RuntimeError, match="set_listener"):
        open_acceptor("sim", clock=clock).start(threaded=False)


def test_inline_poll_cycle_with_the_simulator_is_well_under_a_millisecond(
    make_sim: SimFactory,
) -> None:
    acceptor = make_sim()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    cycles = 2000
    started = time.perf_counter()
    for _ in range(cycles):
        acceptor.poll_once()
    per_cycle = (time.perf_counter() - started) / cycles
    assert per_cycle < 0.0005


def test_threaded_mode_delivers_a_stacked_note(recorder: Recorder) -> None:
    acceptor = open_acceptor("sim", poll_interval=0.01, timings=INSTANT, seed=1)
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)  # applied by start() itself
    acceptor.start(threaded=True)
    try:
        assert acceptor.device.state == "idling"
        acceptor.device.insert(500_000)
        assert recorder.wait_for(lambda events: Stacked(500_000, 4) in events)
    finally:
        acceptor.stop()
    assert acceptor.device.cassette == [500_000]
    assert acceptor.device.enabled_amounts == frozenset()  # stop() disables the device


def test_open_names_the_accepted_protocols() -> None:
    with pytest.raises(ValueError, match="ccnet, sim"):
        open_acceptor("id004", "/dev/ttyS0")
    with pytest.raises(ValueError, match="needs a port"):
        open_acceptor("ccnet")
    with pytest.raises(TypeError, match="sim options"):
        open_acceptor("sim", colour="red")


def test_a_stray_frame_before_a_poll_reply_does_not_disconnect(
    make_sim: SimFactory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_sim()
    device = acceptor.device
    real_receive = device.receive_data
    stray = [encode_frame(b"\x00")]  # a late ACK from an earlier exchange
    poll = CcnetHost().poll()

    def late_ack_first(data: bytes) -> bytes:
        reply = real_receive(data)
        return (stray.pop() if stray and data == poll else b"") + reply

    acceptor.link.device = type("Late", (), {"receive_data": staticmethod(late_ack_first)})()
    acceptor.set_enabled(KZT)
    run(acceptor, clock, 0.5)
    assert acceptor.connected and not stray
    assert recorder.of(Disconnected) == []
    assert device.enabled_amounts == set(KZT)
