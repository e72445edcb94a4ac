"""The CCNET driver's own money facts against the simulator: the bill table with its empty
channel, the escrow mask, two damaged frames a cycle within three retries, and what a
restarted host finds. What every protocol shares is in test_acceptors.py."""

from __future__ import annotations

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    DeviceError,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Returned,
    Stacked,
)
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, SimFactory, run


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
