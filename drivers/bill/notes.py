"""The one money rule for a note in a bill acceptor, as a sans-IO state machine.

Every protocol (CCNET, ID-003, SSP) reports the same life of a note: it is read into escrow,
the host decides STACK or RETURN, the device reports it stacked (the credit point) or given
back, and a device that restarts may hold a note in its path. The rule the kiosk's money
depends on is the same for all of them and lives here, once:

* An escrow is put to the listener once; its answer (``None`` or a listener error means
  RETURN) becomes a ``SendStack`` or ``SendReturn`` action. While the device keeps showing
  the same escrow the decision is sent again (protocols whose reports are lasting states).
* Write before acknowledge: a stacked report becomes an ``Ask`` for ``Stacked`` (or
  ``DuplicateStacked``); ``Ack`` follows only once the listener answered (``Answer``). A
  listener error (``ListenerFailed``) gives ``WithholdAck``: the device repeats the report
  and it is delivered again.
* A stacked report is ``Stacked`` only when it follows this host's own STACK for that note
  (kept across a lost line: a STACK ordered before a line fault still makes the stacked
  report that follows it the host's own). Any other is ``DuplicateStacked``, ``repeat=True``
  when this machine already delivered that note's stacked report (a lost ACK).
* A power-up report (possibly with a note in the path) is put to the listener before the
  device is initialised again (``Reinitialize``); on a listener error it is asked again.
* The end of a note's path (returned, rejected, idle, a power-up, a fraud) voids an
  ordered STACK: the next stacked report is not the host's own.

The machine never talks to a device and never calls the listener: feed it observations, it
answers with actions. Each protocol's notes.py translates its polled status into
observations (a table), runs the machine with ``run`` and performs the actions on its link
(another table: how it sends STACK, RETURN and ACK). See docs/decisions/022-one-note-rule.md.

Two kinds of protocol (``Reports``): CCNET and ID-003 report *states* that last (the same
report comes on every poll until the device moves on: a decision is sent again, a report is
delivered once per run of the same state); SSP reports one-off *events* (a credit is a
repeat only when the same channel was credited with no new note read since).
"""

from __future__ import annotations

import enum
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from drivers.bill.base import (
    AcceptorEvent,
    Decision,
    DuplicateStacked,
    Escrow,
    Listener,
    PowerUp,
    Returned,
    Stacked,
)

# The amount (tiyn) and bill type index of a protocol's note key (a CCNET bill type, an
# ID-003 escrow code, an SSP channel); amount 0 for a key the device's table does not have.
Valuation = Callable[[int], tuple[int, int]]


class Reports(enum.Enum):
    """How a protocol reports a note's life (see the module docstring)."""

    STATES = "states"  # CCNET, ID-003: lasting states, repeated on every poll
    EVENTS = "events"  # SSP: one-off events in each poll reply


class Report(enum.Enum):
    """What an ``Ack`` / ``WithholdAck`` is for."""

    STACKED = "stacked"
    RETURNED = "returned"
    POWER_UP = "power_up"


# ----- observations (in) -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Observation:
    """Base of everything fed to the machine."""


@dataclass(frozen=True, slots=True)
class Escrowed(Observation):
    """The device holds ``note`` in escrow and waits for STACK or RETURN."""

    note: int


@dataclass(frozen=True, slots=True)
class Held(Observation):
    """The device holds the escrowed note on (CCNET/ID-003 HOLDING): send the decision again."""


@dataclass(frozen=True, slots=True)
class NoteStacked(Observation):
    """The device reports a note stacked: ``note`` None when the report names no note
    (ID-003 Vend Valid: it is the note the STACK was for, or the last escrow)."""

    note: int | None


@dataclass(frozen=True, slots=True)
class NoteReturned(Observation):
    """A note came back to the customer: ``note`` None when the report names none (ID-003
    RETURNING: the last escrow). The note's path is over."""

    note: int | None


