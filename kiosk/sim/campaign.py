"""Faults on a seeded schedule for a simulated kiosk day.

Device faults act on the byte-level simulator in the middle of a note (the driver and core
see only what the wire says); network faults switch the loopback fault proxy between the
kiosk and the ledger; a crash ends the kiosk process at a random step boundary of the money
path: the stack unwinds like a kill (uncommitted transactions roll back), nothing of the old
process is used again, and a new one starts on the same database and the same, still
powered, device. A technician clears device faults after the customer.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field
from typing import Any

from kiosk.crashpoints import CrashPoint


class FaultKind(enum.StrEnum):
    JAM = "jam"
    CASSETTE_OUT = "cassette_out"
    CASSETTE_FULL = "cassette_full"
    CHEAT = "cheat"
    LINE_NOISE = "line_noise"
    POWER_CYCLE = "power_cycle"
    UNPLUG = "unplug"
    CRASH = "crash"
    NETWORK_DOWN = "network_down"
    NETWORK_FLAPPING = "network_flapping"
    LEDGER_ERRORS = "ledger_errors"
    LEDGER_SLOW = "ledger_slow"
    ANSWER_LOST = "answer_lost"
    LEDGER_GARBAGE = "ledger_garbage"
    PAPER_OUT = "paper_out"  # the roll is empty when the customer comes
    PAPER_ENDS = "paper_ends"  # the roll ends while the customer feeds notes
    PAPER_NEAR_END = "paper_near_end"  # the kiosk keeps printing and reports it
    COVER_OPEN = "cover_open"  # the printer's cover opens in the middle of a receipt


DEVICE_FAULTS = frozenset(
    {
        FaultKind.JAM,
        FaultKind.CASSETTE_OUT,
        FaultKind.CASSETTE_FULL,
        FaultKind.CHEAT,
        FaultKind.LINE_NOISE,
        FaultKind.POWER_CYCLE,
        FaultKind.UNPLUG,
    }
)
NETWORK_FAULTS = frozenset(
    {
        FaultKind.NETWORK_DOWN,
        FaultKind.NETWORK_FLAPPING,
        FaultKind.LEDGER_ERRORS,
        FaultKind.LEDGER_SLOW,
        FaultKind.ANSWER_LOST,
        FaultKind.LEDGER_GARBAGE,
    }
)
PRINTER_FAULTS = frozenset(
    {FaultKind.PAPER_OUT, FaultKind.PAPER_ENDS, FaultKind.PAPER_NEAR_END, FaultKind.COVER_OPEN}
)
# Proxy mode while the fault lasts (flapping alternates down and pass).
PROXY_MODE = {
    FaultKind.NETWORK_DOWN: "down",
    FaultKind.LEDGER_ERRORS: "error",
    FaultKind.LEDGER_SLOW: "slow",
    FaultKind.ANSWER_LOST: "lose_answer",
    FaultKind.LEDGER_GARBAGE: "garbage",
}
# Bytes into the next receipt job at which the printer's cover opens (a receipt is ~1 KB).
COVER_OPENS_AFTER_BYTES = 400
# Faults that hit a note on its way; the others strike between customers' steps.
MID_NOTE = frozenset(
    {
        FaultKind.JAM,
        FaultKind.CHEAT,
        FaultKind.POWER_CYCLE,
        FaultKind.CASSETTE_OUT,
        FaultKind.LINE_NOISE,
        FaultKind.UNPLUG,
    }
)
# Where a crash or a SIGKILL campaign can end the kiosk: every point the core announces
# (tests/e2e/test_crash_points.py checks the core fires exactly these).
CRASH_POINTS: tuple[CrashPoint, ...] = tuple(CrashPoint)


def parse_faults(text: str, *, ledger: bool) -> frozenset[FaultKind]:
    """``all``, ``none``, or a comma-separated list of fault kinds."""
    if text == "none":
        return frozenset()
    if text == "all":
        kinds = set(FaultKind)
    else:
        kinds = set()
        for name in (part.strip() for part in text.split(",")):
            try:
                kinds.add(FaultKind(name))
            except ValueError:
                known = ", ".join(k.value for k in FaultKind)
                raise ValueError(f"unknown fault {name!r}; known: all, none, {known}") from None
    if not ledger:
        if text != "all" and kinds & NETWORK_FAULTS:
            raise ValueError("network faults need --ledger")
        kinds -= NETWORK_FAULTS
    return frozenset(kinds)


class SimulatedCrash(BaseException):
    """The kiosk process dies here. BaseException: no ``except Exception`` may survive it."""

    def __init__(self, point: CrashPoint) -> None:
        super().__init__(point)
        self.point = point


@dataclass
class CrashTrigger:
    """The hook the kiosk calls at each step boundary; armed, it kills at the n-th one."""

    armed_point: CrashPoint | None = None
    seen: int = 0
    crashes: list[CrashPoint] = field(default_factory=list)

    def arm(self, point: CrashPoint) -> None:
        self.armed_point, self.seen = point, 0

    def __call__(self, point: CrashPoint) -> None:
        if point == self.armed_point:
            self.armed_point = None
            self.crashes.append(CrashPoint(point))
            raise SimulatedCrash(CrashPoint(point))


@dataclass
class FaultSchedule:
    """Which faults strike which customer: every kind at least once early in the day (so a
    short run covers them all), then at random with probability ``rate``."""

    kinds: frozenset[FaultKind]
    rng: random.Random
    rate: float = 0.08
    first_customer: int = 3
    counts: dict[str, int] = field(default_factory=dict)
    _queue: list[FaultKind] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue = sorted(self.kinds, key=lambda k: k.value)
        self.rng.shuffle(self._queue)

    def for_customer(self, number: int) -> FaultKind | None:
        kind: FaultKind | None = None
        if (
            number >= self.first_customer
            and (number - self.first_customer) % 2 == 0
            and self._queue
        ):
            kind = self._queue.pop()
        elif number >= self.first_customer and self.kinds and self.rng.random() < self.rate:
            kind = self.rng.choice(sorted(self.kinds, key=lambda k: k.value))
        if kind is not None:
            self.counts[kind.value] = self.counts.get(kind.value, 0) + 1
        return kind


_DEVICE_ACTIONS = {
    FaultKind.JAM: ("jam", "the note jammed"),
    FaultKind.CHEAT: ("cheat", "someone pulled the note back on a string"),
    FaultKind.POWER_CYCLE: ("power_cycle", "the acceptor lost power"),
    FaultKind.CASSETTE_OUT: ("cassette_out", "the cassette was pulled out"),
    FaultKind.CASSETTE_FULL: ("cassette_full", "the cassette is full"),
}


def strike_device(kind: FaultKind, device: Any, rng: random.Random) -> str:
    """Do the fault to the simulated device; returns what happened, in words."""
    if kind is FaultKind.LINE_NOISE:
        frames = rng.randint(1, 4)
        device.noise(frames)
        return f"line noise corrupted {frames} frames"
    if kind is FaultKind.UNPLUG:
        seconds = rng.uniform(2, 8)
        device.mute(seconds)
        return f"the acceptor cable was out for {seconds:.0f} s"
    method, words = _DEVICE_ACTIONS[kind]
    getattr(device, method)()
    return words
