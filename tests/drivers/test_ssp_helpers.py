"""Helpers shared by the SSP driver tests: a started in-process simulated acceptor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.ssp import SimulatedSspAcceptor
from kiosk.clock import ManualClock
from tests.drivers.ccnet_helpers import Recorder

KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)
SspFactory = Callable[..., SimulatedSspAcceptor]


@pytest.fixture
def make_ssp(clock: ManualClock, recorder: Recorder) -> Iterator[SspFactory]:
    """Build a started (inline, unthreaded) simulated SSP acceptor, all notes enabled."""
    made: list[SimulatedSspAcceptor] = []

    def build(**options: Any) -> SimulatedSspAcceptor:
        options.setdefault("seed", 7)
        acceptor: SimulatedSspAcceptor = open_acceptor(
            "sim", simulated="ssp", clock=clock, **options
        )
        acceptor.set_listener(recorder)
        acceptor.set_enabled(KZT)
        acceptor.start(threaded=False)
        run(acceptor, clock, 0.5)  # past the power-up report and initialization
        made.append(acceptor)
        return acceptor

    yield build
    for acceptor in made:
        acceptor.stop()


def run(acceptor: SimulatedSspAcceptor, clock: ManualClock, seconds: float) -> None:
    """Poll inline for ``seconds`` of simulated time at the acceptor's poll interval."""
    for _ in range(round(seconds / acceptor.poll_interval)):
        clock.advance(acceptor.poll_interval)
        acceptor.poll_once()