@dataclass(frozen=True, slots=True)
class PathEnded(Observation):
    """The note's path is over without a report of its own (idle, disabled, rejecting, a
    fraud, initialising, a fault that holds the note): an ordered STACK no longer applies.
    ``forget`` also drops the last escrow seen (ID-003 names it in a later Vend Valid)."""

    forget: bool = True


@dataclass(frozen=True, slots=True)
class PoweredUp(Observation):
    """The device restarted, possibly with a note in its path."""

    bill_in_acceptor: bool = False
    bill_in_stacker: bool = False


@dataclass(frozen=True, slots=True)
class Other(Observation):
    """Any other report: the device shows no escrow (accepting, stacking, a fault …)."""


@dataclass(frozen=True, slots=True)
class Answer(Observation):
    """The listener returned from the last ``Ask`` (with its decision for an escrow)."""

    decision: Decision | None = None


@dataclass(frozen=True, slots=True)
class ListenerFailed(Observation):
    """The listener raised on the last ``Ask`` (or there is none): nothing is committed."""


@dataclass(frozen=True, slots=True)
class StackCancelled(Observation):
    """A STACK this host ordered no longer holds: the device refused it, or the host sent
    RETURN for that note since."""


@dataclass(frozen=True, slots=True)
class LineLost(Observation):
    """The device stopped answering: an escrow seen afterwards is asked anew (it may be
    another note); an ordered STACK still makes its stacked report the host's own."""


# ----- actions (out) ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Action:
    """Base of everything the machine asks its protocol to do."""


@dataclass(frozen=True, slots=True)
class Ask(Action):
    """Deliver ``event`` to the listener and feed back ``Answer`` or ``ListenerFailed``."""

    event: AcceptorEvent


@dataclass(frozen=True, slots=True)
class Deliver(Action):
    """Deliver ``event`` to the listener; nothing waits on its answer."""

    event: AcceptorEvent


@dataclass(frozen=True, slots=True)
class NoValue(Action):
    """Tell the listener (DeviceError, in the protocol's words) that ``note`` in escrow has
    no known value; a ``SendReturn`` follows."""

    note: int


@dataclass(frozen=True, slots=True)
class SendStack(Action):
    """Order the note in escrow into the stacker."""

    note: int


@dataclass(frozen=True, slots=True)
class SendReturn(Action):
    """Give the note in escrow back to the customer."""

    note: int


@dataclass(frozen=True, slots=True)
class Ack(Action):
    """The listener took ``report``: acknowledge it to the device."""

    report: Report


@dataclass(frozen=True, slots=True)
class WithholdAck(Action):
    """The listener failed on ``report``: do not acknowledge it, so the device repeats it."""

    report: Report


@dataclass(frozen=True, slots=True)
class Reinitialize(Action):
    """The power-up report reached the listener: the device may be initialised again."""


Actions = tuple[Action, ...]

# Observations a device reports (as opposed to the host's own: answers, a lost line).
_REPORTS = (Escrowed, Held, NoteStacked, NoteReturned, PathEnded, PoweredUp, Other)


@dataclass(frozen=True, slots=True)
class _Escrow:
    note: int
    decision: Decision


@dataclass(frozen=True, slots=True)
class _Question:
    """The ``Ask`` waiting for the listener's answer."""

    kind: Report | None  # None: an escrow decision
    note: int | None = None
    own: bool = False
    power_up: PoweredUp | None = None


