"""Helpers for the bill-acceptor tests: a recording listener, one factory for a started
simulated acceptor of any protocol, and inline poll loops on a manual clock."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    AcceptorEvent,
    CassetteFull,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    Decision,
    Escrow,
    Failure,
    Jammed,
    Stacked,
)
from drivers.sim.bill.backends import (
    SimulatedAcceptor,
    SimulatedCcnetAcceptor,
    SimulatedId003Acceptor,
    SimulatedSspAcceptor,
)
from kiosk.domain.clock import ManualClock

KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)
# The protocols a simulated acceptor speaks; "essp" is SSP with the key exchange done.
PROTOCOLS = ("ccnet", "id003", "ssp", "essp")
# The fixed eSSP key every "essp" acceptor and its simulated unit share.
ESSP_KEY = 0x0123456789ABCDEF

SimAcceptor = SimulatedAcceptor[Any, Any]
Factory = Callable[..., Any]  # a started acceptor of the protocol under test
SimFactory = Callable[..., SimulatedCcnetAcceptor]
Id003Factory = Callable[..., SimulatedId003Acceptor]
SspFactory = Callable[..., SimulatedSspAcceptor]
Listener = Callable[[AcceptorEvent], Decision | None]


class Recorder:
    """A listener that records every event, stacks or returns escrows, and can be told to
    fail (as a core whose database write failed would)."""

    def __init__(self, decision: Decision | None = Decision.STACK) -> None:
        self.events: list[AcceptorEvent] = []
        self.decision = decision
        self.fail_stacked = 0  # raise on the next N Stacked events
        self.on_event: Callable[[AcceptorEvent], None] | None = None
        self._changed = threading.Condition()

    def __call__(self, event: AcceptorEvent) -> Decision | None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()
        if self.on_event is not None:
            self.on_event(event)
        if isinstance(event, Stacked) and self.fail_stacked:
            self.fail_stacked -= 1
            raise RuntimeError("database is locked")
        return self.decision if isinstance(event, Escrow) else None

    def of(self, kind: type[AcceptorEvent]) -> list[AcceptorEvent]:
        return [event for event in self.events if type(event) is kind]

    def wait_for(
        self, predicate: Callable[[list[AcceptorEvent]], bool], timeout: float = 10.0
    ) -> bool:
        """Block until ``predicate(events)`` holds (for threaded drivers); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(list(self.events)), timeout)


FAULT_EVENTS = (CassetteRemoved, CassetteReplaced, CassetteFull, Jammed, Cheated, Failure, Cleared)


def faults(recorder: Recorder) -> list[AcceptorEvent]:
    """The fault reports (and their clearing) among everything ``recorder`` heard."""
    return [event for event in recorder.events if isinstance(event, FAULT_EVENTS)]


def make_acceptor(
    protocol: str,
    clock: ManualClock,
    listener: Listener,
    *,
    enabled: Iterable[int] | None = None,
    settle: float = 0.0,
    **options: Any,
) -> Any:
    """A simulated ``protocol`` acceptor started inline (unthreaded) on ``clock``: notes
    ``enabled`` before start, then polled for ``settle`` seconds. "essp" is SSP with the
    fixed key exchanged (ESSP_KEY unless ``fixed_key`` is given)."""
    if protocol == "essp":
        protocol = "ssp"
        options.setdefault("fixed_key", ESSP_KEY)
    options.setdefault("seed", 7)
    acceptor: SimAcceptor = open_acceptor("sim", simulated=protocol, clock=clock, **options)
    acceptor.set_listener(listener)
    if enabled is not None:
        acceptor.set_enabled(enabled)
    acceptor.start(threaded=False)
    run(acceptor, clock, settle)
    return acceptor


def run(acceptor: SimAcceptor, clock: ManualClock, seconds: float) -> None:
    """Poll inline for ``seconds`` of simulated time at the acceptor's poll interval."""
    for _ in range(round(seconds / acceptor.poll_interval)):
        clock.advance(acceptor.poll_interval)
        acceptor.poll_once()


def run_until(
    acceptor: SimAcceptor,
    clock: ManualClock,
    until: str | Callable[[], bool],
    limit: float = 5.0,
) -> None:
    """Poll inline until the acceptor reports the state ``until`` (or the predicate holds);
    an AssertionError after ``limit`` seconds of simulated time."""

    def reached() -> bool:
        return acceptor.state == until if isinstance(until, str) else until()

    for _ in range(round(limit / acceptor.poll_interval)):
        clock.advance(acceptor.poll_interval)
        acceptor.poll_once()
        if reached():
            return
    raise AssertionError(f"not reached within {limit} s: {until!r}; state is {acceptor.state}")
