"""Helpers shared by the CCNET driver tests: a recording listener and an inline poll loop."""

from __future__ import annotations

import threading
from collections.abc import Callable

from drivers.bill.base import AcceptorEvent, Decision, Escrow, Stacked
from drivers.sim.bill.backends import SimulatedCcnetAcceptor
from kiosk.domain.clock import ManualClock

SimFactory = Callable[..., SimulatedCcnetAcceptor]


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


def run(acceptor: SimulatedCcnetAcceptor, clock: ManualClock, seconds: float) -> None:
    """Poll inline for ``seconds`` of simulated time at the acceptor's poll interval."""
    steps = round(seconds / acceptor.poll_interval)
    for _ in range(steps):
        clock.advance(acceptor.poll_interval)
        acceptor.poll_once()
