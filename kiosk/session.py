"""The payment session: states, allowed transitions, the open session and the one way its
state changes (:class:`SessionSlot`, through ``ALLOWED``), and the snapshot the screens read."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.checks import CheckResult
from kiosk.domain.catalog import Catalog, Service
from kiosk.domain.clock import Clock
from kiosk.domain.limits import AccountHeadroom
from kiosk.domain.money import Language, Money
from kiosk.payment import CompletedPayment, PrinterReadiness
from kiosk.store.db import StoreError
from kiosk.store.records import OpenOrder, Records


class State(enum.StrEnum):
    IDLE = "idle"
    SERVICE_CHOSEN = "service_chosen"
    ACCOUNT_ENTERED = "account_entered"
    ACCOUNT_CHECKED = "account_checked"
    ACCEPTING = "accepting"
    PAYING = "paying"
    RECEIPT = "receipt"
    DONE = "done"
    CANCELLED = "cancelled"


# Cancel is possible only from states where no cash can be in (ACCEPTING checks the cash).
ALLOWED: dict[State, frozenset[State]] = {
    State.IDLE: frozenset({State.SERVICE_CHOSEN}),
    State.SERVICE_CHOSEN: frozenset({State.ACCOUNT_ENTERED, State.CANCELLED}),
    State.ACCOUNT_ENTERED: frozenset(
        {State.ACCOUNT_CHECKED, State.SERVICE_CHOSEN, State.ACCOUNT_ENTERED, State.CANCELLED}
    ),
    State.ACCOUNT_CHECKED: frozenset({State.ACCEPTING, State.ACCOUNT_ENTERED, State.CANCELLED}),
    State.ACCEPTING: frozenset({State.PAYING, State.CANCELLED}),
    State.PAYING: frozenset({State.RECEIPT}),
    State.RECEIPT: frozenset({State.DONE}),
    State.DONE: frozenset(),
    State.CANCELLED: frozenset(),
}

# One stored move is not a customer's: a note the device stacks after its session ended opens
# a session of its own straight into paying (the customer has gone; the note is paid to the
# same account at once). Recovery after a crash closes sessions through ``ALLOWED`` itself.
LATE_NOTE: dict[State, frozenset[State]] = {State.IDLE: frozenset({State.PAYING})}

# States in which an interrupted session may hold the customer's cash.
CASH_STATES = frozenset({State.ACCEPTING, State.PAYING})


class TransitionError(Exception):
    """An intent that the current state does not allow (a UI or script bug, never money)."""


class NotAvailable(Exception):
    """The kiosk cannot start or continue a payment now; ``reasons`` say why."""

    def __init__(self, reasons: tuple[str, ...]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons


class NotAllowed(Exception):
    """The intent is refused in this situation (cancel with cash in, pay below minimum)."""


class ReceiptUnavailable(NotAllowed):
    """No receipt can be printed now: the customer must agree to go on without one."""

    def __init__(self, printer: PrinterReadiness) -> None:
        super().__init__(f"no receipt can be printed: {printer.reason}")
        self.printer = printer


class Attention(enum.StrEnum):
    """What the screen must tell the customer about time running out."""

    NONE = "none"
    STILL_THERE = "still_there"  # no cash in: the session ends when the countdown does
    COMPLETING = "completing"  # cash in: the payment completes to the entered account


@dataclass(frozen=True, slots=True)
class ReturnedNote:
    amount: Money
    reason: str  # a LimitReason value, or "not_accepting"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An immutable picture of the core for the screens and the simulator."""

    state: State
    in_service: bool
    out_of_service_reasons: tuple[str, ...]
    online: bool
    language: Language
    operation_id: str | None = None
    service_id: str | None = None
    account: str | None = None
    inserted: Money = Money(0)
    commission: Money = Money(0)
    credited: Money = Money(0)
    notes: tuple[Money, ...] = ()
    max_more: Money = Money(0)  # what the screen may say: public caps only (decision 016)
    limit_reason: str = "none"
    wallet_full: bool = False  # the wallet's own room takes no note more (never how much)
    enabled_notes: frozenset[int] = field(default_factory=frozenset)
    can_pay: bool = False
    can_cancel: bool = False
    note_in_progress: bool = False
    last_returned: ReturnedNote | None = None
    attention: Attention = Attention.NONE
    attention_deadline: float | None = None
    receipt_number: int | None = None
    receipt_text: str | None = None
    printed: bool | None = None
    printer_state: str | None = None  # None: no printer; see kiosk.payment.PrinterReadiness
    printer_reason: str = ""
    receipt_choice: bool = False  # no receipt can be printed: the customer must choose
    without_receipt: bool = False  # the customer chose to pay without a receipt
    # Once paid: what the ledger answered so far (kiosk.store.lookups PENDING, CREDITED,
    # HELD), and whether the payment was completed below the service minimum (the ledger
    # holds such cash for a refund; the screen and the paper say so at once).
    ledger_status: str = ""
    below_minimum: bool = False
    min_amount: Money = Money(0)
    catalog: Catalog | None = None  # the services offered now (a new one comes between customers)
    # A planned maintenance announced to customers (its start, Unix ms; kiosk/remote.py).
    maintenance_notice_at: int | None = None


