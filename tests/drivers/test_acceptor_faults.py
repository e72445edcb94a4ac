"""Every simulated bill acceptor reports its faults the same way: a removed cassette stops
acceptance and is reported once, a jam or a cheat credits nothing, and a silent line becomes
one Disconnected and one Reconnected with the enabled set restored. The fault codes and the
faults only one protocol has are in the test_<protocol>_driver_faults.py files."""

from __future__ import annotations

import pytest

from drivers.bill.base import (
    AcceptorEvent,
    CassetteFull,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    Disconnected,
    DuplicateStacked,
    Escrow,
    Failure,
    Jammed,
    Reconnected,
    Stacked,
)
from drivers.sim.bill.mechanics import SimulatorRefused
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import PROTOCOLS, Factory, Recorder, run, run_until

FAULT_EVENTS = (CassetteRemoved, CassetteReplaced, CassetteFull, Jammed, Cheated, Failure, Cleared)
# How long after insertion each protocol's note is still in the acceptor, unreported.
JAM_AFTER = {"ccnet": 0.5, "id003": 0.2, "ssp": 0.1, "essp": 0.1}
# Where the note is when the cheat comes: moving to the stacker after the STACK order, or
# (SSP, whose next poll is the order to accept) still held in escrow.
CHEATED_IN = {"ccnet": "stacking", "id003": "stacking", "ssp": "escrow", "essp": "escrow"}
every_protocol = pytest.mark.parametrize("protocol", PROTOCOLS)


def faults(recorder: Recorder) -> list[AcceptorEvent]:
    return [event for event in recorder.events if isinstance(event, FAULT_EVENTS)]


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
