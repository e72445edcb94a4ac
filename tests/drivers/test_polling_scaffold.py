"""The scaffold the three protocol drivers share (drivers/bill/polling.py), run against each
protocol's simulator: start refusals, losing the line, back-off, reconnecting, stop."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    AcceptorError,
    AcceptorEvent,
    Disconnected,
    Reconnected,
    Stacked,
)
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, run

PROTOCOLS = ["ccnet", "id003", "ssp"]


def _acceptor(protocol: str, clock: ManualClock) -> Any:
    return open_acceptor("sim", simulated=protocol, clock=clock, seed=5)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_start_without_a_listener_is_refused(protocol: str, clock: ManualClock) -> None:
    acceptor = _acceptor(protocol, clock)
    with pytest.raises(RuntimeError, match="set_listener"):
        acceptor.start(threaded=False)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_silent_device_fails_start_saying_what_to_check(
    protocol: str, clock: ManualClock, recorder: Recorder
) -> None:
    acceptor = _acceptor(protocol, clock)
    acceptor.set_listener(recorder)
    acceptor.device.mute(60)
    with pytest.raises(AcceptorError, match="does not work: .*Check the cable, the power"):
        acceptor.start(threaded=False)
    assert acceptor.link.closed and not acceptor.connected


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_device_silent_at_the_kiosks_start_is_started_up_when_it_answers(
    protocol: str, clock: ManualClock, recorder: Recorder
) -> None:
    # A cable out or a unit unpowered when the kiosk starts: out of service, not a crash
    # loop; the whole start-up (identity, bill table, enabled set) once it answers.
    acceptor = _acceptor(protocol, clock)
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.device.mute(4)
    acceptor.start(threaded=False, wait_for_device=True)
    assert [type(event) for event in recorder.events] == [Disconnected]
    assert acceptor.state == "disconnected" and not acceptor.connected
    assert acceptor.bill_table == () or not any(acceptor.bill_table)
    run(acceptor, clock, 10)
    assert recorder.of(Reconnected) == [Reconnected()] and len(recorder.of(Disconnected)) == 1
    assert acceptor.connected and acceptor.identity is not None
    assert acceptor.device.enabled_amounts == set(KZT)
    acceptor.device.insert(100_000)
    run(acceptor, clock, 3)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    acceptor.stop()


def test_a_device_that_answers_wrongly_at_start_still_fails_start(
    clock: ManualClock, recorder: Recorder
) -> None:
    # A unit that requires eSSP, asked in plain SSP, is the installer's to fix: no waiting.
    from drivers.sim.bill.ssp import SspDevice

    device = SspDevice(clock=clock, seed=2, require_encryption=True, fixed_key=0x0123)
    acceptor = open_acceptor("sim", simulated="ssp", clock=clock, device=device)
    acceptor.set_listener(recorder)
    with pytest.raises(AcceptorError, match="requires eSSP"):
        acceptor.start(threaded=False, wait_for_device=True)
    assert recorder.events == []


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_lost_device_is_retried_with_doubling_back_off_then_restored(
    protocol: str, clock: ManualClock, recorder: Recorder
) -> None:
    acceptor = _acceptor(protocol, clock)
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=False)
    run(acceptor, clock, 1)
    seen_at: dict[type[AcceptorEvent], float] = {}

    def note_time(event: AcceptorEvent) -> None:
        seen_at.setdefault(type(event), clock.monotonic())

    recorder.on_event = note_time
    acceptor.device.mute(5)
    run(acceptor, clock, 12)
    assert len(recorder.of(Disconnected)) == 1 and recorder.of(Reconnected) == [Reconnected()]
    # Tries 0.5, 1.5 and 3.5 s after the loss fail; the one at 7.5 s finds the device (a
    # fixed 0.5 s back-off would have found it at 5 s). Bringing it up takes a moment more.
    assert 7.5 <= seen_at[Reconnected] - seen_at[Disconnected] < 9
    assert acceptor.connected and acceptor.state != "disconnected"
    assert acceptor.device.enabled_amounts == set(KZT)  # the enabled set is restored
    acceptor.device.insert(100_000)
    run(acceptor, clock, 3)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    acceptor.stop()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_driver_is_disconnected_while_the_device_is_silent(
    protocol: str, clock: ManualClock, recorder: Recorder
) -> None:
    acceptor = _acceptor(protocol, clock)
    acceptor.set_listener(recorder)
    acceptor.start(threaded=False)
    acceptor.device.mute(3)
    run(acceptor, clock, 0.2)
    assert not acceptor.connected and acceptor.state == "disconnected"
    acceptor.stop()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_stop_disables_the_device_and_releases_the_port(
    protocol: str, clock: ManualClock, recorder: Recorder
) -> None:
    acceptor = _acceptor(protocol, clock)
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=False)
    run(acceptor, clock, 1)
    assert acceptor.device.enabled_amounts == set(KZT)
    acceptor.stop()
    assert acceptor.device.enabled_amounts == set()
    assert acceptor.link.closed and not acceptor.connected
