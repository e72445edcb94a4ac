"""Fixtures for the CCNET driver tests: a manual clock, a recording listener, and a simulated CCNET
acceptor wired through the in-memory link."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from drivers.bill import open as open_acceptor
from drivers.sim.bill.backends import SimulatedCcnetAcceptor
from kiosk.domain.clock import ManualClock
from tests.drivers.ccnet_helpers import Recorder, SimFactory


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_sim(clock: ManualClock, recorder: Recorder) -> Iterator[SimFactory]:
    """Build a started (inline, unthreaded) simulated acceptor on the manual clock."""
    made: list[SimulatedCcnetAcceptor] = []

    def build(**options: Any) -> SimulatedCcnetAcceptor:
        options.setdefault("seed", 7)
        acceptor: SimulatedCcnetAcceptor = open_acceptor("sim", clock=clock, **options)
        acceptor.set_listener(recorder)
        acceptor.start(threaded=False)
        made.append(acceptor)
        return acceptor

    yield build
    for acceptor in made:
        acceptor.stop()
