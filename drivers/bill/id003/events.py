"""Which acceptor events a change of ID-003 status means (faults, rejects, recovery).

Money events (escrow, vend valid, returning, power-up) need commands and acknowledgements and
are handled in notes.py; this module covers the events reported once per transition.
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.bill.base import (
    AcceptorEvent,
    CassetteFull,
    CassetteRemoved,
    CassetteReplaced,
    Cheated,
    Cleared,
    DeviceError,
    Failure,
    Jammed,
    Rejected,
)
from drivers.bill.id003.codes import STATE_NAMES, Status, failure_description, reject_reason
from drivers.bill.id003.protocol import Id003Status

_NORMAL = frozenset({Status.IDLING, Status.DISABLED})


@dataclass(frozen=True, slots=True)
class Transition:
    """Events for one status change and whether a fault is now outstanding."""

    events: tuple[AcceptorEvent, ...]
    fault_active: bool


def _fault_event(status: Id003Status) -> AcceptorEvent | None:
    match status.code:
        case Status.STACKER_FULL:
            return CassetteFull()
        case Status.STACKER_OPEN:
            return CassetteRemoved()
        case Status.JAM_IN_ACCEPTOR:
            return Jammed("acceptor")
        case Status.JAM_IN_STACKER:
            return Jammed("cassette")
        case Status.CHEATED:
            return Cheated()
        case Status.FAILURE:
            code = status.detail if status.detail is not None else 0
            return Failure(code, failure_description(code))
    return None


def transition(
    previous: Id003Status | None, current: Id003Status, fault_active: bool
) -> Transition:
    """Events for going from ``previous`` to ``current`` (None: the first status seen)."""
    if previous == current:
        return Transition((), fault_active)
    events: list[AcceptorEvent] = []
    if previous is not None and previous.code == Status.STACKER_OPEN:
        events.append(CassetteReplaced())
    fault = _fault_event(current)
    if fault is not None:
        events.append(fault)
        fault_active = True
    elif current.code in _NORMAL and fault_active:
        events.append(Cleared())
        fault_active = False
    elif current.code == Status.REJECTING:
        reason = current.detail if current.detail is not None else 0
        events.append(Rejected(reason, reject_reason(reason)))
    elif current.code in (Status.COMMUNICATION_ERROR, Status.INVALID_COMMAND):
        events.append(DeviceError(f"device reports {STATE_NAMES[current.code]}"))
    elif current.code not in STATE_NAMES:
        events.append(DeviceError(f"device reports unknown status 0x{current.code:02X}"))
    return Transition(tuple(events), fault_active)
