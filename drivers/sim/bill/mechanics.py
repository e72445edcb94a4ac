"""The simulated validator's mechanics: the note path, faults and where each note went.

A state machine driven by an injected clock, evaluated whenever the device is touched (so it
needs no thread): power up → initialize → idling/disabled → accepting → escrow (held until
STACK/RETURN/HOLD or the escrow timeout) → stacking → stacked (until the host ACKs) → idling,
with returning/returned and rejecting branches and faults that pause the path.

The ground truth of where each note went is kept in ``cassette``, ``returned``, ``rejected``
(given back by the device, or pulled back by a cheat) and ``removed`` (pulled out of a jam by a
technician). ``cassette`` is cumulative: taking the cassette out and back in does not empty it.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from drivers.bill.ccnet.codes import Status
from drivers.bill.ccnet.codes import state_name as _state_name
from drivers.bill.ccnet.protocol import PollStatus
from drivers.bill.ccnet.records import BILL_TYPES
from drivers.transport import Clock, SystemClock

KZT_NOTES = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)  # tiyn
REJECT_IDENTIFICATION = 0x65
REJECT_INHIBIT = 0x68


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
    CASSETTE_FULL = Status.CASSETTE_FULL
    CASSETTE_OUT = Status.CASSETTE_OUT
    JAMMED = Status.VALIDATOR_JAMMED
    CASSETTE_JAMMED = Status.CASSETTE_JAMMED
    CHEATED = Status.CHEATED
    FAILURE = Status.FAILURE


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
class _Note:
    amount: int
    bill_type: int | None
    reject_reason: int | None = None


class ValidatorMechanics:
    """The physical validator behind the wire. Thread-safe (one re-entrant lock)."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        notes: Sequence[int] = KZT_NOTES,
        timings: Timings = Timings(),  # noqa: B008 (a frozen value)
        capacity: int | None = None,
    ) -> None:
        if len(notes) > BILL_TYPES:
            raise ValueError(f"a CCNET bill table has at most {BILL_TYPES} types")
        self._clock: Clock = clock or SystemClock()
        self._lock = threading.RLock()
        self.timings = timings
        self.capacity = capacity
        self.bill_amounts = tuple(notes) + (0,) * (BILL_TYPES - len(notes))
        # Ground truth: where every note physically went (amounts in tiyn).
        self.cassette: list[int] = []
        self.returned: list[int] = []
        self.rejected: list[int] = []
        self.removed: list[int] = []
        self.enable_mask = 0
        self.escrow_mask = 0
        self.security_mask = 0
        self.phase = Phase.POWER_UP
        self._power_up_code = Status.POWER_UP
        self._note: _Note | None = None
        self._until: float | None = None
        self.fault: Fault | None = None
        self.failure_code = 0
        self._paused_for: float | None = None
        self._in_cassette_since_emptied = 0
        self._phase_polled = False

    # ----- the note path ---------------------------------------------------------------
    def _enter(self, phase: Phase, until: float | None) -> None:
        self.phase, self._until = phase, until
        self._phase_polled = False

    def _idle_as_left(self) -> None:
        """The shared part of ``left_enabled``: a unit at rest goes idle (each protocol's
        simulator then sets what its previous host had enabled). Call with the lock held."""
        self._advance()
        settled = self.phase in (Phase.POWER_UP, Phase.INITIALIZE, Phase.IDLE)
        if self.fault is not None or self._note is not None or not settled:
            raise SimulatorRefused(f"the unit is busy ({self.state})")
        self._enter(Phase.IDLE, None)

    def polled(self) -> None:
        """A POLL has reported the current phase."""
        self._phase_polled = True

    def _advance(self) -> None:
        now = self._clock.monotonic()
        while self.fault is None and self._until is not None and now >= self._until:
            if self.phase is Phase.REJECTING and not self._phase_polled:
                break  # a rejection is reported at least once, however short it is
            self._finish_phase(self._until)

    def _finish_phase(self, at: float) -> None:
        note, timings = self._note, self.timings
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
            self._note = None
            self._enter(Phase.IDLE, None)
        else:
            self._enter(self.phase, None)

    def _after_accepting(self, note: _Note, at: float) -> None:
        if note.bill_type is None:
            note.reject_reason = note.reject_reason or REJECT_IDENTIFICATION
        elif not self.enable_mask >> note.bill_type & 1:
            note.reject_reason = REJECT_INHIBIT  # that denomination is not enabled
        if note.reject_reason is not None:
            self._enter(Phase.REJECTING, at + self.timings.rejecting)
        elif self.escrow_mask >> (note.bill_type or 0) & 1:
            self._enter(Phase.ESCROW, at + self.timings.escrow_timeout)
        else:
            self._enter(Phase.STACKING, at + self.timings.stacking)

    def status(self) -> PollStatus:
        """What a POLL reports now (a power-up report comes before any fault it found)."""
        if self.fault is not None and self.phase is not Phase.POWER_UP:
            detail = self.failure_code if self.fault is Fault.FAILURE else None
            return PollStatus(self.fault.value, detail)
        note = self._note
        bill_type = note.bill_type if note is not None and note.bill_type is not None else 0
        match self.phase:
            case Phase.POWER_UP:
                return PollStatus(self._power_up_code)
            case Phase.INITIALIZE:
                return PollStatus(Status.INITIALIZE)
            case Phase.IDLE:
                return PollStatus(Status.IDLING if self.enable_mask else Status.UNIT_DISABLED)
            case Phase.ACCEPTING:
                return PollStatus(Status.ACCEPTING)
            case Phase.ESCROW:
                return PollStatus(Status.ESCROW, bill_type)
            case Phase.HOLDING:
                return PollStatus(Status.HOLDING)
            case Phase.STACKING:
                return PollStatus(Status.STACKING)
            case Phase.STACKED:
                return PollStatus(Status.STACKED, bill_type)
            case Phase.RETURNING:
                return PollStatus(Status.RETURNING)
            case Phase.RETURNED:
                return PollStatus(Status.RETURNED, bill_type)
            case Phase.REJECTING:
                reason = note.reject_reason if note and note.reject_reason else 0x60
                return PollStatus(Status.REJECTING, reason)

    def order(self, command: str) -> bool:
        """The host's ``stack``, ``return`` or ``hold`` for the note in escrow; False when it
        makes no sense now (the device answers "illegal command")."""
        if self.fault is not None:
            return False
        holding = self.phase in (Phase.ESCROW, Phase.HOLDING)
        now = self._clock.monotonic()
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
            self._note = None
            self._enter(Phase.IDLE, None)
            if self.capacity is not None and self._in_cassette_since_emptied >= self.capacity:
                self._start_fault(Fault.CASSETTE_FULL)

    def _power_down(self) -> None:
        """Power lost (or a host RESET): settle the note in the path the way hardware would."""
        code = Status.POWER_UP
        note = self._note
        if self.phase is Phase.POWER_UP:
            code = self._power_up_code  # a second cycle keeps what the first one found
        elif self.phase is Phase.STACKING and note is not None:
            self.cassette.append(note.amount)  # the stacker finishes pushing it in
            self._in_cassette_since_emptied += 1
            code = Status.POWER_UP_BILL_IN_STACKER
        elif self.phase is Phase.STACKED:
            code = Status.POWER_UP_BILL_IN_STACKER  # stacked but never acknowledged
        elif self.phase in _NOTE_MOVING:
            code = Status.POWER_UP_BILL_IN_VALIDATOR
        if code is not Status.POWER_UP_BILL_IN_VALIDATOR:
            self._note = None
        self._power_up_code = code
        self._enter(Phase.POWER_UP, None)
        self.enable_mask = self.escrow_mask = 0
        self._paused_for = None

    def host_reset(self) -> None:
        """The host's RESET: like a power cycle for a note in the path, else initialize."""
        if self.phase is not Phase.POWER_UP and (self.phase in _NOTE_MOVING or self._note):
            self._power_down()  # a RESET never makes a note in the path vanish unreported
            return
        note = self._note
        if note is not None:  # power-up with a bill in the validator: it is given back
            (self.rejected if note.reject_reason else self.returned).append(note.amount)
            self._note = None
        self.enable_mask = self.escrow_mask = 0
        self._enter(Phase.INITIALIZE, self._clock.monotonic() + self.timings.initialize)

    def _start_fault(self, fault: Fault, failure_code: int = 0) -> None:
        if self._until is not None:
            self._paused_for = max(0.0, self._until - self._clock.monotonic())
            self._until = None
        self.fault, self.failure_code = fault, failure_code

    def _end_fault(self) -> None:
        self.fault, self.failure_code = None, 0
        if self._paused_for is not None:
            self._until = self._clock.monotonic() + self._paused_for
            self._paused_for = None

    # ----- what a customer or technician does (the control API) ------------------------
    @property
    def state(self) -> str:
        """The state a POLL would report now, as a short name."""
        with self._lock:
            self._advance()
            return _state_name(self.status().code)

    @property
    def enabled_amounts(self) -> frozenset[int]:
        """Denominations (tiyn) the host has enabled."""
        with self._lock:
            mask = self.enable_mask
            return frozenset(a for i, a in enumerate(self.bill_amounts) if mask >> i & 1)

    def insert(self, amount: int) -> None:
        """A customer inserts a genuine note of ``amount`` tiyn."""
        types = [i for i, known in enumerate(self.bill_amounts) if known and known == amount]
        self._take_note(_Note(amount, types[0] if types else None))

    def insert_fake(self, reason: int = REJECT_IDENTIFICATION) -> None:
        """A customer inserts a forged note; it is rejected (default reason: identification)."""
        self._take_note(_Note(0, None, reject_reason=reason))

    def _take_note(self, note: _Note) -> None:
        with self._lock:
            self._advance()
            if self.fault is not None:
                raise SimulatorRefused(f"the note is not taken: device is {self.state}")
            if self.phase is not Phase.IDLE:
                raise SimulatorRefused(f"the note is not taken: device is busy ({self.state})")
            if not self.enable_mask:
                raise SimulatorRefused("the note is not taken: the host has disabled the unit")
            self._note = note
            self._enter(Phase.ACCEPTING, self._clock.monotonic() + self.timings.accepting)

    def jam(self, where: str = "acceptor") -> None:
        """Jam the note path (``acceptor``) or the drop cassette (``cassette``)."""
        faults = {"acceptor": Fault.JAMMED, "cassette": Fault.CASSETTE_JAMMED}
        if where not in faults:
            raise SimulatorRefused(f"jam where? 'acceptor' or 'cassette', not {where!r}")
        self._inject(faults[where])

    def cheat(self) -> None:
        """A fraud attempt: a note in the path is pulled back out by the customer."""
        with self._lock:
            self._inject(Fault.CHEATED)
            if self._note is not None and self.phase in _NOTE_MOVING:
                self.rejected.append(self._note.amount)
                self._note, self._paused_for = None, None
                self._enter(Phase.IDLE, None)

    def fail(self, code: int = 0x50) -> None:
        """A hardware failure with the given CCNET failure code (default: stack motor)."""
        if not 0 <= code <= 0xFF:
            raise SimulatorRefused(f"a failure code is one byte, not {code}")
        self._inject(Fault.FAILURE, code)

    def cassette_full(self) -> None:
        self._inject(Fault.CASSETTE_FULL)

    def cassette_out(self) -> None:
        """The drop cassette is taken out (a full one may be removed too)."""
        with self._lock:
            if self.fault not in (None, Fault.CASSETTE_FULL):
                raise SimulatorRefused(f"clear the current fault first ({self.state})")
            self.fault = None
            self._inject(Fault.CASSETTE_OUT)

    def cassette_in(self) -> None:
        """The drop cassette is put back, emptied (the ``cassette`` record is kept)."""
        with self._lock:
            if self.fault not in _CASSETTE_FAULTS:
                raise SimulatorRefused("the cassette is already in place")
            self._in_cassette_since_emptied = 0
            self._end_fault()

    def clear(self) -> None:
        """A technician clears a jam, a cheat alarm or a failure; a jammed note is pulled out."""
        with self._lock:
            if self.fault in _CASSETTE_FAULTS:
                raise SimulatorRefused("the cassette is out or full: use cassette_in")
            if self.fault in (Fault.JAMMED, Fault.CASSETTE_JAMMED):
                if self._note is not None and self.phase in _NOTE_MOVING:
                    self.removed.append(self._note.amount)
                    self._note, self._paused_for = None, None
                    self._enter(Phase.IDLE, None)
            if self.fault is not None:
                self._end_fault()

    def _inject(self, fault: Fault, failure_code: int = 0) -> None:
        with self._lock:
            self._advance()
            if self.fault is not None:
                raise SimulatorRefused(f"clear the current fault first ({self.state})")
            self._start_fault(fault, failure_code)

    def power_cycle(self) -> None:
        """Power off and on: the device restarts reporting what it found in the note path."""
        with self._lock:
            self._advance()
            self._power_down()

    def ground_truth(self) -> dict[str, list[int]]:
        """Where the notes went: ``notes`` (in the cassette), ``returned``, ``rejected``,
        ``removed`` — amounts in tiyn."""
        with self._lock:
            self._advance()
            return {
                "notes": list(self.cassette),
                "returned": list(self.returned),
                "rejected": list(self.rejected),
                "removed": list(self.removed),
            }
