"""The ID-003 driver's own faults against its simulator: a jam in the stacker after the stack
order, its failure codes and stacker full, the control channel, a unit a dead host left
enabled. What every protocol shares is in test_acceptor_faults.py."""

from __future__ import annotations

from drivers.bill.base import (
    CassetteFull,
    Cleared,
    DuplicateStacked,
    Failure,
    Jammed,
    Stacked,
)
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Id003Factory, Recorder, faults, run


def test_jam_in_stacker_after_stack_order_credits_the_note_pulled_out_never(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_id003()
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(200_000)
    clock.advance(0.35)
    acceptor.poll_once()  # escrow → STACK-1
    acceptor.device.jam("cassette")
    run(acceptor, clock, 1)
    assert acceptor.state == "cassette_jammed"
    acceptor.device.clear()  # the technician pulls the note out of the stacker
    run(acceptor, clock, 1)
    assert faults(recorder) == [Jammed("cassette"), Cleared()]
    assert recorder.of(Stacked) == [] and recorder.of(DuplicateStacked) == []
    assert acceptor.device.removed == [200_000]


def test_failure_and_stacker_full_are_reported(
    make_id003: Id003Factory, recorder: Recorder, clock: ManualClock
) -> None:
    acceptor = make_id003(capacity=1)
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    acceptor.device.insert(100_000)
    run(acceptor, clock, 2)
    assert acceptor.state == "cassette_full"
    acceptor.device.cassette_in()
    run(acceptor, clock, 1)
    acceptor.device.fail(0xA6)
    run(acceptor, clock, 1)
    acceptor.device.clear()
    acceptor.device.fail(0xEE)
    run(acceptor, clock, 1)
    assert faults(recorder) == [
        CassetteFull(),
        Cleared(),
        Failure(0xA6, "transport motor"),
        Failure(0xEE, "failure 0xEE (unknown)"),
    ]
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]


def test_control_channel_speaks_the_same_commands() -> None:
    from drivers.sim.bill.id003 import Id003Device

    device = Id003Device(seed=1)
    assert device.control("state") == "ok power_up"
    assert device.control("insert 1000").startswith("error:")
    assert device.control("fail").startswith("ok")
    assert device.control("ground-truth").startswith("ok {")
    assert device.control("bogus").startswith("error: unknown command")


def test_a_unit_a_dead_host_left_enabled_is_reset_and_accepts_nothing_until_asked(
    clock: ManualClock, recorder: Recorder
) -> None:
    from drivers.sim.bill.backends import simulate_id003
    from drivers.sim.bill.id003 import Id003Device

    device = Id003Device(clock=clock, seed=3)
    assert device.control("left-enabled") == "ok"
    assert device.control("state") == "ok idling"
    assert device.enabled_amounts - {0} == set(KZT)
    acceptor = simulate_id003(device, clock=clock)
    acceptor.set_listener(recorder)
    acceptor.start(threaded=False)
    try:
        run(acceptor, clock, 1)
        assert device.enabled_amounts - {0} == set()
        assert device.control("left-enabled").startswith("ok")
        device.insert(100_000)
        assert device.control("left-enabled").startswith("error: ")  # a note is in the path
    finally:
        acceptor.stop()
