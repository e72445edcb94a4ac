"""The CCNET driver's own faults against the simulator: its failure codes and the cassette
jam, the inline poll cycle's cost, the names open() accepts, and a stray frame before a poll
reply. What every protocol shares is in test_acceptor_faults.py."""

from __future__ import annotations

import time

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    CassetteFull,
    Cheated,
    Cleared,
    Disconnected,
    Failure,
    Jammed,
)
from drivers.bill.ccnet.frames import encode_frame
from drivers.bill.ccnet.protocol import CcnetHost
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, SimFactory, faults, run


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
