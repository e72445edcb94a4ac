"""The fleet's state: each terminal's latest heartbeat, kept by the kiosk's report time, and
the overview ``kiosk ledger terminals`` prints."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.domain.clock import iso_utc
from kiosk.domain.money import CURRENCY_CODE, Money
from sync.ledger.models import Heartbeat, Terminal
from sync.ledger.schema import HeartbeatIn


def keep_heartbeat(
    connection: Connection, terminal_id: str, report: HeartbeatIn, now_ms: int
) -> bool:
    """Store ``report`` as the terminal's latest heartbeat unless the one kept was reported
    later (a replayed or delayed heartbeat cannot overwrite newer state). True if stored."""
    cassette = report.cassette
    values: dict[str, Any] = {
        "terminal_id": terminal_id,
        "received_at": now_ms,
        "software_version": report.software_version,
        "queue_depth": report.queue.depth,
        "queue_amount": report.queue.amount,
        "oldest_age_s": report.queue.oldest_age_s,
        "body": json.dumps(report.model_dump(), sort_keys=True),
        "reported_at": report.reported_at_ms(),
        "uptime_s": report.uptime_s,
        "cassette_notes": None if cassette is None else cassette.notes,
        "cassette_amount": None if cassette is None else cassette.amount,
        "last_payment_at": report.last_payment_at,
        "free_disk_bytes": report.free_disk_bytes,
    }
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Heartbeat).values(values)
    # One statement decides: no read-then-write race between two deliveries.
    upsert = statement.on_conflict_do_update(
        index_elements=["terminal_id"],
        set_={key: statement.excluded[key] for key in values if key != "terminal_id"},
        where=or_(
            Heartbeat.reported_at.is_(None), Heartbeat.reported_at <= statement.excluded.reported_at
        ),
    ).returning(Heartbeat.terminal_id)
    # RETURNING names only a row inserted or updated (psycopg's rowcount counted the skip).
    return connection.execute(upsert).first() is not None


@dataclass(frozen=True, slots=True)
class TerminalState:
    """One registered terminal as its latest heartbeat describes it (None: not reported)."""

    terminal_id: str
    active: bool
    last_seen: str | None = None  # when the ledger received the latest heartbeat (ISO, UTC)
    reported_at: str | None = None  # that heartbeat's own time, by the kiosk's clock
    software_version: str | None = None
    validator_state: str | None = None
    validator_connected: bool | None = None
    validator_alerts: dict[str, int] = field(default_factory=dict)  # refused replies by kind
    printer_state: str | None = None
    printer_paper: str | None = None
    out_of_service: tuple[str, ...] = ()
    cassette_notes: int | None = None
    cassette_amount: int | None = None  # tiyn
    queue_depth: int | None = None
    queue_amount: int | None = None  # tiyn
    oldest_age_s: int | None = None
    uptime_s: int | None = None
    free_disk_bytes: int | None = None
    last_payment_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def line(self) -> str:
        """One line for an operator's terminal."""
        if self.last_seen is None:
            return f"{self.terminal_id}  never seen{'' if self.active else '  (inactive)'}"
        parts = [self.terminal_id, f"seen {self.last_seen}"]
        validator = self.validator_state or "?"
        if self.validator_connected is False:
            validator += " (disconnected)"
        parts.append(f"validator {validator}")
        alerts = ", ".join(
            f"{kind} {count}" for kind, count in self.validator_alerts.items() if count
        )
        if alerts:
            parts.append(f"LINK ALERTS: {alerts}")
        printer = self.printer_state or "?"
        if self.printer_paper is not None:
            printer += f" (paper {self.printer_paper})"
        parts.append(f"printer {printer}")
        if self.cassette_notes is not None and self.cassette_amount is not None:
            amount = Money(self.cassette_amount).format("en", sign="")  # plain spaces: grep
            parts.append(f"cassette {self.cassette_notes} notes {amount} {CURRENCY_CODE}")
        else:
            parts.append("cassette ?")
        outbox = f"outbox {self.queue_depth}"
        if self.oldest_age_s is not None:
            outbox += f" (oldest {self.oldest_age_s} s)"
        parts.append(outbox)
        if self.out_of_service:
            parts.append("OUT OF SERVICE: " + ", ".join(self.out_of_service))
        if not self.active:
            parts.append("(inactive)")
        return "  ".join(parts)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _counts(value: Any) -> dict[str, int]:
    """A heartbeat's alert counts; anything but a mapping of names to counts is dropped."""
    if not isinstance(value, dict):
        return {}
    return {
        str(kind)[:64]: count
        for kind, count in value.items()
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0
    }


def _device(devices: dict[str, Any], name: str) -> dict[str, Any]:
    """A device's report; an old kiosk's bare state string becomes {"state": ...}."""
    value = devices.get(name)
    if isinstance(value, dict):
        return value
    return {} if value is None else {"state": value}


def terminal_states(connection: Connection) -> list[TerminalState]:
    """Every registered terminal with its latest heartbeat, by id."""
    heartbeats = Heartbeat.__table__.c
    rows = connection.execute(
        select(Terminal.id.label("known_id"), Terminal.active, *heartbeats)
        .join(Heartbeat, Heartbeat.terminal_id == Terminal.id, isouter=True)
        .order_by(Terminal.id)
    ).all()
    states = []
    for beat in rows:
        terminal_id, active = beat.known_id, beat.active
        if beat.received_at is None:
            states.append(TerminalState(terminal_id, bool(active)))
            continue
        body = json.loads(beat.body)
        devices = body.get("devices") or {}
        validator, printer = _device(devices, "validator"), _device(devices, "printer")
        connected = validator.get("connected")
        reasons = devices.get("out_of_service")
        states.append(
            TerminalState(
                terminal_id=terminal_id,
                active=bool(active),
                last_seen=iso_utc(beat.received_at / 1000),
                reported_at=_text(body.get("at")),
                software_version=beat.software_version,
                validator_state=_text(validator.get("state")),
                validator_connected=connected if isinstance(connected, bool) else None,
                validator_alerts=_counts(validator.get("alerts")),
                printer_state=_text(printer.get("state")),
                printer_paper=_text(printer.get("paper")),
                out_of_service=tuple(str(reason) for reason in reasons)
                if isinstance(reasons, list)
                else (),
                cassette_notes=beat.cassette_notes,
                cassette_amount=beat.cassette_amount,
                queue_depth=beat.queue_depth,
                queue_amount=beat.queue_amount,
                oldest_age_s=beat.oldest_age_s,
                uptime_s=beat.uptime_s,
                free_disk_bytes=beat.free_disk_bytes,
                last_payment_at=beat.last_payment_at,
            )
        )
    return states
