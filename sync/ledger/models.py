"""The ledger's tables (its own metadata, separate from the kiosk store).

Money is integer tiyn; ``*_at`` integers are Unix milliseconds at the ledger. Nothing is
deleted: operation records are kept five years (offer §7.2.12). The one exception is
:class:`SeenRequest`, a guard against replays and no record: its rows are pruned.

Double entry: every movement of money is one :class:`Transfer` that debits one
:class:`LedgerAccount` and credits another by the same positive amount; each account keeps
its posted totals so the audit can compare them with the transfers.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class LedgerBase(DeclarativeBase):
    pass


class Terminal(LedgerBase):
    """A kiosk allowed to post payments; the secret is kept because HMAC needs it.

    Since revision 0007 secrets are sealed (:mod:`sync.ledger.sealing`); after a rotation
    the previous secret still signs until ``previous_until`` (Unix ms). ``active`` false: a
    disabled terminal, refused (401)."""

    __tablename__ = "terminals"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    secret: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    previous_secret: Mapped[str | None] = mapped_column(Text)
    previous_until: Mapped[int | None] = mapped_column(BigInteger)


class LedgerAccount(LedgerBase):
    """One account of the double-entry books.

    ``key`` names it: ``wallet:<service>:<account>``, ``cash:<terminal>``, ``commission``,
    ``suspense``, ``collected``.
    """

    __tablename__ = "ledger_accounts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(96), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    debits_posted: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    credits_posted: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class Wallet(LedgerBase):
    """A wallet at its operator: identification status, state, balance and today's turnover."""

    __tablename__ = "wallets"
    __table_args__ = (UniqueConstraint("service", "account", name="uq_wallets_service_account"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    service: Mapped[str] = mapped_column(String(32), nullable=False)
    account: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # minimal/basic/professional
    state: Mapped[str] = mapped_column(String(16), nullable=False)  # active/inactive/blocked
    holder: Mapped[str | None] = mapped_column(String(128))
    balance: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    turnover_day: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    day_turnover: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class Payment(LedgerBase):
    """One kiosk payment, stored once under its operation id with the first answer given."""

    __tablename__ = "payments"
    __table_args__ = (
        # One payment per receipt number of a terminal (receipt_copy: see migration 0004).
        Index(
            "uq_payments_terminal_receipt",
            "terminal_id",
            "receipt_number",
            "receipt_copy",
            unique=True,
        ),
        Index("ix_payments_terminal_seq", "terminal_id", "local_seq"),
        # The back office's searches (migration 0011).
        Index("ix_payments_account_created", "account", "created_at"),
        Index("ix_payments_inserted_created", "inserted", "created_at"),
        Index("ix_payments_created", "created_at"),
        Index("ix_payments_status_received", "status", "received_at"),
    )
    operation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(32), nullable=False)
    local_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    receipt_number: Mapped[int] = mapped_column(BigInteger, nullable=False)
    service: Mapped[str] = mapped_column(String(32), nullable=False)
    account: Mapped[str] = mapped_column(String(32), nullable=False)
    inserted: Mapped[int] = mapped_column(BigInteger, nullable=False)
    commission: Mapped[int] = mapped_column(BigInteger, nullable=False)
    credited: Mapped[int] = mapped_column(BigInteger, nullable=False)
    currency: Mapped[str] = mapped_column(String(3), nullable=False)
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False)  # JSON list of note amounts
    offline: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recovered: Mapped[bool] = mapped_column(Boolean, nullable=False)
    completion: Mapped[str] = mapped_column(String(16), nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # completed / rejected
    code: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    batch_id: Mapped[str] = mapped_column(String(32), nullable=False)  # the request that stored it
    # 0 for every payment since revision 0004; n > 0 only for the n-th payment that reused a
    # receipt number before the ledger refused that.
    receipt_copy: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    # Revision 0006: the catalog version the kiosk named (NULL: none named) and, for a
    # rejected payment, the check it failed (sync.ledger.checks; NULL before 0006).
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    fault: Mapped[str | None] = mapped_column(String(32))


class Transfer(LedgerBase):
    """One balanced movement: ``amount`` debited to one account and credited to another."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_transfers_amount_positive"),
        CheckConstraint("debit_account_id <> credit_account_id", name="ck_transfers_two_accounts"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    operation_id: Mapped[str | None] = mapped_column(
        ForeignKey("payments.operation_id"), index=True
    )
    encashment_id: Mapped[int | None] = mapped_column(ForeignKey("encashments.id"))
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    debit_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), nullable=False)
    credit_account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), nullable=False)
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    posted_at: Mapped[int] = mapped_column(BigInteger, nullable=False)


class Heartbeat(LedgerBase):
    """The latest heartbeat of each terminal (by the kiosk's ``at``: an older one arriving
    late is ignored). Columns of 0003 are NULL for kiosks that do not send them."""

    __tablename__ = "heartbeats"
    terminal_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    received_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    software_version: Mapped[str] = mapped_column(String(64), nullable=False)
    queue_depth: Mapped[int] = mapped_column(Integer, nullable=False)
    queue_amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    oldest_age_s: Mapped[int | None] = mapped_column(BigInteger)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # the whole report as JSON
    reported_at: Mapped[int | None] = mapped_column(BigInteger)  # ``at``, Unix ms (kiosk clock)
    uptime_s: Mapped[int | None] = mapped_column(BigInteger)
    cassette_notes: Mapped[int | None] = mapped_column(Integer)
    cassette_amount: Mapped[int | None] = mapped_column(BigInteger)
    last_payment_at: Mapped[str | None] = mapped_column(String(40))
    free_disk_bytes: Mapped[int | None] = mapped_column(BigInteger)


class Encashment(LedgerBase):
    """A cash collection reported by a terminal, stored once per terminal and report id."""

    __tablename__ = "encashments"
    __table_args__ = (
        UniqueConstraint("terminal_id", "encashment_id", name="uq_encashments_terminal_report"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(32), nullable=False)
    encashment_id: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[str] = mapped_column(String(40), nullable=False)
    cassette_id: Mapped[str] = mapped_column(String(32), nullable=False)
    technician_id: Mapped[str] = mapped_column(String(32), nullable=False)
    notes: Mapped[int] = mapped_column(Integer, nullable=False)
    total: Mapped[int] = mapped_column(BigInteger, nullable=False)
    counts: Mapped[str] = mapped_column(Text, nullable=False)
    expected: Mapped[int] = mapped_column(BigInteger, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    received_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Revision 0006: the notes of the terminal's payments since its previous encashment
    # (by the kiosk's times), as counts and tiyn; NULL for encashments stored before.
    counted_notes: Mapped[int | None] = mapped_column(Integer)
    counted_total: Mapped[int | None] = mapped_column(BigInteger)
    counted_counts: Mapped[str | None] = mapped_column(Text)


class DeviceEvent(LedgerBase):
    """A device fault or state change reported by a terminal, stored once per event id."""

    __tablename__ = "device_events"
    __table_args__ = (
        UniqueConstraint("terminal_id", "event_id", name="uq_device_events_terminal_event"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(32), nullable=False)
    event_id: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[str] = mapped_column(String(40), nullable=False)
    device: Mapped[str] = mapped_column(String(32), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    received_at: Mapped[int] = mapped_column(BigInteger, nullable=False)


class SuspenseRelease(LedgerBase):
    """A rejected payment's money moved out of suspense by the back office, once, in full."""

    __tablename__ = "suspense_releases"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    operation_id: Mapped[str] = mapped_column(
        ForeignKey("payments.operation_id"), nullable=False, unique=True
    )
    to_key: Mapped[str] = mapped_column(String(96), nullable=False)  # the account credited
    amount: Mapped[int] = mapped_column(BigInteger, nullable=False)
    released_by: Mapped[str] = mapped_column(String(64), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    released_at: Mapped[int] = mapped_column(BigInteger, nullable=False)


class CatalogVersion(LedgerBase):
    """A catalog the ledger served to kiosks, kept so that a payment priced with it is
    checked against it (revision 0006). One row per content (``etag``); a version served
    with other content later gets a second row."""

    __tablename__ = "catalog_versions"
    etag: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # the file as served (UTF-8)
    first_served_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Revision 0010: a catalog an admin uploaded (``kiosk ledger catalog upload``), who and
    # when; the newest upload is served (sync.ledger.catalogs.newest_upload).
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    uploaded_at: Mapped[int | None] = mapped_column(BigInteger)


class SeenRequest(LedgerBase):
    """A signed request's id as first seen from a terminal (revision 0007): the same id again
    is a replay (sync.ledger.replay). The primary key decides between two deliveries at once;
    rows older than twice the clock window are pruned."""

    __tablename__ = "seen_requests"
    terminal_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)


class ConsoleUser(LedgerBase):
    """A person of the back office (revision 0009). ``password_hash`` names its KDF and the
    KDF's parameters (sync.ledger.users), so they can be raised for new hashes later; a
    disabled user (``active`` false) cannot log in and their sessions end."""

    __tablename__ = "console_users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)  # viewer / operator / admin
    password_hash: Mapped[str] = mapped_column(Text, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    password_changed_at: Mapped[int] = mapped_column(BigInteger, nullable=False)


class ConsoleSession(LedgerBase):
    """A logged-in browser: the cookie's random id is kept only as its SHA-256, so the table
    read by someone else opens no session. Ends when idle or too old (sync.ledger.users)."""

    __tablename__ = "console_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), nullable=False, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    last_seen_at: Mapped[int] = mapped_column(BigInteger, nullable=False)


class LoginAttempt(LedgerBase):
    """One try to log in, good or bad: the lockout counts the bad ones per name and per
    client address since the last good one."""

    __tablename__ = "console_login_attempts"
    __table_args__ = (
        Index("ix_console_login_attempts_name_at", "username", "at"),
        Index("ix_console_login_attempts_address_at", "address", "at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    ok: Mapped[bool] = mapped_column(Boolean, nullable=False)


class ConsoleAction(LedgerBase):
    """Every state-changing action of the back office: who, when, what, on what, why."""

    __tablename__ = "console_actions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[int] = mapped_column(BigInteger, nullable=False, index=True)
    user_name: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    target: Mapped[str] = mapped_column(String(128), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)


class RemoteCommand(LedgerBase):
    """A command for one terminal, carried in its heartbeat answers until acknowledged
    (revision 0010, :mod:`sync.ledger.commands`). ``state``: pending (issued, not yet
    carried), sent, acknowledged (the kiosk has it), done (the kiosk reports it in effect).
    ``issued_by``, ``issued_at`` and ``reason`` are the audit."""

    __tablename__ = "remote_commands"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('lock', 'unlock', 'maintenance', 'catalog')", name="remote_command_kind"
        ),
        CheckConstraint(
            "state IN ('pending', 'sent', 'acknowledged', 'done')", name="remote_command_state"
        ),
        Index("ix_remote_commands_terminal_state", "terminal_id", "state"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(32), ForeignKey("terminals.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    starts_at: Mapped[int | None] = mapped_column(BigInteger)  # maintenance, Unix ms
    ends_at: Mapped[int | None] = mapped_column(BigInteger)  # maintenance, Unix ms; None: open
    catalog_version: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    issued_by: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_at: Mapped[int] = mapped_column(BigInteger, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    sent_at: Mapped[int | None] = mapped_column(BigInteger)
    acknowledged_at: Mapped[int | None] = mapped_column(BigInteger)
    done_at: Mapped[int | None] = mapped_column(BigInteger)
