"""The kiosk's local records. Money is integer tiyn; times are integer Unix milliseconds.

Nothing here is ever deleted automatically: money records are kept five years (offer §7.2.12).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Counter(Base):
    """Per-terminal sequences (receipt numbers, outbox order), advanced inside the money
    transaction so a rolled-back payment never consumes a number."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False)


class SessionRecord(Base):
    """One customer's payment session; the operation id exists from the first touch."""

    __tablename__ = "sessions"
    operation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    opened_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    state: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    service_id: Mapped[str | None] = mapped_column(String(32))
    account: Mapped[str | None] = mapped_column(String(32))
    offline: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    wallet_status: Mapped[str | None] = mapped_column(String(16))
    balance_room: Mapped[int | None] = mapped_column(BigInteger)
    daily_room: Mapped[int | None] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger)
    outcome: Mapped[str | None] = mapped_column(String(16))


class Transition(Base):
    """Every state change of a session, in order."""

    __tablename__ = "session_transitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operation_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.operation_id"), nullable=False, index=True
    )
    at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    from_state: Mapped[str] = mapped_column(String(24), nullable=False)
    to_state: Mapped[str] = mapped_column(String(24), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text)


class StackOrder(Base):
    """A STACK the core ordered for an escrowed note, committed before the command is sent.

    Resolution: ``stacked`` (a cash journal row exists), ``returned`` (the device gave it
    back), or ``unresolved`` (after a crash the device said nothing: count at collection).
    """

    __tablename__ = "stack_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operation_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.operation_id"), nullable=False, index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    bill_type: Mapped[int] = mapped_column(Integer, nullable=False)
    ordered_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    resolution: Mapped[str | None] = mapped_column(String(16), index=True)
    resolved_at: Mapped[int | None] = mapped_column(BigInteger)


class CashEntry(Base):
    """One stacked note: the cash journal. Exactly one row per note in the cassette."""

    __tablename__ = "cash_journal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    operation_id: Mapped[str | None] = mapped_column(
        ForeignKey("sessions.operation_id"), index=True
    )
    stack_order_id: Mapped[int | None] = mapped_column(ForeignKey("stack_orders.id"), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    bill_type: Mapped[int] = mapped_column(Integer, nullable=False)
    stacked_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    encashment_id: Mapped[int | None] = mapped_column(ForeignKey("encashments.id"), index=True)


class Payment(Base):
    __tablename__ = "payments"
    operation_id: Mapped[str] = mapped_column(ForeignKey("sessions.operation_id"), primary_key=True)
    local_seq: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True)
    receipt_number: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True)
    service_id: Mapped[str] = mapped_column(String(32), nullable=False)
    account: Mapped[str] = mapped_column(String(32), nullable=False)
    inserted: Mapped[int] = mapped_column(BigInteger, nullable=False)
    commission: Mapped[int] = mapped_column(BigInteger, nullable=False)
    credited: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False, default="KZT")
    created_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    completion: Mapped[str] = mapped_column(String(16), nullable=False)
    offline: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recovered: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Receipt(Base):
    """The receipt's data and text, stored with the payment so it can always be reprinted."""

    __tablename__ = "receipts"
    receipt_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    operation_id: Mapped[str] = mapped_column(
        ForeignKey("payments.operation_id"), nullable=False, unique=True
    )
    language: Mapped[str] = mapped_column(String(2), nullable=False)
    fields: Mapped[str] = mapped_column(Text, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    print_started_at: Mapped[int | None] = mapped_column(BigInteger)
    printed_at: Mapped[int | None] = mapped_column(BigInteger)
    print_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboxItem(Base):
    """What waits to be forwarded to the ledger; the body is sent byte-identical on retry."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("kind", "ref"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    ref: Mapped[str] = mapped_column(String(64), nullable=False)
    local_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    body: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    created_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    leased_until: Mapped[int | None] = mapped_column(BigInteger)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sent_at: Mapped[int | None] = mapped_column(BigInteger, index=True)
    result: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)


class Encashment(Base):
    """A cash collection: every journal row since the previous one is assigned to it."""

    __tablename__ = "encashments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    period_start: Mapped[int | None] = mapped_column(BigInteger)
    cassette_id: Mapped[str] = mapped_column(String(32), nullable=False)
    technician_id: Mapped[str] = mapped_column(String(32), nullable=False)
    notes: Mapped[int] = mapped_column(Integer, nullable=False)
    total: Mapped[int] = mapped_column(BigInteger, nullable=False)
    counts: Mapped[str] = mapped_column(Text, nullable=False)


class DeviceEvent(Base):
    __tablename__ = "device_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    device: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text)


class RemoteCommandRecord(Base):
    """A command from the ledger (revision 0002; kiosk/remote.py RemoteControl), kept under
    the ledger's id so a command carried twice is stored and applied once. ``acknowledged``:
    the ledger has recorded this kiosk's acknowledgement; ``done_at``: it took effect here;
    ``done_reported``: the ledger has recorded that too."""

    __tablename__ = "remote_commands"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    starts_at: Mapped[int | None] = mapped_column(BigInteger)
    ends_at: Mapped[int | None] = mapped_column(BigInteger)
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    acknowledged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    done_at: Mapped[int | None] = mapped_column(BigInteger)
    done_reported: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
