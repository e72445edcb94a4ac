"""The kiosk's writes and reads, one explicit transaction each.

Every function that records money commits before it returns; the caller acknowledges a
device or prints only after that. Sequences (receipt number, local_seq) advance inside the
payment transaction, so a rollback never leaves a gap and a crash never repeats a number.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.domain.clock import iso_utc
from kiosk.store.db import Store
from kiosk.store.models import (
    CashEntry,
    Counter,
    DeviceEvent,
    Encashment,
    OutboxItem,
    Payment,
    Receipt,
    SessionRecord,
    StackOrder,
    Transition,
)

OPEN_STATES = (
    "service_chosen",
    "account_entered",
    "account_checked",
    "accepting",
    "paying",
    "receipt",
)


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    """Everything the payment transaction writes, computed before it starts."""

    operation_id: str
    service_id: str
    account: str
    inserted: int
    commission: int
    credited: int
    created_at: int
    completion: str  # customer | timeout | recovery
    offline: bool
    recovered: bool
    language: str
    from_state: str = "paying"  # "accepting": the move to paying is part of this transaction


@dataclass(frozen=True, slots=True)
class CommittedPayment:
    receipt_number: int
    local_seq: int


@dataclass(frozen=True, slots=True)
class OutboxStats:
    count: int
    amount: int
    oldest_created_at: int | None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One outbox row as the technician's listing shows it (the account still unmasked:
    the caller masks it before printing)."""

    id: int
    kind: str  # payment | encashment | device_event
    ref: str  # the operation id, the encashment id or the device event id
    state: str  # waiting | refused | conflict
    amount: int
    account: str | None
    created_at: int
    attempts: int
    last_error: str | None


@dataclass(frozen=True, slots=True)
class OpenOrder:
    id: int
    operation_id: str
    amount: int
    bill_type: int


NUMBERING_SETTLED = "numbering_settled"  # a counter row: the ledger confirmed where to go on


DATABASE_ID = "database_id"  # a counter row: this database's random identity


def _database_id(session: Session) -> str:
    """This database's identity (made at its first report): the ids of its device events and
    encashments carry it, so a reinstalled kiosk, counting from 1 again, cannot reuse one."""
    counter = session.get(Counter, DATABASE_ID)
    if counter is None:
        counter = Counter(name=DATABASE_ID, value=secrets.randbits(32))
        session.add(counter)
        session.flush()
    return f"{counter.value:08x}"


def encashment_ref(database_id: str, terminal_id: str, local_id: int) -> str:
    """The ledger's id of an encashment (printed on its receipt)."""
    return f"{terminal_id}-{database_id}-{local_id}"


def _next(session: object, name: str) -> int:
    value = session.execute(  # type: ignore[attr-defined]
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    ).scalar_one()
    return int(value)


