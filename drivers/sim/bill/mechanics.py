"""The simulated validator's mechanics: the note path, faults and where each note went.

A state machine driven by an injected clock, evaluated whenever the device is touched (so it
needs no thread): power up → initialize → idling/disabled → accepting → escrow (held until
STACK/RETURN/HOLD or the escrow timeout) → stacking → stacked (until the host ACKs) → idling,
with returning/returned and rejecting branches and faults that pause the path.

It knows no protocol: it reports a neutral ``Condition`` (with the note's type, why a note is
rejected, which part failed), and each protocol's simulated device (ccnet.py, id003.py,
ssp.py) has one of these and maps the conditions to its own status codes.

The ground truth of where each note went is kept in ``cassette``, ``returned``, ``rejected``
(given back by the device, or pulled back by a cheat) and ``removed`` (pulled out of a jam by a
technician). ``cassette`` is cumulative: taking the cassette out and back in does not empty it.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from drivers.transport import Clock, SystemClock

KZT_NOTES = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)  # tiyn
# Note types in the enable and escrow masks: the widest bill table of the three protocols.
NOTE_TYPES = 24


class SimulatorRefused(ValueError):
    """The simulated hardware cannot do that now (e.g. insert while a note is in escrow)."""


@dataclass(frozen=True, slots=True)
class Timings:
    """How long each mechanical phase lasts, in seconds of the injected clock."""

    initialize: float = 0.3
    accepting: float = 0.3
    stacking: float = 0.3
    returning: float = 0.3
    rejecting: float = 0.3
    escrow_timeout: float = 10.0


INSTANT = Timings(0.0, 0.0, 0.0, 0.0, 0.0, 10.0)


class Phase(enum.Enum):
    POWER_UP = "power_up"
    INITIALIZE = "initialize"
    IDLE = "idle"
    ACCEPTING = "accepting"
    ESCROW = "escrow"
    HOLDING = "holding"
    STACKING = "stacking"
    STACKED = "stacked"
    RETURNING = "returning"
    RETURNED = "returned"
    REJECTING = "rejecting"


class Fault(enum.Enum):
    """A fault that pauses the note path; the value is its condition's short name."""

    CASSETTE_FULL = "cassette_full"
    CASSETTE_OUT = "cassette_removed"
    JAMMED = "jammed"
    CASSETTE_JAMMED = "cassette_jammed"
    CHEATED = "cheated"
    FAILURE = "failure"


class Rejection(enum.Enum):
    """Why the device gives a note back on its own."""

    UNRECOGNISED = "unrecognised"  # not a note it knows (a forgery)
    INHIBITED = "inhibited"  # a denomination the host has not enabled


class Failure(enum.Enum):
    """A hardware failure by the part that failed; each protocol has its own code for it."""

    STACK_MOTOR = "stack-motor"
    TRANSPORT_MOTOR_SPEED = "transport-motor-speed"
    TRANSPORT_MOTOR = "transport-motor"


# A failure by name, or a code of the simulated device's own protocol (reported as given).
FailureCode = Failure | int


class Condition(enum.Enum):
    """What the device reports now, whatever its protocol; the value is the short name that
    ``state`` and the control channel show."""

    POWER_UP = "power_up"
    POWER_UP_NOTE_IN_ACCEPTOR = "power_up_bill_in_validator"
    POWER_UP_NOTE_IN_STACKER = "power_up_bill_in_stacker"
    INITIALIZE = "initialize"
    IDLE = "idling"
    DISABLED = "disabled"
    ACCEPTING = "accepting"
    ESCROW = "escrow"
    HOLDING = "holding"
    STACKING = "stacking"
    STACKED = "stacked"
    RETURNING = "returning"
    RETURNED = "returned"
    REJECTING = "rejecting"
    CASSETTE_FULL = "cassette_full"
    CASSETTE_OUT = "cassette_removed"
    JAMMED = "jammed"
    CASSETTE_JAMMED = "cassette_jammed"
    CHEATED = "cheated"
    FAILURE = "failure"


@dataclass(frozen=True, slots=True)
class Report:
    """The device's condition with what goes with it: the type of the note in escrow,
    stacked or returned; why a note is rejected; which part failed."""

    condition: Condition
    note_type: int = 0
    rejection: Rejection | None = None
    failure: FailureCode | None = None


# The condition of each phase with a note in it (idle, power-up and faults are decided apart).
_PHASE_CONDITIONS = {
    Phase.INITIALIZE: Condition.INITIALIZE,
    Phase.ACCEPTING: Condition.ACCEPTING,
    Phase.ESCROW: Condition.ESCROW,
    Phase.HOLDING: Condition.HOLDING,
    Phase.STACKING: Condition.STACKING,
    Phase.STACKED: Condition.STACKED,
    Phase.RETURNING: Condition.RETURNING,
    Phase.RETURNED: Condition.RETURNED,
    Phase.REJECTING: Condition.REJECTING,
}


