"""The ID-003 driver's own money facts against its simulator, in-process: identity and the
currency assignment, a host restart during Vend Valid. What every protocol shares is in
test_acceptors.py."""

from __future__ import annotations

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import DuplicateStacked
from drivers.sim.bill.id003 import Id003Device
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Id003Factory, Recorder, run


def test_start_reads_identity_and_currency_assignment(make_id003: Id003Factory) -> None:
    acceptor = make_id003()
    assert acceptor.bill_table == KZT
    assert acceptor.identity is not None and acceptor.identity.serial.isdigit()
    assert acceptor.state == "disabled"


def test_host_restart_during_vend_valid_is_duplicate_not_repeat(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = Id003Device(clock=clock, seed=3)
    first = open_acceptor("sim", simulated="id003", clock=clock, device=device)
    first.set_listener(recorder)
    first.start(threaded=False)
    first.set_enabled(KZT)
    first.poll_once()
    recorder.fail_stacked = 100  # the host dies before its commit: never ACKs
    device.insert(100_000)
    run(first, clock, 1)
    assert device.state == "stacked"  # holding Vend Valid for an ACK
    recorder.fail_stacked = 0
    second = open_acceptor("sim", simulated="id003", clock=clock, device=device)
    second.set_listener(recorder)
    second.start(threaded=False)
    run(second, clock, 1)
    # The new driver never ordered that STACK and Vend Valid names no denomination:
    # amount 0, bill type -1; the core decides against its own record of the STACK.
    assert recorder.of(DuplicateStacked) == [DuplicateStacked(0, -1, repeat=False)]
    assert device.cassette == [100_000]
    second.stop()


def test_sim_refuses_an_unknown_simulated_protocol() -> None:
    with pytest.raises(ValueError, match="simulated must be one of"):
        open_acceptor("sim", simulated="mdb")
    with pytest.raises(ValueError, match="needs a port"):
        open_acceptor("id003")
