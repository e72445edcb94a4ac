"""The Terminals page (one row per terminal, problems first) and one terminal's page.

Link state from the age of the latest heartbeat at the ledger (kiosks send one every 60 s
by default): online up to ``ONLINE_S``, stale up to ``OFFLINE_S``, offline beyond (and
"never seen" without one). Order: offline and never seen, then a device fault (out of
service, or a validator or printer state in ``FAULTS``), then stale, then the rest; by id
within each. Pages are keyset-paginated on (rank, id): a page costs the same at the first
terminal and the ten-thousandth, and a terminal added meanwhile shifts nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection, and_, case, literal, or_, select

from kiosk.domain.clock import iso_utc
from kiosk.domain.privacy import mask_account
from sync.ledger.console.web import Console, choose_lang, duration, translator
from sync.ledger.models import DeviceEvent, Heartbeat, Payment, Terminal

ONLINE_S = 3 * 60
OFFLINE_S = 15 * 60
PAGE_SIZE = 50
FAULTS = ("jammed", "failure", "error", "offline", "cassette_full", "cassette_removed")
# The ledger stores the heartbeat with json.dumps(sort_keys=True): '"key": value'.
_FAULT_PATTERNS = (
    *(f'%"state": "{fault}"%' for fault in FAULTS),
    '%"paper": "out"%',
    '%"out_of_service": ["%',
)
RANK_DOWN, RANK_FAULT, RANK_STALE, RANK_OK = 0, 1, 2, 3


def rank_of(now_ms: int) -> Any:
    """The problem rank of a terminal as an SQL expression (lower: worse)."""
    received = Heartbeat.received_at
    return case(
        (received.is_(None), RANK_DOWN),
        (received < now_ms - OFFLINE_S * 1000, RANK_DOWN),
        (or_(*(Heartbeat.body.like(pattern) for pattern in _FAULT_PATTERNS)), RANK_FAULT),
        (received < now_ms - ONLINE_S * 1000, RANK_STALE),
        else_=RANK_OK,
    )


@dataclass(frozen=True, slots=True)
class Row:
    """One terminal as the page shows it (words already in the reader's language)."""

    terminal_id: str
    active: bool
    rank: int
    link: str
    link_class: str
    seen: str
    validator: str
    printer: str
    cassette: str
    outbox: str
    version: str
    last_payment: str
    out_of_service: str


def _state_words(t: Any, state: Any) -> str:
    if state is None:
        return str(t("unknown"))
    key = f"state_{state}"
    try:
        return str(t(key))
    except KeyError:
        return str(state)


def _device(devices: dict[str, Any], name: str) -> dict[str, Any]:
    value = devices.get(name)
    if isinstance(value, dict):
        return value
    return {} if value is None else {"state": value}


def _words(t: Any, beat: Any, rank: int, now_ms: int) -> dict[str, str]:
    """The row's words from a heartbeat row (None when never seen)."""
    if beat.received_at is None:
        return {"link": t("link_never"), "link_class": "down", "seen": "—"}
    age_s = (now_ms - beat.received_at) / 1000
    link = "online" if age_s <= ONLINE_S else "stale" if age_s <= OFFLINE_S else "offline"
    body = json.loads(beat.body)
    devices = body.get("devices") if isinstance(body.get("devices"), dict) else {}
    validator, printer = _device(devices, "validator"), _device(devices, "printer")
    validator_text = _state_words(t, validator.get("state"))
    if validator.get("connected") is False:
        validator_text += f" ({t('disconnected')})"
    printer_text = _state_words(t, printer.get("state"))
    if printer.get("paper") is not None:
        paper = printer["paper"]
        paper_words = t(f"paper_{paper}") if paper in ("ok", "near_end", "out") else str(paper)
        printer_text += f", {t('paper', paper=paper_words)}"
    reasons = devices.get("out_of_service")
    cassette = (
        t("notes_amount", notes=beat.cassette_notes, amount=_money(beat.cassette_amount))
        if beat.cassette_notes is not None and beat.cassette_amount is not None
        else t("unknown")
    )
    return {
        "link": t(f"link_{link}"),
        "link_class": {"online": "ok", "stale": "warn", "offline": "down"}[link],
        "seen": t("ago", age=duration(t, age_s)),
        "validator": validator_text,
        "printer": printer_text,
        "cassette": cassette,
        "outbox": t("outbox_value", depth=beat.queue_depth, age=duration(t, beat.oldest_age_s))
        if beat.queue_depth
        else "0",
        "version": beat.software_version,
        "last_payment": beat.last_payment_at or "—",
        "out_of_service": t("out_of_service", reasons=", ".join(map(str, reasons)))
        if isinstance(reasons, list) and reasons
        else "",
    }


def _money(tiyn: int) -> str:
    from kiosk.domain.money import Money

    return f"{Money(int(tiyn)).format('ru')}"


def _row(t: Any, beat: Any, now_ms: int) -> Row:
    words = {
        "validator": "—",
        "printer": "—",
        "cassette": "—",
        "outbox": "—",
        "version": "—",
        "last_payment": "—",
        "out_of_service": "",
        **_words(t, beat, beat.rank, now_ms),
    }
    return Row(terminal_id=beat.terminal, active=bool(beat.active), rank=beat.rank, **words)


def parse_after(after: str) -> tuple[int, str] | None:
    """The cursor ``RANK:ID`` of the last row of the previous page (None: the first page)."""
    rank, _, terminal_id = after.partition(":")
    if not rank.isdigit() or not terminal_id or len(terminal_id) > 32:
        return None
    return int(rank), terminal_id


def page_rows(
    connection: Connection, now_ms: int, after: tuple[int, str] | None, size: int = PAGE_SIZE
) -> list[Any]:
    """One page of terminals with their heartbeat and rank, ``size + 1`` rows at most (the
    extra one says there is a next page)."""
    rank = rank_of(now_ms).label("rank")
    query = (
        select(Terminal.id.label("terminal"), Terminal.active, rank, *Heartbeat.__table__.c)
        .join(Heartbeat, Heartbeat.terminal_id == Terminal.id, isouter=True)
        .order_by(rank, Terminal.id)
        .limit(size + 1)
    )
    if after is not None:
        after_rank, after_id = after
        rank_expr = rank_of(now_ms)
        query = query.where(
            or_(
                rank_expr > literal(after_rank),
                and_(rank_expr == literal(after_rank), Terminal.id > after_id),
            )
        )
    return list(connection.execute(query).all())


def add_routes(router: APIRouter, console: Console) -> None:
    @router.get("/", include_in_schema=False)
    @router.get("/terminals", include_in_schema=False)
    def terminals(request: Request, after: str = "") -> Response:
        session = console.guard(request, "viewer")
        if isinstance(session, Response):
            return session
        t = translator(choose_lang(request))
        now_ms = int(console.ledger.clock.now() * 1000)
        with console.ledger.engine.connect() as connection:
            rows = page_rows(connection, now_ms, parse_after(after[:64]))
        shown = [_row(t, beat, now_ms) for beat in rows[:PAGE_SIZE]]
        last = shown[-1] if len(rows) > PAGE_SIZE else None
        return console.render(
            request,
            "terminals.html",
            session=session,
            rows=shown,
            next_after=None if last is None else f"{last.rank}:{last.terminal_id}",
            first=not after,
            legend=t("link_legend", online=duration(t, ONLINE_S), offline=duration(t, OFFLINE_S)),
        )

    @router.get("/terminals/{terminal_id}", include_in_schema=False)
    def terminal(request: Request, terminal_id: str) -> Response:
        session = console.guard(request, "viewer")
        if isinstance(session, Response):
            return session
        t = translator(choose_lang(request))
        now_ms = int(console.ledger.clock.now() * 1000)
        with console.ledger.engine.connect() as connection:
            beat = connection.execute(
                select(
                    Terminal.id.label("terminal"),
                    Terminal.active,
                    rank_of(now_ms).label("rank"),
                    *Heartbeat.__table__.c,
                )
                .join(Heartbeat, Heartbeat.terminal_id == Terminal.id, isouter=True)
                .where(Terminal.id == terminal_id[:32])
            ).first()
            if beat is None:
                return console.render(
                    request, "forbidden.html", 404, session, message=t("not_found")
                )
            payments = connection.execute(
                select(Payment)
                .where(Payment.terminal_id == beat.terminal)
                .order_by(Payment.local_seq.desc())
                .limit(20)
            ).all()
            events = connection.execute(
                select(DeviceEvent)
                .where(DeviceEvent.terminal_id == beat.terminal)
                .order_by(DeviceEvent.id.desc())
                .limit(20)
            ).all()
        return console.render(
            request,
            "terminal.html",
            session=session,
            row=_row(t, beat, now_ms),
            received=None if beat.received_at is None else iso_utc(beat.received_at / 1000),
            heartbeat=None if beat.body is None else json.dumps(json.loads(beat.body), indent=2),
            payments=[
                {
                    "at": p.created_at,
                    "receipt": p.receipt_number,
                    "service": p.service,
                    "account": mask_account(p.account),
                    "amount": _money(p.inserted),
                    "status": p.status,
                }
                for p in payments
            ],
            events=events,
        )