# Phases in which a note is physically between the slot and the cassette.
_NOTE_MOVING = frozenset(
    {
        Phase.ACCEPTING,
        Phase.ESCROW,
        Phase.HOLDING,
        Phase.STACKING,
        Phase.RETURNING,
        Phase.REJECTING,
    }
)
_CASSETTE_FAULTS = frozenset({Fault.CASSETTE_OUT, Fault.CASSETTE_FULL})


@dataclass(slots=True)
class Note:
    """The note in the path: its amount (tiyn), its type (None: not a note the device
    knows) and, once decided, why it is rejected."""

    amount: int
    bill_type: int | None
    rejection: Rejection | None = None


class ValidatorMechanics:
    """The physical validator behind the wire. Thread-safe (one re-entrant lock)."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),
        capacity: int | None = None,
    ) -> None:
        if len(notes) > NOTE_TYPES:
            raise ValueError(f"the simulated validator knows at most {NOTE_TYPES} note types")
        self.clock: Clock = clock or SystemClock()
        self.lock = threading.RLock()
        self.timings = timings
        self.capacity = capacity
        self.bill_amounts = tuple(notes) + (0,) * (NOTE_TYPES - len(notes))
        # Ground truth: where every note physically went (amounts in tiyn).
        self.cassette: list[int] = []
        self.returned: list[int] = []
        self.rejected: list[int] = []
        self.removed: list[int] = []
        self.enable_mask = 0
        self.escrow_mask = 0
        self.phase = Phase.POWER_UP
        self._power_up = Condition.POWER_UP
        self.note: Note | None = None
        self._until: float | None = None
        self.fault: Fault | None = None
        self.failure: FailureCode = Failure.STACK_MOTOR
        self._paused_for: float | None = None
        self._in_cassette_since_emptied = 0
        self._phase_polled = False

    # ----- the note path ---------------------------------------------------------------
    def _enter(self, phase: Phase, until: float | None) -> None:
        self.phase, self._until = phase, until
        self._phase_polled = False

    def idle_as_left(self) -> None:
        """The shared part of ``left_enabled``: a unit at rest goes idle (each protocol's
        simulator then sets what its previous host had enabled). Call with the lock held."""
        self.advance()
        settled = self.phase in (Phase.POWER_UP, Phase.INITIALIZE, Phase.IDLE)
        if self.fault is not None or self.note is not None or not settled:
            raise SimulatorRefused(f"the unit is busy ({self.state})")
        self._enter(Phase.IDLE, None)

    def polled(self) -> None:
        """A POLL has reported the current phase."""
        self._phase_polled = True

    def advance(self) -> None:
        now = self.clock.monotonic()
        while self.fault is None and self._until is not None and now >= self._until:
            if self.phase is Phase.REJECTING and not self._phase_polled:
                break  # a rejection is reported at least once, however short it is
            self._finish_phase(self._until)

    def _finish_phase(self, at: float) -> None:
        note, timings = self.note, self.timings
        if self.phase is Phase.INITIALIZE:
            self._enter(Phase.IDLE, None)
        elif self.phase is Phase.ACCEPTING and note is not None:
            self._after_accepting(note, at)
        elif self.phase in (Phase.ESCROW, Phase.HOLDING):
            self._enter(Phase.RETURNING, at + timings.returning)
        elif self.phase is Phase.STACKING and note is not None:
            self.cassette.append(note.amount)
            self._in_cassette_since_emptied += 1
            self._enter(Phase.STACKED, None)
        elif self.phase is Phase.RETURNING and note is not None:
            self.returned.append(note.amount)
            self._enter(Phase.RETURNED, None)
        elif self.phase is Phase.REJECTING and note is not None:
            self.rejected.append(note.amount)
            self.note = None
            self._enter(Phase.IDLE, None)
        else:
            self._enter(self.phase, None)

    def _after_accepting(self, note: Note, at: float) -> None:
        if note.bill_type is None:
            note.rejection = note.rejection or Rejection.UNRECOGNISED
        elif not self.enable_mask >> note.bill_type & 1:
            note.rejection = Rejection.INHIBITED  # that denomination is not enabled
        if note.rejection is not None:
            self._enter(Phase.REJECTING, at + self.timings.rejecting)
        elif self.escrow_mask >> (note.bill_type or 0) & 1:
            self._enter(Phase.ESCROW, at + self.timings.escrow_timeout)
        else:
            self._enter(Phase.STACKING, at + self.timings.stacking)

    def report(self) -> Report:
        """What the device reports now (a power-up report comes before any fault it found).
        Call with the lock held, after ``advance``."""
        if self.fault is not None and self.phase is not Phase.POWER_UP:
            failure = self.failure if self.fault is Fault.FAILURE else None
            return Report(Condition(self.fault.value), failure=failure)
        if self.phase is Phase.POWER_UP:
            return Report(self._power_up)
        if self.phase is Phase.IDLE:
            return Report(Condition.IDLE if self.enable_mask else Condition.DISABLED)
        note = self.note
        note_type = note.bill_type if note is not None and note.bill_type is not None else 0
        rejection = note.rejection if note is not None else None
        condition = _PHASE_CONDITIONS[self.phase]
        return Report(condition, note_type, rejection if condition is Condition.REJECTING else None)

    def found_at_power_up(self) -> Condition:
        """What the last power-up found in the note path (a POWER_UP condition)."""
        return self._power_up

    def order(self, command: str) -> bool:
        """The host's ``stack``, ``return`` or ``hold`` for the note in escrow; False when it
        makes no sense now (the device answers "illegal command")."""
        if self.fault is not None:
            return False
        holding = self.phase in (Phase.ESCROW, Phase.HOLDING)
        now = self.clock.monotonic()
        if command == "stack":
            if holding:
                self._enter(Phase.STACKING, now + self.timings.stacking)
                return True
            return self.phase in (Phase.STACKING, Phase.STACKED)  # a repeated STACK is harmless
        if command == "return":
            if holding:
                self._enter(Phase.RETURNING, now + self.timings.returning)
                return True
            return self.phase in (Phase.RETURNING, Phase.RETURNED)
        if command == "hold" and holding:
            self._enter(Phase.HOLDING, now + self.timings.escrow_timeout)
            return True
        return False

    def acknowledged(self) -> None:
        """The host ACKed a stacked or returned report: the device moves on."""
        if self.phase in (Phase.STACKED, Phase.RETURNED):
            self.note = None
            self._enter(Phase.IDLE, None)
            if self.capacity is not None and self._in_cassette_since_emptied >= self.capacity:
                self._start_fault(Fault.CASSETTE_FULL)

    def power_down(self) -> None:
        """Power lost (or a host RESET): settle the note in the path the way hardware would."""
        found = Condition.POWER_UP
        note = self.note
        if self.phase is Phase.POWER_UP:
            found = self._power_up  # a second cycle keeps what the first one found
        elif self.phase is Phase.STACKING and note is not None:
            self.cassette.append(note.amount)  # the stacker finishes pushing it in
            self._in_cassette_since_emptied += 1
            found = Condition.POWER_UP_NOTE_IN_STACKER
        elif self.phase is Phase.STACKED:
            found = Condition.POWER_UP_NOTE_IN_STACKER  # stacked but never acknowledged
        elif self.phase in _NOTE_MOVING:
            found = Condition.POWER_UP_NOTE_IN_ACCEPTOR
        if found is not Condition.POWER_UP_NOTE_IN_ACCEPTOR:
            self.note = None
        self._power_up = found
        self._enter(Phase.POWER_UP, None)
        self.enable_mask = self.escrow_mask = 0
        self._paused_for = None

    def host_reset(self) -> None:
        """The host's RESET: like a power cycle for a note in the path, else initialize."""
        if self.phase is not Phase.POWER_UP and (self.phase in _NOTE_MOVING or self.note):
            self.power_down()  # a RESET never makes a note in the path vanish unreported
            return
        note = self.note
        if note is not None:  # power-up with a bill in the validator: it is given back
            (self.rejected if note.rejection else self.returned).append(note.amount)
            self.note = None
        self.enable_mask = self.escrow_mask = 0
        self._enter(Phase.INITIALIZE, self.clock.monotonic() + self.timings.initialize)

    def _start_fault(self, fault: Fault, failure: FailureCode = Failure.STACK_MOTOR) -> None:
        if self._until is not None:
            self._paused_for = max(0.0, self._until - self.clock.monotonic())
            self._until = None
        self.fault, self.failure = fault, failure

    def _end_fault(self) -> None:
        self.fault, self.failure = None, Failure.STACK_MOTOR
        if self._paused_for is not None:
            self._until = self.clock.monotonic() + self._paused_for
            self._paused_for = None

    # ----- what a customer or technician does (the control API) ------------------------
    @property
    def state(self) -> str:
        """The state a POLL would report now, as a short name."""
        with self.lock:
            self.advance()
            return self.report().condition.value

    @property
    def enabled_amounts(self) -> frozenset[int]:
        """Denominations (tiyn) the host has enabled."""
        with self.lock:
            mask = self.enable_mask
            return frozenset(a for i, a in enumerate(self.bill_amounts) if mask >> i & 1)

    def insert(self, amount: int) -> None:
        """A customer inserts a genuine note of ``amount`` tiyn."""
        types = [i for i, known in enumerate(self.bill_amounts) if known and known == amount]
        self._take_note(Note(amount, types[0] if types else None))

    def insert_fake(self) -> None:
        """A customer inserts a forged note; it is rejected as unrecognised."""
        self._take_note(Note(0, None, rejection=Rejection.UNRECOGNISED))

    def _take_note(self, note: Note) -> None:
        with self.lock:
            self.advance()
            if self.fault is not None:
                raise SimulatorRefused(f"the note is not taken: device is {self.state}")
            if self.phase is not Phase.IDLE:
                raise SimulatorRefused(f"the note is not taken: device is busy ({self.state})")
            if not self.enable_mask:
                raise SimulatorRefused("the note is not taken: the host has disabled the unit")
            self.note = note
            self._enter(Phase.ACCEPTING, self.clock.monotonic() + self.timings.accepting)

    def jam(self, where: str = "acceptor") -> None:
        """Jam the note path (``acceptor``) or the drop cassette (``cassette``)."""
        faults = {"acceptor": Fault.JAMMED, "cassette": Fault.CASSETTE_JAMMED}
        if where not in faults:
            raise SimulatorRefused(f"jam where? 'acceptor' or 'cassette', not {where!r}")
        self._inject(faults[where])

    def cheat(self) -> None:
        """A fraud attempt: a note in the path is pulled back out by the customer."""
        with self.lock:
            self._inject(Fault.CHEATED)
            if self.note is not None and self.phase in _NOTE_MOVING:
                self.rejected.append(self.note.amount)
                self.note, self._paused_for = None, None
                self._enter(Phase.IDLE, None)

    def fail(self, failure: FailureCode = Failure.STACK_MOTOR) -> None:
        """A hardware failure: a part by name, or a code of the device's own protocol."""
        if isinstance(failure, int) and not 0 <= failure <= 0xFF:
            raise SimulatorRefused(f"a failure code is one byte, not {failure}")
        self._inject(Fault.FAILURE, failure)

    def cassette_full(self) -> None:
        self._inject(Fault.CASSETTE_FULL)

    def cassette_out(self) -> None:
        """The drop cassette is taken out (a full one may be removed too)."""
        with self.lock:
            if self.fault not in (None, Fault.CASSETTE_FULL):
                raise SimulatorRefused(f"clear the current fault first ({self.state})")
            self.fault = None
            self._inject(Fault.CASSETTE_OUT)

    def cassette_in(self) -> None:
        """The drop cassette is put back, emptied (the ``cassette`` record is kept)."""
        with self.lock:
            if self.fault not in _CASSETTE_FAULTS:
                raise SimulatorRefused("the cassette is already in place")
            self._in_cassette_since_emptied = 0
            self._end_fault()

    def clear(self) -> None:
        """A technician clears a jam, a cheat alarm or a failure; a jammed note is pulled out."""
        with self.lock:
            if self.fault in _CASSETTE_FAULTS:
                raise SimulatorRefused("the cassette is out or full: use cassette_in")
            if self.fault in (Fault.JAMMED, Fault.CASSETTE_JAMMED):
                if self.note is not None and self.phase in _NOTE_MOVING:
                    self.removed.append(self.note.amount)
                    self.note, self._paused_for = None, None
                    self._enter(Phase.IDLE, None)
            if self.fault is not None:
                self._end_fault()

    def _inject(self, fault: Fault, failure: FailureCode = Failure.STACK_MOTOR) -> None:
        with self.lock:
            self.advance()
            if self.fault is not None:
                raise SimulatorRefused(f"clear the current fault first ({self.state})")
            self._start_fault(fault, failure)

    def power_cycle(self) -> None:
        """Power off and on: the device restarts reporting what it found in the note path."""
        with self.lock:
            self.advance()
            self.power_down()

    def ground_truth(self) -> dict[str, list[int]]:
        """Where the notes went: ``notes`` (in the cassette), ``returned``, ``rejected``,
        ``removed`` — amounts in tiyn."""
        with self.lock:
            self.advance()
            return {
                "notes": list(self.cassette),
                "returned": list(self.returned),
                "rejected": list(self.rejected),
                "removed": list(self.removed),
            }
