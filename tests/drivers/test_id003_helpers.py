"""Helpers shared by the ID-003 driver tests: a started in-process simulated acceptor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.bill import open as open_acceptor
from drivers.sim.bill.backends import SimulatedId003Acceptor
from kiosk.domain.clock import ManualClock
from tests.drivers.ccnet_helpers import Recorder

KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)
Id003Factory = Callable[..., SimulatedId003Acceptor]


@pytest.fixture
def make_id003(clock: ManualClock, recorder: Recorder) -> Iterator[Id003Factory]:
    """Build a started (inline, unthreaded) simulated ID-003 acceptor on the manual clock."""
    made: list[SimulatedId003Acceptor] = []

    def build(**options: Any) -> SimulatedId003Acceptor:
        options.setdefault("seed", 7)
        acceptor: SimulatedId003Acceptor = open_acceptor(
            "sim", simulated="id003", clock=clock, **options
        )
        acceptor.set_listener(recorder)
        acceptor.start(threaded=False)
        made.append(acceptor)
        return acceptor

    yield build
    for acceptor in made:
        acceptor.stop()


def run(acceptor: SimulatedId003Acceptor, clock: ManualClock, seconds: float) -> None:
    """Poll inline for ``seconds`` of simulated time at the acceptor's poll interval."""
    for _ in range(round(seconds / acceptor.poll_interval)):
        clock.advance(acceptor.poll_interval)
        acceptor.poll_once()


def run_until(
    acceptor: SimulatedId003Acceptor, clock: ManualClock, state: str, limit: float = 5.0
) -> None:
    """Poll inline until the device reports ``state`` (fails after ``limit`` seconds)."""
    for _ in range(round(limit / acceptor.poll_interval)):
        clock.advance(acceptor.poll_interval)
        acceptor.poll_once()
        if acceptor.state == state:
            return
    raise AssertionError(f"the acceptor never reached {state}; it is {acceptor.state}")