def check_move(
    from_state: State, to: State, table: dict[State, frozenset[State]] = ALLOWED
) -> None:
    """Refuse a transition the table does not allow (a bug, never a customer's doing)."""
    if to not in table.get(from_state, frozenset()):
        raise TransitionError(f"{from_state} -> {to} is not allowed")


@dataclass(slots=True)
class LiveSession:
    """The open session, owned by the core thread."""

    operation_id: str
    service: Service
    language: Language
    state: State
    last_activity: float
    account: str | None = None
    headroom: AccountHeadroom | None = None
    check: CheckResult | None = None
    offline: bool = True
    notes: list[int] = field(default_factory=list)
    pending_order: OpenOrder | None = None
    last_returned: ReturnedNote | None = None
    attention: Attention = Attention.NONE
    attention_deadline: float | None = None
    done_at: float | None = None
    completion: str = "customer"
    completed: CompletedPayment | None = None
    without_receipt: bool = False  # the customer agreed to pay with no receipt printable
    ledger_status: str = ""  # once paid: the ledger's answer so far (kiosk.store.lookups)

    @property
    def inserted(self) -> Money:
        return Money(sum(self.notes))

    @property
    def holds_cash(self) -> bool:
        """Notes journaled or one on its way: the session can only end in a payment."""
        return bool(self.notes) or self.pending_order is not None


class SessionSlot:
    """The one open session (or none) and the only way its state changes: every move is
    checked against ``ALLOWED`` here, recorded when it is stored, and only then made."""

    def __init__(
        self, records: Records, clock: Clock, on_store_error: Callable[[StoreError], None]
    ) -> None:
        self.records = records
        self.clock = clock
        self.on_store_error = on_store_error  # the store failed: the kiosk goes out of service
        self.live: LiveSession | None = None

    def open(self, live: LiveSession) -> None:
        """A new session (its first row is already stored by the caller)."""
        check_move(State.IDLE, live.state)
        self.live = live

    def close(self) -> None:
        self.live = None

    def move(
        self, live: LiveSession, to: State, detail: str | None = None, **columns: object
    ) -> None:
        """Record the transition (with the session columns that change with it), then make
        it; a store that cannot write leaves the state as it was."""
        check_move(live.state, to)
        try:
            self.records.transition(
                live.operation_id,
                live.state.value,
                to.value,
                int(self.clock.now() * 1000),
                detail,
                **columns,
            )
        except StoreError as exc:
            self.on_store_error(exc)
            raise
        live.state = to

    def advance(self, live: LiveSession, to: State) -> None:
        """A transition whose row is written by the payment's own transaction (to paying
        and to receipt): checked here, stored there."""
        check_move(live.state, to)
        live.state = to

    def require(self, *states: State) -> LiveSession:
        live = self.live
        if live is None or live.state not in states:
            current = live.state if live else State.IDLE
            raise TransitionError(f"not allowed in state {current}")
        return live

    def taking_cash(self) -> bool:
        """A customer's cash is being taken or paid: no technician's work now."""
        live = self.live
        return live is not None and live.state in (State.ACCEPTING, State.PAYING)


class Screens:
    """Who hears of a new snapshot; the core names where snapshots come from."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Snapshot], None]] = []
        self._source: Callable[[], Snapshot] | None = None

    def bind(self, source: Callable[[], Snapshot]) -> None:
        self._source = source

    def subscribe(self, callback: Callable[[Snapshot], None]) -> None:
        self._subscribers.append(callback)

    def publish(self) -> None:
        if self._subscribers and self._source is not None:
            snap = self._source()
            for callback in self._subscribers:
                callback(snap)
