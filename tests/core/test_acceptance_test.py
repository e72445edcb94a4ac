"""The technician's acceptance test on the real CCNET driver and device simulator: every
note is recognised and handed back, nothing is stacked or journaled, customers wait."""

from __future__ import annotations

import pytest

from drivers.sim.bill.ccnet import CcnetDevice
from kiosk.core import KioskCore, NotAllowed, NotAvailable
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from tests.core.helpers import pump, ready, rows


def test_every_note_is_recognised_and_returned_never_stacked(
    kiosk_on_sim: tuple[KioskCore, CcnetDevice], clock: ManualClock
) -> None:
    core, device = kiosk_on_sim
    pump(core, clock, 3)
    assert device.enabled_amounts == frozenset()  # idle: the acceptor takes nothing
    core.start_acceptance_test()
    pump(core, clock, 3)
    assert device.enabled_amounts == frozenset(n for n in device.bill_amounts if n)
    for amount in (100000, 500000):
        device.insert(amount)
        pump(core, clock, 30)
    device.insert_fake()
    pump(core, clock, 30)
    seen = core.stop_acceptance_test()
    assert seen[:2] == (Money.tenge(1000).format("en"), Money.tenge(5000).format("en"))
    assert seen[2].startswith("rejected")
    assert device.cassette == [] and len(device.returned) == 2
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(0,)]
    assert rows(core, "SELECT count(*) FROM stack_orders") == [(0,)]
    pump(core, clock, 3)
    assert device.enabled_amounts == frozenset()  # the test is over: disabled again


def test_no_customer_session_during_the_test_and_no_test_during_a_session(
    kiosk_on_sim: tuple[KioskCore, CcnetDevice], clock: ManualClock
) -> None:
    core, _ = kiosk_on_sim
    core.start_acceptance_test()
    with pytest.raises(NotAvailable):
        core.choose_service("qplus")
    core.stop_acceptance_test()
    ready(core)
    with pytest.raises(NotAllowed):
        core.start_acceptance_test()
