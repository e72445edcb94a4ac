"""Which acceptor events a change of CCNET POLL state means (faults, rejects, recovery).

Money events (escrow, stacked, returned, power-up) need commands and acknowledgements and are
handled by the driver; this module covers the events that are reported once per transition.
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
from drivers.bill.ccnet.codes import (
    STATE_NAMES,
    Status,
    failure_description,
    reject_reason,
)
from drivers.bill.ccnet.protocol import PollStatus

# States after which the device is back to normal.
_NORMAL = frozenset({Status.IDLING, Status.UNIT_DISABLED})


@dataclass(frozen=True, slots=True)
class Transition:
    """Events for one POLL state change and whether a fault is now outstanding."""

    events: tuple[AcceptorEvent, ...]
    fault_active: bool


def _fault_event(status: PollStatus) -> AcceptorEvent | None:
    match status.code:
        case Status.CASSETTE_FULL:
            return CassetteFull()
        case Status.CASSETTE_OUT:
            return CassetteRemoved()
        case Status.VALIDATOR_JAMMED:
            return Jammed("acceptor")
        case Status.CASSETTE_JAMMED:
            return Jammed("cassette")
        case Status.CHEATED:
            return Cheated()
        case Status.FAILURE:
            code = status.detail if status.detail is not None else 0
            return Failure(code, failure_description(code))
    return None


def transition(previous: PollStatus | None, current: PollStatus, fault_active: bool) -> Transition:
    """Events for going from ``previous`` to ``current`` (None: the first state seen)."""
    if previous == current:
        return Transition((), fault_active)
    events: list[AcceptorEvent] = []
    if previous is not None and previous.code == Status.CASSETTE_OUT:
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
    elif current.code not in STATE_NAMES:
        events.append(DeviceError(f"device reports unknown state 0x{current.code:02X}"))
    return Transition(tuple(events), fault_active)
