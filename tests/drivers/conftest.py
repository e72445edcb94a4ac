"""Fixtures for the driver tests: a manual clock, a recording listener, and simulated
acceptors wired through the in-memory link, one factory per protocol and one for the
protocol under test in the parametrised suites."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import (
    KZT,
    Factory,
    Id003Factory,
    Recorder,
    SimAcceptor,
    SimFactory,
    SspFactory,
    make_acceptor,
)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _factory(
    clock: ManualClock, recorder: Recorder, protocol: str, **defaults: Any
) -> Iterator[Callable[..., Any]]:
    """Build started (inline, unthreaded) acceptors of ``protocol``; stop them afterwards."""
    made: list[SimAcceptor] = []

    def build(**options: Any) -> Any:
        acceptor = make_acceptor(protocol, clock, recorder, **{**defaults, **options})
        made.append(acceptor)
        return acceptor

    yield build
    for acceptor in made:
        acceptor.stop()


@pytest.fixture
def make_sim(clock: ManualClock, recorder: Recorder) -> Iterator[SimFactory]:
    """A started simulated CCNET acceptor, nothing enabled yet."""
    yield from _factory(clock, recorder, "ccnet")


@pytest.fixture
def make_id003(clock: ManualClock, recorder: Recorder) -> Iterator[Id003Factory]:
    """A started simulated ID-003 acceptor, nothing enabled yet."""
    yield from _factory(clock, recorder, "id003")


@pytest.fixture
def make_ssp(clock: ManualClock, recorder: Recorder) -> Iterator[SspFactory]:
    """A started simulated SSP acceptor, all notes enabled, past its power-up report."""
    yield from _factory(clock, recorder, "ssp", enabled=KZT, settle=0.5)


@pytest.fixture
def make_ready(protocol: str, clock: ManualClock, recorder: Recorder) -> Iterator[Factory]:
    """A started acceptor of the ``protocol`` under test, all notes enabled and idling."""
    yield from _factory(clock, recorder, protocol, enabled=KZT, settle=0.5)
