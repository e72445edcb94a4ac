"""Start-up recovery: finish every session a crash or power cut interrupted.

Runs after the bill acceptor has started (its start-up poll delivers any stacked report
the device still holds, which resolves open STACK orders first). Then:
* an open STACK order the device said nothing about is marked ``unresolved`` and logged
  for the cash count at collection — never credited on a guess;
* a session with cash and no payment is paid to its entered account, marked recovered;
* a session whose payment committed is closed, its receipt printed if it never was (as a
  duplicate when printing had started);
* a session without cash is closed as abandoned.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from kiosk.domain.logfmt import log_event
from kiosk.domain.money import LANGUAGES, Language
from kiosk.payment import PaymentDesk
from kiosk.session import State, TransitionError, check_move
from kiosk.store.records import Records

log = logging.getLogger("kiosk.recovery")


@dataclass
class RecoveryReport:
    paid: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)
    unresolved_orders: list[int] = field(default_factory=list)
    printed: list[int] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.paid or self.closed or self.abandoned or self.unresolved_orders)


def recover(records: Records, desk: PaymentDesk, now_ms: int) -> RecoveryReport:
    report = RecoveryReport()
    for order in records.open_orders():
        records.resolve_order(order.id, "unresolved", now_ms)
        records.device_event(
            now_ms,
            "validator",
            "unresolved_stack",
            json.dumps(
                {
                    "order": order.id,
                    "operation_id": order.operation_id,
                    "amount": order.amount,
                    "action": "count at collection",
                }
            ),
        )
        log_event(
            log,
            "stack order unresolved after restart",
            logging.WARNING,
            operation_id=order.operation_id,
            amount=order.amount,
        )
        report.unresolved_orders.append(order.id)

    for session in records.interrupted_sessions():
        operation_id = session.operation_id
        language: Language = session.language if session.language in LANGUAGES else "ru"
        payment = records.payment_of(operation_id)
        if payment is not None:
            receipt = records.receipt_of(operation_id)
            if receipt is not None and receipt.printed_at is None:
                if desk.print(receipt, duplicate=receipt.print_started_at is not None):
                    report.printed.append(receipt.receipt_number)
            _close(
                records,
                operation_id,
                session.state,
                State.DONE,
                now_ms,
                "recovered",
                outcome="paid",
            )
            report.closed.append(operation_id)
            continue
        notes = records.session_notes(operation_id)
        if not notes:
            _close(
                records,
                operation_id,
                session.state,
                State.CANCELLED,
                now_ms,
                "interrupted without cash",
                outcome="abandoned",
            )
            report.abandoned.append(operation_id)
            continue
        if session.service_id is None or session.account is None:
            # Cannot happen through the state machine; keep the cash visible, never drop it.
            records.device_event(now_ms, "core", "cash_without_account", operation_id)
            continue
        done = desk.complete(
            operation_id,
            session.service_id,
            session.account,
            language,
            completion="recovery",
            offline=session.offline,
            recovered=True,
            from_state=session.state,
        )
        _close(
            records,
            operation_id,
            State.RECEIPT,
            State.DONE,
            now_ms,
            "recovered",
            outcome="recovered",
        )
        if done.printed:
            report.printed.append(done.receipt_number)
        log_event(
            log,
            "interrupted payment completed",
            logging.WARNING,
            operation_id=operation_id,
            receipt_number=done.receipt_number,
            inserted=sum(notes),
        )
        report.paid.append(operation_id)
    return report


def _close(
    records: Records,
    operation_id: str,
    stored: str,
    to: State,
    at: int,
    detail: str,
    **columns: object,
) -> None:
    """Close an interrupted session by a move of ``ALLOWED``. The money facts (a payment, the
    journaled notes) decide how it closes; a stored state that the table says cannot lead
    there means the database was changed outside the kiosk: the session is still closed as
    the money says (never left half-open, never stopping the start), and the contradiction is
    logged and kept as a device event for the payment agent."""
    try:
        check_move(State(stored), to)
    except (ValueError, TransitionError) as exc:
        log_event(
            log,
            "stored session state contradicts its money",
            logging.ERROR,
            operation_id=operation_id,
            stored=stored,
            to=to.value,
            error=str(exc),
        )
        records.device_event(
            at,
            "core",
            "impossible_session_state",
            json.dumps({"operation_id": operation_id, "stored": stored, "closed_as": to.value}),
        )
    records.transition(operation_id, stored, to.value, at, detail, **columns)