class NoteRule:
    """The note rule for one device; kept across reconnects. ``value`` names a note key's
    amount and bill type from the device's current table."""

    def __init__(self, reports: Reports, value: Valuation) -> None:
        self.reports = reports
        self.value = value
        self._escrow: _Escrow | None = None
        self._pending_stack: int | None = None  # note key of this host's STACK
        self._delivered: int | None = None  # note key of a stacked report delivered
        self._last_note: int | None = None  # the last escrow seen, for a report naming none
        self._returned_told = False
        self._power_up_told: PoweredUp | None = None
        self._question: _Question | None = None

    @property
    def escrow(self) -> int | None:
        """The note in escrow this machine decided, if any."""
        return self._escrow.note if self._escrow is not None else None

    @property
    def pending_stack(self) -> int | None:
        """The note this host ordered stacked whose stacked report has not been taken."""
        return self._pending_stack

    @property
    def awaiting(self) -> bool:
        """True while an ``Ask`` waits for its answer."""
        return self._question is not None

    def feed(self, observation: Observation) -> Actions:
        """The actions for one observation (pure: state in, actions out, nothing done)."""
        if isinstance(observation, Answer | ListenerFailed):
            return self._answered(observation)
        # Anything else while a question is open: that question was never answered, so
        # nothing it asked about is acknowledged.
        self._question = None
        if isinstance(observation, _REPORTS) and self.reports is Reports.STATES:
            self._state_changes(observation)
        return self._observe(observation)

    # ----- reports -----------------------------------------------------------------------
    def _state_changes(self, observation: Observation) -> None:
        """A lasting state ends where another report starts."""
        if not isinstance(observation, Escrowed | Held):
            self._escrow = None
        if not isinstance(observation, NoteReturned):
            self._returned_told = False
        if not isinstance(observation, NoteStacked):
            self._delivered = None
        if not isinstance(observation, PoweredUp):
            self._power_up_told = None

    def _observe(self, observation: Observation) -> Actions:
        match observation:
            case Escrowed(note=note):
                return self._escrowed(note)
            case Held():
                return self._send(self._escrow) if self._escrow is not None else ()
            case NoteStacked(note=note):
                return self._stacked(note)
            case NoteReturned(note=note):
                return self._returned(note)
            case PathEnded(forget=forget):
                self._pending_stack = self._escrow = None
                if forget:
                    self._last_note = None
            case PoweredUp():
                return self._powered_up(observation)
            case Other():
                self._escrow = None
            case StackCancelled():
                self._pending_stack = None
            case LineLost():
                self._escrow = None
        return ()

    def _escrowed(self, note: int) -> Actions:
        self._delivered = None  # a new note read: a later stacked report is not a repeat
        self._last_note = note
        if self._escrow is not None and self._escrow.note == note:
            # Decided already; a lasting escrow state waits for the decision again.
            return self._send(self._escrow) if self.reports is Reports.STATES else ()
        self._pending_stack = None  # a new note: an older STACK does not apply
        amount, bill_type = self.value(note)
        if amount == 0:
            return (NoValue(note), *self._decided(note, Decision.RETURN))
        self._question = _Question(None, note)
        return (Ask(Escrow(amount, bill_type)),)

    def _decided(self, note: int, decision: Decision) -> Actions:
        self._escrow = _Escrow(note, decision)
        return self._send(self._escrow)

    def _send(self, escrow: _Escrow) -> Actions:
        if escrow.decision is Decision.STACK:
            self._pending_stack = escrow.note  # ordered even if the reply gets lost
            return (SendStack(escrow.note),)
        return (SendReturn(escrow.note),)

    def _stacked(self, note: int | None) -> Actions:
        if note is None:
            own = self._pending_stack is not None
            key = (
                self._pending_stack
                if own
                else (self._delivered if self._delivered is not None else self._last_note)
            )
        else:
            own, key = self._pending_stack == note, note
        repeat = (
            not own and self._delivered is not None and (note is None or self._delivered == note)
        )
        # Unknown note (a host restart lost the report naming it): amount 0, bill type -1.
        amount, bill_type = self.value(key) if key is not None else (0, -1)
        event = (
            Stacked(amount, bill_type)
            if own
            else DuplicateStacked(amount, bill_type, repeat=repeat)
        )
        self._question = _Question(Report.STACKED, key, own)
        return (Ask(event),)

    def _returned(self, note: int | None) -> Actions:
        self._pending_stack = None
        if self.reports is Reports.EVENTS:
            self._escrow = None
            return () if note is None else (Deliver(Returned(*self.value(note))),)
        if self._returned_told:
            return (Ack(Report.RETURNED),)
        key = note if note is not None else self._last_note
        if key is None:
            return ()
        self._question = _Question(Report.RETURNED, key)
        return (Ask(Returned(*self.value(key))),)

    def _powered_up(self, observation: PoweredUp) -> Actions:
        if self.reports is Reports.STATES:
            self._pending_stack = None  # the core resolves the note from its own record
            if self._power_up_told == observation:
                return ()  # already delivered; the RESET that follows is on its way
        self._question = _Question(Report.POWER_UP, power_up=observation)
        return (Ask(PowerUp(observation.bill_in_acceptor, observation.bill_in_stacker)),)

    # ----- the listener's answers --------------------------------------------------------
    def _answered(self, observation: Answer | ListenerFailed) -> Actions:
        question, self._question = self._question, None
        if question is None:
            return ()  # nothing was asked
        taken = isinstance(observation, Answer)
        if question.kind is None:
            assert question.note is not None
            decision = observation.decision if isinstance(observation, Answer) else None
            return self._decided(
                question.note, decision if decision is Decision.STACK else Decision.RETURN
            )
        if not taken:
            return (WithholdAck(question.kind),)
        if question.kind is Report.STACKED:
            self._stacked_taken(question)
        elif question.kind is Report.RETURNED:
            self._returned_told = True
        else:
            self._power_up_told = question.power_up
            if self.reports is Reports.EVENTS:
                self._escrow = None  # an accepted note is reported next; it stays ours
            return (Reinitialize(), Ack(Report.POWER_UP))
        return (Ack(question.kind),)

    def _stacked_taken(self, question: _Question) -> None:
        if question.own or self.reports is Reports.EVENTS:
            self._pending_stack = None
        if self.reports is Reports.EVENTS:
            self._escrow = None
        # A stacked report that named no note and had none to name (ID-003 after a host
        # restart) is remembered as key 0, as the ID-003 driver always did: its repeat is
        # still a repeat.
        self._delivered = question.note if question.note is not None else 0


