"""Property test: whatever customers, technicians and the line do, the driver never reports
more money stacked than the cassette holds, never a returned note as stacked, and every note
that reached the cassette is reported (as stacked, duplicate, or power-up with a bill)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    DuplicateStacked,
    Escrow,
    PowerUp,
    Stacked,
)
from drivers.sim.bill.backends import SimulatedCcnetAcceptor
from drivers.sim.bill.ccnet import KZT_NOTES
from drivers.sim.bill.mechanics import Fault, SimulatorRefused
from kiosk.domain.clock import ManualClock


class Core:
    """A minimal listener: stacks or returns escrows, and sometimes fails to commit."""

    def __init__(self) -> None:
        self.decision = Decision.STACK
        self.failures_left = 0
        self.committed: list[int] = []  # Stacked amounts whose listener call returned
        self.duplicates: list[int] = []
        self.powerups_with_bill = 0

    def __call__(self, event: AcceptorEvent) -> Decision | None:
        if isinstance(event, Escrow):
            return self.decision
        if isinstance(event, Stacked):
            if self.failures_left:
                self.failures_left -= 1
                raise RuntimeError("disk full")
            self.committed.append(event.amount)
        elif isinstance(event, DuplicateStacked):
            self.duplicates.append(event.amount)
        elif isinstance(event, PowerUp) and event.bill_in_stacker:
            self.powerups_with_bill += 1
        return None


insert = st.tuples(st.just("insert"), st.sampled_from(KZT_NOTES))
step = st.one_of(
    insert,
    insert,
    insert,
    insert,
    st.tuples(st.just("wait"), st.integers(5, 25)),
    st.tuples(st.just("fake"), st.just(0)),
    st.tuples(st.just("noise"), st.integers(1, 5)),
    st.tuples(st.just("drop"), st.integers(1, 2)),
    st.tuples(st.just("power_cycle"), st.just(0)),
    st.tuples(st.just("jam"), st.just(0)),
    st.tuples(st.just("cheat"), st.just(0)),
    st.tuples(st.just("cassette_out"), st.just(0)),
    st.tuples(st.just("fix"), st.just(0)),
    st.tuples(st.just("fix"), st.just(0)),
    st.tuples(st.just("fix"), st.just(0)),
    st.tuples(st.just("mute"), st.integers(1, 30)),
    st.tuples(st.just("commit_fails"), st.integers(1, 2)),
    st.tuples(st.just("return_next"), st.booleans()),
    st.tuples(st.just("wait"), st.integers(1, 25)),
)


def act(acceptor: SimulatedCcnetAcceptor, core: Core, name: str, arg: int) -> None:
    device = acceptor.device
    actions: dict[str, Callable[[], object]] = {
        "insert": lambda: device.insert(arg),
        "fake": device.insert_fake,
        "noise": lambda: device.noise(arg),
        "drop": lambda: device.drop(arg),
        "power_cycle": device.power_cycle,
        "jam": device.jam,
        "cheat": device.cheat,
        "cassette_out": device.cassette_out,
        "fix": lambda: fix(acceptor),
        "mute": lambda: device.mute(arg / 10),
    }
    if name == "commit_fails":
        core.failures_left = arg
    elif name == "return_next":
        core.decision = Decision.RETURN if arg else Decision.STACK
    elif name in actions:
        try:
            actions[name]()
        except SimulatorRefused:
            pass  # the hardware cannot do that now: nothing happened


def fix(acceptor: SimulatedCcnetAcceptor) -> None:
    device = acceptor.device
    if device.fault in (Fault.CASSETTE_OUT, Fault.CASSETTE_FULL):
        device.cassette_in()
    elif device.fault is not None:
        device.clear()


def run_for(acceptor: SimulatedCcnetAcceptor, clock: ManualClock, cycles: int) -> None:
    for _ in range(cycles):
        clock.advance(0.1)
        acceptor.poll_once()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(step, st.none() | st.sampled_from(KZT_NOTES)), min_size=1, max_size=30),
    st.integers(0, 2**16),
)
def test_money_reported_matches_the_cassette(
    steps: list[tuple[tuple[str, int], int | None]], seed: int
) -> None:
    clock = ManualClock()
    core = Core()
    acceptor = open_acceptor("sim", clock=clock, seed=seed)
    acceptor.set_listener(core)
    acceptor.set_enabled(KZT_NOTES)
    acceptor.start(threaded=False)
    for (name, arg), note in steps:
        act(acceptor, core, name, arg)
        run_for(acceptor, clock, 12 if name != "wait" else arg)
        if note is not None:  # a customer tries a note after whatever just happened
            act(acceptor, core, "insert", note)
            run_for(acceptor, clock, 12)
    core.failures_left, core.decision = 0, Decision.STACK
    fix(acceptor)
    run_for(acceptor, clock, 200)  # the line recovers and every note finishes its path
    device = acceptor.device
    cassette = Counter(device.cassette)
    assert device.state in ("idling", "disabled")
    # Never more credited than stacked, and never a note that went back to the customer.
    assert not Counter(core.committed) - cassette
    # Every note in the cassette reached the core one way or another.
    reports = len(core.committed) + len(core.duplicates) + core.powerups_with_bill
    assert reports >= sum(cassette.values())
    event(f"notes in cassette: {min(sum(cassette.values()), 3)}+")
    event(
        f"duplicates or power-ups with a bill: {bool(core.duplicates or core.powerups_with_bill)}"
    )
    acceptor.stop()
