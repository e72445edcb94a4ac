"""Every simulated bill acceptor reports its faults the same way: a removed cassette stops
acceptance and is reported once, a jam or a cheat credits nothing, and a silent line becomes
one Disconnected and one Reconnected with the enabled set restored; a host that finds no
device says so. The fault codes and the
faults only one protocol has are in the test_<protocol>_driver_faults.py files."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    AcceptorError,
    AcceptorEvent,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    DeviceError,
    Disconnected,
    DuplicateStacked,
    Escrow,
    Jammed,
    Reconnected,
    Returned,
    Stacked,
)
from drivers.sim.bill.mechanics import INSTANT, SimulatorRefused
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import (
    ESSP_KEY,
    KZT,
    PROTOCOLS,
    Factory,
    Recorder,
    faults,
    run,
    run_until,
)

# How long after insertion each protocol's note is still in the acceptor, unreported.
JAM_AFTER = {"ccnet": 0.5, "id003": 0.2, "ssp": 0.1, "essp": 0.1}
# Where the note is when the cheat comes: moving to the stacker after the STACK order, or
# (SSP, whose next poll is the order to accept) still held in escrow.
CHEATED_IN = {"ccnet": "stacking", "id003": "stacking", "ssp": "escrow", "essp": "escrow"}
# The first command each host sends when it starts.
FIRST_COMMAND = {"ccnet": "POLL", "id003": "STATUS_REQUEST", "ssp": "REJECT", "essp": "REJECT"}
every_protocol = pytest.mark.parametrize("protocol", PROTOCOLS)


@every_protocol
def test_cassette_out_stops_acceptance_and_is_reported_once(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    acceptor.device.cassette_out()
    run(acceptor, clock, 1)
    assert acceptor.state == "cassette_removed"
    with pytest.raises(SimulatorRefused):
        acceptor.device.insert(100_000)
    acceptor.device.cassette_in()
    run(acceptor, clock, 1)
    assert faults(recorder) == [CassetteRemoved(), CassetteReplaced(), Cleared()]
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]


@every_protocol
def test_jam_with_a_note_in_the_acceptor_credits_nothing(
    make_ready: Factory, recorder: Recorder, clock: ManualClock, protocol: str
) -> None:
    recorder.decision = None  # the core is slow: a note in escrow would wait there
    acceptor = make_ready()
    acceptor.device.insert(100_000)
    clock.advance(JAM_AFTER[protocol])  # no poll: the jam hits before escrow is reported
    acceptor.device.jam()
    run(acceptor, clock, 1)
    acceptor.device.clear()
    run(acceptor, clock, 1)
    assert faults(recorder) == [Jammed("acceptor"), Cleared()]
    assert recorder.of(Stacked) == [] and recorder.of(Escrow) == []
    assert acceptor.device.removed == [100_000]


@every_protocol
def test_a_cheat_after_the_stack_decision_credits_nothing(
    make_ready: Factory, recorder: Recorder, clock: ManualClock, protocol: str
) -> None:
    acceptor = make_ready()
    acceptor.device.insert(1_000_000)
    run_until(acceptor, clock, lambda: bool(recorder.of(Escrow)))  # the core said STACK
    assert acceptor.device.state == CHEATED_IN[protocol]
    acceptor.device.cheat()
    run(acceptor, clock, 1)
    acceptor.device.clear()
    run(acceptor, clock, 1)
    assert recorder.of(Cheated) == [Cheated()]
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.cassette == [] and acceptor.device.rejected == [1_000_000]


@every_protocol
def test_mute_disconnects_then_reconnects_with_the_enabled_set_restored(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    acceptor.set_enabled([100_000, 500_000])
    acceptor.poll_once()
    acceptor.device.mute(1.0)
    run(acceptor, clock, 0.2)
    assert acceptor.state == "disconnected" and not acceptor.connected
    acceptor.device.power_cycle()  # the device restarted while unreachable: all settings lost
    run(acceptor, clock, 3)
    assert len(recorder.of(Disconnected)) == 1 and recorder.of(Reconnected) == [Reconnected()]
    assert recorder.events.index(recorder.of(Reconnected)[0]) > recorder.events.index(
        recorder.of(Disconnected)[0]
    )
    assert acceptor.connected
    assert acceptor.device.enabled_amounts == {100_000, 500_000}
    acceptor.device.insert(500_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(500_000, 4)]


@every_protocol
def test_a_line_silent_for_longer_than_the_reconnect_attempts_reconnects_once(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
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


@every_protocol
def test_a_note_stacked_while_the_line_was_down_is_delivered_on_reconnect(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 0.5)  # escrow decided: STACK sent
    acceptor.device.mute(2)
    run(acceptor, clock, 10)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]  # still our own STACK
    assert recorder.of(Reconnected) == [Reconnected()]
    assert acceptor.device.cassette == [100_000]


@pytest.mark.parametrize("protocol", ["ccnet", "id003"])
def test_a_stack_refused_after_the_escrow_timed_out_becomes_a_device_error_event(
    make_ready: Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_ready()

    def slow_core(event: AcceptorEvent) -> None:
        if isinstance(event, Escrow):
            clock.advance(11)  # longer than the escrow timeout: the device gives the note back

    recorder.on_event = slow_core
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    errors = recorder.of(DeviceError)
    assert len(errors) == 1 and "STACK" in str(errors[0])
    assert recorder.of(Stacked) == []
    assert recorder.of(Returned) == [Returned(100_000, 2)]
    assert acceptor.connected


def unstarted(protocol: str, clock: ManualClock | None = None, **options: Any) -> Any:
    """A simulated ``protocol`` acceptor, opened but not started."""
    if protocol == "essp":
        protocol, options["fixed_key"] = "ssp", ESSP_KEY
    return open_acceptor("sim", simulated=protocol, clock=clock, **options)


@every_protocol
def test_start_fails_with_a_clear_error_when_nothing_answers(
    clock: ManualClock, protocol: str
) -> None:
    acceptor = unstarted(protocol, clock)
    acceptor.device.mute(60)
    acceptor.set_listener(Recorder())
    with pytest.raises(
        AcceptorError, match=f"no reply to {FIRST_COMMAND[protocol]} .*Check the cable, the power"
    ):
        acceptor.start(threaded=False)
    assert not acceptor.connected


@every_protocol
def test_start_needs_a_listener(clock: ManualClock, protocol: str) -> None:
    with pytest.raises(RuntimeError, match="set_listener"):
        unstarted(protocol, clock).start(threaded=False)


@every_protocol
def test_threaded_mode_delivers_a_stacked_note(recorder: Recorder, protocol: str) -> None:
    acceptor = unstarted(protocol, poll_interval=0.01, timings=INSTANT, seed=1)
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
