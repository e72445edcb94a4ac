"""The payment session: states, allowed transitions, and the snapshot the screens read."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kiosk.domain.catalog import Catalog
from kiosk.domain.money import Language, Money
from kiosk.payment import PrinterReadiness


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
    catalog: Catalog | None = None  # the services offered now (a new one comes between customers)