class Records:
    """Typed access to the store for the core (on the core's own thread)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # sessions -------------------------------------------------------------------------
    def open_session(self, operation_id: str, at: int, language: str, service_id: str) -> None:
        with self.store.transaction() as s:
            s.add(
                SessionRecord(
                    operation_id=operation_id,
                    opened_at=at,
                    state="service_chosen",
                    language=language,
                    service_id=service_id,
                )
            )
            s.add(
                Transition(
                    operation_id=operation_id,
                    at=at,
                    from_state="idle",
                    to_state="service_chosen",
                    detail=service_id,
                )
            )

    def transition(
        self,
        operation_id: str,
        from_state: str,
        to_state: str,
        at: int,
        detail: str | None = None,
        **columns: object,
    ) -> None:
        """Store a state change (and any session columns that change with it)."""
        with self.store.transaction() as s:
            values: dict[str, object] = {"state": to_state, **columns}
            if to_state in ("done", "cancelled"):
                values["closed_at"] = at
            s.execute(
                update(SessionRecord)
                .where(SessionRecord.operation_id == operation_id)
                .values(**values)
            )
            s.add(
                Transition(
                    operation_id=operation_id,
                    at=at,
                    from_state=from_state,
                    to_state=to_state,
                    detail=detail,
                )
            )

    def interrupted_sessions(self) -> list[SessionRecord]:
        with self.store.reading() as s:
            rows = s.scalars(
                select(SessionRecord)
                .where(SessionRecord.state.in_(OPEN_STATES))
                .order_by(SessionRecord.opened_at)
            )
            return list(rows)

    # cash -----------------------------------------------------------------------------
    def order_stack(self, operation_id: str, amount: int, bill_type: int, at: int) -> int:
        """Record the STACK about to be sent. The device holds one note at a time and reports
        each before it takes the next, so any order still open now went unreported: it is
        closed as ``unresolved`` (for the cash count) in the same transaction."""
        with self.store.transaction() as s:
            s.execute(
                update(StackOrder)
                .where(StackOrder.resolution.is_(None))
                .values(resolution="unresolved", resolved_at=at)
            )
            order = StackOrder(
                operation_id=operation_id, amount=amount, bill_type=bill_type, ordered_at=at
            )
            s.add(order)
            s.flush()
            return order.id

    def record_stacked(self, order_id: int, amount: int, bill_type: int, at: int) -> bool:
        """Journal the note a STACK order put in the cassette. Idempotent per order:
        returns False (and writes nothing) when that order was already journaled."""
        with self.store.transaction() as s:
            order = s.get(StackOrder, order_id)
            if order is None:
                raise KeyError(f"no stack order {order_id}")
            if order.resolution == "stacked":
                return False
            order.resolution = "stacked"
            order.resolved_at = at
            s.add(
                CashEntry(
                    operation_id=order.operation_id,
                    stack_order_id=order_id,
                    amount=amount,
                    bill_type=bill_type,
                    stacked_at=at,
                    source="stacked",
                )
            )
            return True

    def session_row(self, operation_id: str) -> SessionRecord:
        with self.store.reading() as s:
            row = s.get(SessionRecord, operation_id)
            if row is None:
                raise KeyError(f"no session {operation_id}")
            return row

    def session_closed(self, operation_id: str) -> bool:
        """True once the session can take no more cash (paid, cancelled or abandoned)."""
        with self.store.reading() as s:
            state = s.scalar(
                select(SessionRecord.state).where(SessionRecord.operation_id == operation_id)
            )
            return state in ("receipt", "done", "cancelled")

    def record_late_note(
        self, order_id: int, amount: int, bill_type: int, at: int, new_operation_id: str
    ) -> bool:
        """A note the device reported stacked after its session had ended: journal it under a
        new session for the same account (state ``paying``, to be paid at once; recovery
        pays it if the process dies first). Idempotent per order like record_stacked."""
        with self.store.transaction() as s:
            order = s.get(StackOrder, order_id)
            if order is None:
                raise KeyError(f"no stack order {order_id}")
            if order.resolution == "stacked":
                return False
            old = s.get(SessionRecord, order.operation_id)
            if old is None:
                raise KeyError(f"no session {order.operation_id}")
            order.resolution = "stacked"
            order.resolved_at = at
            s.add(
                SessionRecord(
                    operation_id=new_operation_id,
                    opened_at=at,
                    state="paying",
                    language=old.language,
                    service_id=old.service_id,
                    account=old.account,
                    offline=old.offline,
                )
            )
            s.add(
                Transition(
                    operation_id=new_operation_id,
                    at=at,
                    from_state="idle",
                    to_state="paying",
                    detail=f"late note of {old.operation_id}",
                )
            )
            s.flush()
            s.add(
                CashEntry(
                    operation_id=new_operation_id,
                    stack_order_id=order_id,
                    amount=amount,
                    bill_type=bill_type,
                    stacked_at=at,
                    source="late",
                )
            )
            return True

    def resolve_order(self, order_id: int, resolution: str, at: int) -> None:
        with self.store.transaction() as s:
            s.execute(
                update(StackOrder)
                .where(StackOrder.id == order_id, StackOrder.resolution.is_(None))
                .values(resolution=resolution, resolved_at=at)
            )

    def open_orders(self) -> list[OpenOrder]:
        with self.store.reading() as s:
            rows = s.scalars(
                select(StackOrder).where(StackOrder.resolution.is_(None)).order_by(StackOrder.id)
            )
            return [OpenOrder(r.id, r.operation_id, r.amount, r.bill_type) for r in rows]

    def session_notes(self, operation_id: str) -> list[int]:
        with self.store.reading() as s:
            rows = s.scalars(
                select(CashEntry.amount)
                .where(CashEntry.operation_id == operation_id)
                .order_by(CashEntry.id)
            )
            return list(rows)

    # payments -------------------------------------------------------------------------
    def commit_payment(
        self,
        draft: PaymentDraft,
        receipt_for: Callable[[int], tuple[str, str]],
        body_for: Callable[[int, int], bytes],
        before_commit: Callable[[], None] = lambda: None,
    ) -> CommittedPayment:
        """One transaction: payment, its receipt, its outbox row, and the session's move to
        ``receipt`` (through ``paying`` when the draft starts from ``accepting``).
        ``receipt_for(number)`` gives (fields JSON, text); ``body_for(number, seq)`` the exact
        bytes the ledger will receive."""
        with self.store.transaction() as s:
            receipt_number = _next(s, "receipt_number")
            local_seq = _next(s, "local_seq")
            s.add(
                Payment(
                    operation_id=draft.operation_id,
                    local_seq=local_seq,
                    receipt_number=receipt_number,
                    service_id=draft.service_id,
                    account=draft.account,
                    inserted=draft.inserted,
                    commission=draft.commission,
                    credited=draft.credited,
                    currency="KZT",
                    created_at=draft.created_at,
                    completion=draft.completion,
                    offline=draft.offline,
                    recovered=draft.recovered,
                )
            )
            s.flush()
            fields_json, text = receipt_for(receipt_number)
            s.add(
                Receipt(
                    receipt_number=receipt_number,
                    operation_id=draft.operation_id,
                    language=draft.language,
                    fields=fields_json,
                    text=text,
                )
            )
            s.add(
                OutboxItem(
                    kind="payment",
                    ref=draft.operation_id,
                    local_seq=local_seq,
                    body=body_for(receipt_number, local_seq),
                    amount=draft.inserted,
                    created_at=draft.created_at,
                )
            )
            s.execute(
                update(SessionRecord)
                .where(SessionRecord.operation_id == draft.operation_id)
                .values(state="receipt")
            )
            if draft.from_state == "accepting":
                s.add(
                    Transition(
                        operation_id=draft.operation_id,
                        at=draft.created_at,
                        from_state="accepting",
                        to_state="paying",
                        detail=draft.completion,
                    )
                )
            s.add(
                Transition(
                    operation_id=draft.operation_id,
                    at=draft.created_at,
                    from_state="paying",
                    to_state="receipt",
                    detail=draft.completion,
                )
            )
            before_commit()
        return CommittedPayment(receipt_number, local_seq)

    def payment_ids(self) -> list[str]:
        with self.store.reading() as s:
            return list(s.scalars(select(Payment.operation_id).order_by(Payment.local_seq)))

    def payment_of(self, operation_id: str) -> Payment | None:
        with self.store.reading() as s:
            return s.get(Payment, operation_id)

    def receipt_of(self, operation_id: str) -> Receipt | None:
        with self.store.reading() as s:
            return s.scalars(select(Receipt).where(Receipt.operation_id == operation_id)).first()

    def unprinted_receipts(self) -> list[Receipt]:
        with self.store.reading() as s:
            return list(
                s.scalars(
                    select(Receipt)
                    .where(Receipt.printed_at.is_(None))
                    .order_by(Receipt.receipt_number)
                )
            )

    def mark_print(
        self,
        receipt_number: int,
        at: int,
        *,
        started: bool = False,
        printed: bool = False,
        error: str | None = None,
    ) -> None:
        with self.store.transaction() as s:
            receipt = s.get(Receipt, receipt_number)
            if receipt is None:
                raise KeyError(f"no receipt {receipt_number}")
            if started:
                receipt.print_started_at = at
            if printed:
                receipt.printed_at = at
                receipt.print_count += 1
                receipt.last_error = None
            if error is not None:
                receipt.last_error = error

    # outbox ---------------------------------------------------------------------------
    def outbox_stats(self) -> OutboxStats:
        with self.store.reading() as s:
            count, amount, oldest = s.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(OutboxItem.amount), 0),
                    func.min(OutboxItem.created_at),
                ).where(OutboxItem.sent_at.is_(None), OutboxItem.kind == "payment")
            ).one()
            return OutboxStats(int(count), int(amount), oldest)

    def outbox_entries(self) -> list[OutboxEntry]:
        """What waits to be sent, and what the ledger refused or holds other content for, in
        the order the worker sends them (payments by local_seq, then the rest by id)."""
        with self.store.reading() as s:
            rows = s.execute(
                select(OutboxItem, Payment.account)
                .outerjoin(
                    Payment,
                    (OutboxItem.kind == "payment") & (Payment.operation_id == OutboxItem.ref),
                )
                .where(
                    ((OutboxItem.sent_at.is_(None)) & (OutboxItem.result.is_(None)))
                    | OutboxItem.result.in_(("refused", "conflict"))
                )
                .order_by(OutboxItem.local_seq.is_(None), OutboxItem.local_seq, OutboxItem.id)
            ).all()
            return [
                OutboxEntry(
                    item.id,
                    item.kind,
                    item.ref,
                    item.result or "waiting",
                    item.amount,
                    account,
                    item.created_at,
                    item.attempts,
                    item.last_error,
                )
                for item, account in rows
            ]

    def requeue_refused(self, kind: str | None = None, ref: str | None = None) -> list[str]:
        """Put refused rows back in the queue (all of them, or the one of ``kind``/``ref``):
        the worker sends them again as the same bytes; the ledger's exactly-once by
        operation id makes that safe. Returns the refs put back."""
        with self.store.transaction() as s:
            query = select(OutboxItem).where(OutboxItem.result == "refused")
            if kind is not None:
                query = query.where(OutboxItem.kind == kind)
            if ref is not None:
                query = query.where(OutboxItem.ref == ref)
            rows = list(s.scalars(query))
            s.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_([row.id for row in rows]))
                .values(result=None, sent_at=None, leased_until=None)
            )
            return [row.ref for row in rows]

    # encashment -----------------------------------------------------------------------
    def encash(self, at: int, cassette_id: str, technician_id: str, terminal_id: str) -> Encashment:
        """Assign every note not yet collected to a new encashment, in one transaction."""
        with self.store.transaction() as s:
            rows = s.execute(
                select(CashEntry.amount, CashEntry.stacked_at).where(
                    CashEntry.encashment_id.is_(None)
                )
            ).all()
            counts: dict[int, int] = {}
            for amount, _ in rows:
                counts[amount] = counts.get(amount, 0) + 1
            previous = s.scalar(select(func.max(Encashment.at)))
            encashment = Encashment(
                at=at,
                period_start=previous
                if previous is not None
                else (min(r[1] for r in rows) if rows else at),
                cassette_id=cassette_id,
                technician_id=technician_id,
                notes=len(rows),
                total=sum(r[0] for r in rows),
                counts=json.dumps({str(k): v for k, v in sorted(counts.items())}),
            )
            s.add(encashment)
            s.flush()
            s.execute(
                update(CashEntry)
                .where(CashEntry.encashment_id.is_(None))
                .values(encashment_id=encashment.id)
            )
            reference = encashment_ref(_database_id(s), terminal_id, encashment.id)
            report = {
                "encashment_id": reference,
                "at": iso_utc(at / 1000),
                "cassette_id": cassette_id,
                "technician_id": technician_id,
                "notes": len(rows),
                "total": encashment.total,
                "counts": json.loads(encashment.counts),
            }
            s.add(
                OutboxItem(
                    kind="encashment",
                    ref=str(encashment.id),
                    body=json.dumps(report, sort_keys=True, separators=(",", ":")).encode(),
                    created_at=at,
                )
            )
            return encashment

    def encashment_reference(self, terminal_id: str, local_id: int) -> str:
        """The id an encashment of this database was reported to the ledger under."""
        with self.store.reading() as s:
            value = s.scalar(select(Counter.value).where(Counter.name == DATABASE_ID))
        return encashment_ref(f"{int(value or 0):08x}", terminal_id, local_id)

    def encashment_totals(self) -> tuple[int, int, int]:
        """(notes, total) collected over all encashments, and journal rows not yet collected."""
        with self.store.reading() as s:
            notes, total = s.execute(
                select(
                    func.coalesce(func.sum(Encashment.notes), 0),
                    func.coalesce(func.sum(Encashment.total), 0),
                )
            ).one()
            uncollected = s.scalar(select(func.count()).where(CashEntry.encashment_id.is_(None)))
            return int(notes), int(total), int(uncollected or 0)

    # device log -----------------------------------------------------------------------
    def device_event(self, at: int, device: str, kind: str, detail: str | None = None) -> None:
        """Log a device event, and queue it for the ledger in the same transaction."""
        with self.store.transaction() as s:
            event = DeviceEvent(at=at, device=device, kind=kind, detail=detail)
            s.add(event)
            s.flush()
            body = {
                "event_id": f"{_database_id(s)}-{event.id}",
                "at": iso_utc(at / 1000),
                "device": device,
                "kind": kind[:32],
                "detail": detail[:1000] if detail else None,
            }
            s.add(
                OutboxItem(
                    kind="device_event",
                    ref=str(event.id),
                    created_at=at,
                    body=json.dumps(body, sort_keys=True, separators=(",", ":")).encode(),
                )
            )

    def numbering_settled(self) -> bool:
        """Receipt numbers of this database cannot clash with the ledger's: it has issued
        receipts of its own, or it learnt the ledger's highest number (``continue_numbering``)."""
        with self.store.reading() as s:
            values = {
                c.name: c.value
                for c in s.scalars(
                    select(Counter).where(Counter.name.in_(("receipt_number", NUMBERING_SETTLED)))
                )
            }
        return NUMBERING_SETTLED in values or values.get("receipt_number", 0) > 0

    def continue_numbering(self, highest_receipt: int, highest_local_seq: int) -> None:
        """A new database on a terminal the ledger knows: continue after the ledger's
        highest receipt number and operation sequence (never lower a counter)."""
        with self.store.transaction() as s:
            for name, floor in (
                ("receipt_number", highest_receipt),
                ("local_seq", highest_local_seq),
            ):
                s.execute(
                    update(Counter)
                    .where(Counter.name == name, Counter.value < floor)
                    .values(value=floor)
                )
            if s.get(Counter, NUMBERING_SETTLED) is None:
                s.add(Counter(name=NUMBERING_SETTLED, value=1))

    def counters(self) -> dict[str, int]:
        with self.store.reading() as s:
            return {c.name: c.value for c in s.scalars(select(Counter))}


def notes_summary(amounts: Sequence[int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for amount in amounts:
        out[str(amount)] = out.get(str(amount), 0) + 1
    return out