def run(
    rule: NoteRule,
    observation: Observation,
    ask: Callable[[AcceptorEvent], Observation],
    perform: Callable[[Action], None],
) -> None:
    """Feed ``observation``; put each ``Ask`` to ``ask`` (the listener, answered as an
    observation) and hand every other action, in order, to ``perform``."""
    todo: deque[Action] = deque(rule.feed(observation))
    while todo:
        action = todo.popleft()
        if isinstance(action, Ask):
            todo.extend(rule.feed(ask(action.event)))
        else:
            perform(action)


def ask_listener(
    listener: Listener | None, event: AcceptorEvent, log: logging.Logger, name: str
) -> Answer | ListenerFailed:
    """Put one ``Ask`` to the listener (for the adapters, not the machine): its answer as
    an observation. A listener error is logged, never lost: the rule returns the note or
    withholds the acknowledgement so the device reports it again."""
    if listener is None:
        return ListenerFailed()
    try:
        decision = listener(event)
    except Exception:
        if isinstance(event, Escrow):
            log.exception("%s escrow listener failed; the note is returned", name)
        else:
            log.exception("%s listener failed on %s", name, type(event).__name__)
        return ListenerFailed()
    return Answer(decision if isinstance(decision, Decision) else None)


def deliver(
    listener: Listener | None, event: AcceptorEvent, log: logging.Logger, name: str
) -> bool:
    """Deliver one event that nothing waits on (for the adapters): False when there is no
    listener or it raised; the error is logged, never lost."""
    if listener is None:
        return False
    try:
        listener(event)
    except Exception:
        log.exception("%s listener failed on %s", name, type(event).__name__)
        return False
    return True
