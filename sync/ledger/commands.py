"""Remote commands for a terminal: lock, unlock, maintenance, catalog (decision record
remote-commands).

A command is issued (by the CLI now, the back-office console later) with who, when and
why: that row is its audit. It is carried in every signed heartbeat answer to its terminal
until the kiosk acknowledges it (its id in a later heartbeat's ``acknowledged``); the kiosk
then reports it ``done`` once it has taken effect. States only move forward: pending →
sent → acknowledged → done; an id reported twice changes nothing the second time.

The functions here take a SQLAlchemy connection inside the caller's transaction;
:class:`~sync.ledger.service.Ledger` wraps them (``issue_command``, ``commands``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiosk.domain.clock import iso_utc
from sync.ledger.models import CatalogVersion, RemoteCommand, Terminal

KINDS = ("lock", "unlock", "maintenance", "catalog")
CARRIED = ("pending", "sent")  # carried in heartbeat answers until acknowledged
MAX_CARRIED = 20  # commands in one answer; the rest follow in later answers
MAX_REASON = 500
MAX_BY = 64


class CommandRefused(ValueError):
    """A command that cannot be issued, with the reason in words."""


@dataclass(frozen=True, slots=True)
class CommandView:
    """One command as an operator sees it (times ISO 8601 UTC)."""

    id: int
    terminal_id: str
    kind: str
    state: str
    reason: str
    issued_by: str
    issued_at: str
    starts_at: str | None = None
    ends_at: str | None = None
    catalog_version: str | None = None
    sent_at: str | None = None
    acknowledged_at: str | None = None
    done_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One line for an operator's terminal."""
        parts = [f"#{self.id}", self.terminal_id, self.kind, self.state]
        if self.starts_at is not None:
            parts.append(f"from {self.starts_at}" + (f" to {self.ends_at}" if self.ends_at else ""))
        if self.catalog_version is not None:
            parts.append(f"catalog {self.catalog_version}")
        parts.append(f"by {self.issued_by} at {self.issued_at}: {self.reason}")
        return "  ".join(parts)


def _iso(ms: int | None) -> str | None:
    return None if ms is None else iso_utc(ms / 1000)


def _view(row: Any) -> CommandView:
    return CommandView(
        id=row.id,
        terminal_id=row.terminal_id,
        kind=row.kind,
        state=row.state,
        reason=row.reason,
        issued_by=row.issued_by,
        issued_at=iso_utc(row.issued_at / 1000),
        starts_at=_iso(row.starts_at),
        ends_at=_iso(row.ends_at),
        catalog_version=row.catalog_version,
        sent_at=_iso(row.sent_at),
        acknowledged_at=_iso(row.acknowledged_at),
        done_at=_iso(row.done_at),
    )


def _check(
    kind: str,
    by: str,
    reason: str,
    starts_at: int | None,
    ends_at: int | None,
    catalog_version: str | None,
) -> None:
    """Refuse a command that names no one, gives no reason or does not fit its kind."""
    if kind not in KINDS:
        raise CommandRefused(f"unknown command {kind!r}: one of {', '.join(KINDS)}")
    if not by.strip() or len(by) > MAX_BY:
        raise CommandRefused(f"--by must name who issues the command (1..{MAX_BY} characters)")
    if not reason.strip() or len(reason) > MAX_REASON:
        raise CommandRefused(f"--reason must say why (1..{MAX_REASON} characters)")
    if kind == "maintenance":
        if starts_at is None:
            raise CommandRefused("a maintenance command needs its start time")
        if ends_at is not None and ends_at <= starts_at:
            raise CommandRefused("the maintenance end must be after its start")
    elif starts_at is not None or ends_at is not None:
        raise CommandRefused(f"a {kind} command takes no start or end time")
    if (kind == "catalog") != (catalog_version is not None):
        raise CommandRefused("a catalog command, and only one, names a catalog version")


def issue(
    connection: Connection,
    terminal_id: str,
    kind: str,
    *,
    by: str,
    reason: str,
    now_ms: int,
    starts_at: int | None = None,
    ends_at: int | None = None,
    catalog_version: str | None = None,
) -> CommandView:
    """Record a command for ``terminal_id`` (pending until a heartbeat answer carries it)."""
    _check(kind, by, reason, starts_at, ends_at, catalog_version)
    if connection.scalar(select(Terminal.id).where(Terminal.id == terminal_id)) is None:
        raise CommandRefused(f"unknown terminal {terminal_id!r}")
    if catalog_version is not None and (
        connection.scalar(
            select(CatalogVersion.etag).where(CatalogVersion.version == catalog_version).limit(1)
        )
        is None
    ):
        raise CommandRefused(f"unknown catalog version {catalog_version!r}: upload it first")
    new_id = connection.execute(
        insert(RemoteCommand)
        .values(
            terminal_id=terminal_id,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            catalog_version=catalog_version,
            reason=reason.strip(),
            issued_by=by.strip(),
            issued_at=now_ms,
            state="pending",
        )
        .returning(RemoteCommand.id)
    ).scalar_one()
    row = connection.execute(select(RemoteCommand).where(RemoteCommand.id == new_id)).one()
    return _view(row)


def listing(
    connection: Connection, terminal_id: str | None = None, limit: int = 200
) -> list[CommandView]:
    """The newest commands first (one terminal's, or every terminal's)."""
    query = select(RemoteCommand).order_by(RemoteCommand.id.desc()).limit(limit)
    if terminal_id is not None:
        query = query.where(RemoteCommand.terminal_id == terminal_id)
    return [_view(row) for row in connection.execute(query)]


def _ids(values: Iterable[int]) -> list[int]:
    return sorted({value for value in values if value > 0})


def record_receipts(
    connection: Connection,
    terminal_id: str,
    acknowledged: Iterable[int],
    done: Iterable[int],
    now_ms: int,
) -> None:
    """What the kiosk's heartbeat says of its commands: only its own commands move, only
    forward (an id reported again changes nothing)."""
    table = RemoteCommand
    acked, finished = _ids(acknowledged), _ids(done)
    if acked:
        connection.execute(
            update(table)
            .where(
                table.terminal_id == terminal_id,
                table.id.in_(acked),
                table.state.in_(CARRIED),
            )
            .values(state="acknowledged", acknowledged_at=now_ms)
        )
    if finished:
        owned = (table.terminal_id == terminal_id, table.id.in_(finished))
        connection.execute(
            update(table)
            .where(*owned, table.acknowledged_at.is_(None))
            .values(acknowledged_at=now_ms)
        )
        connection.execute(
            update(table).where(*owned, table.state != "done").values(state="done", done_at=now_ms)
        )


def carried(connection: Connection, terminal_id: str, now_ms: int) -> list[dict[str, Any]]:
    """The commands a heartbeat answer carries (the oldest unacknowledged first), marked
    sent; as the wire has them (times in Unix ms)."""
    table = RemoteCommand
    rows = connection.execute(
        select(table)
        .where(table.terminal_id == terminal_id, table.state.in_(CARRIED))
        .order_by(table.id)
        .limit(MAX_CARRIED)
    ).all()
    fresh = [row.id for row in rows if row.state == "pending"]
    if fresh:
        connection.execute(
            update(table)
            .where(table.id.in_(fresh), table.state == "pending")
            .values(state="sent", sent_at=now_ms)
        )
    return [
        {
            key: value
            for key, value in {
                "id": row.id,
                "kind": row.kind,
                "starts_at": row.starts_at,
                "ends_at": row.ends_at,
                "catalog_version": row.catalog_version,
            }.items()
            if value is not None
        }
        for row in rows
    ]
