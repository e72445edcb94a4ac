"""The public status page behind the receipt's QR: ``/status/{operation_id}``, no login.

A customer who scanned the QR (or typed the operation number) learns, in Kazakh, Russian or
English, what the ledger knows of the payment: being credited, credited, not credited and
held for a refund (with what to do), or refunded; the amounts, the time (Almaty), the
terminal and the support phone. Never the account: at most its last two digits, so that
the page tells nothing to someone who found another person's receipt.

The input is bounded before any query: an operation id that is not the kiosk's UUID text is
answered with the 404 page at once. Requests are rationed per client address by a small
token bucket (429 with Retry-After) whose table is bounded. Answers are never cached
(a pending answer must not outlive the crediting), carry a CSP without any script, and
forbid framing and referrers. Decision: docs/decisions/032-public-status-page.md.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.domain.clock import KZ_TIME
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from sync.ledger.books import REFUNDS_KEY
from sync.ledger.models import Payment, SuspenseRelease
from sync.ledger.schema import PaymentStatus, parse_instant
from sync.ledger.service import Ledger, LedgerBusy

log = logging.getLogger("sync.ledger.status")

Lang = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Lang, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE: Lang = "ru"
# The kiosk's operation id: a UUID in its lowercase text form (kiosk.ids.uuid7). Upper case
# is taken too (a number typed from the paper), and folded before the query.
OPERATION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
SUPPORT_PHONE_ENV = "KIOSK_LEDGER_SUPPORT_PHONE"
# A phone as printed: an optional +, then digits with spaces, dashes or brackets; 5..15 digits.
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{3,24}")
# Per client address: a burst of BURST look-ups, then one every 1/RATE seconds.
BURST = 10
RATE_PER_S = 0.5
MAX_CLIENTS = 10_000  # addresses remembered; the least recently seen is forgotten first

HEADERS_ALWAYS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class State(StrEnum):
    """What the page tells; each has its words in :data:`TEXTS`."""

    PROCESSING = "processing"
    CREDITED = "credited"
    HELD = "held"
    REFUNDED = "refunded"


TEXTS: dict[str, dict[Lang, str]] = {
    "title": {"kk": "Төлем күйі", "ru": "Статус платежа", "en": "Payment status"},
    "operation": {"kk": "Операция №", "ru": "Операция №", "en": "Operation No."},
    "processing": {
        "kk": "Қабылданды, есепке алынуда",
        "ru": "Принят, зачисляется",
        "en": "Accepted, being credited",
    },
    "processing_detail": {
        "kk": "Әдетте бір минут ішінде, кейде 30 минутқа дейін. Бұл бетті кейінірек жаңартыңыз.",
        "ru": "Обычно это занимает минуту, иногда до 30 минут. Обновите страницу позже.",
        "en": "This usually takes a minute, sometimes up to 30 minutes. Reload this page later.",
    },
    "credited": {"kk": "Есепке алынды", "ru": "Зачислен", "en": "Credited"},
    "credited_detail": {
        "kk": "Ақша шотқа түсті.",
        "ru": "Деньги поступили на счёт.",
        "en": "The money is on the account.",
    },
    "held": {
        "kk": "Есепке алынбады — ақша қайтару үшін ұсталды",
        "ru": "Не зачислен — деньги удержаны для возврата",
        "en": "Not credited — the money is held for a refund",
    },
    "held_detail": {
        "kk": "Төлем есепке алынбады, бірақ ақшаңыз сақтаулы: ол қайтару үшін ұсталып тұр.",
        "ru": "Платёж не зачислен, но ваши деньги сохранены: они удержаны для возврата.",
        "en": "The payment was not credited, but your money is safe: it is held for a refund.",
    },
    "held_call": {
        "kk": "Түбіртекті және операция нөмірін сақтап, қолдау қызметіне қоңырау шалыңыз:",
        "ru": "Сохраните квитанцию и номер операции и позвоните в службу поддержки:",
        "en": "Keep the receipt and the operation number, and call support:",
    },
    "refunded": {
        "kk": "Есепке алынбады — ақша қайтарылды",
        "ru": "Не зачислен — деньги возвращены",
        "en": "Not credited — the money was refunded",
    },
    "refunded_detail": {
        "kk": "Ұсталған ақша қолдау қызметі арқылы қайтарылды.",
        "ru": "Удержанные деньги возвращены через службу поддержки.",
        "en": "The money held for the refund was handed back through support.",
    },
    "service": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "account": {"kk": "Шот / нөмір", "ru": "Счёт / номер", "en": "Account"},
    "date": {"kk": "Күні мен уақыты", "ru": "Дата и время", "en": "Date and time"},
    "terminal": {"kk": "Терминал", "ru": "Терминал", "en": "Terminal"},
    "receipt_number": {"kk": "Түбіртек №", "ru": "Квитанция №", "en": "Receipt No."},
    "inserted": {
        "kk": "Қабылданған қолма-қол ақша",
        "ru": "Принято наличными",
        "en": "Cash accepted",
    },
    "commission": {"kk": "Комиссия", "ru": "Комиссия", "en": "Commission"},
    "to_credit": {"kk": "Есепке алынатын сома", "ru": "К зачислению", "en": "To be credited"},
    "was_credited": {"kk": "Есепке алынған сома", "ru": "Зачислено", "en": "Amount credited"},
    "held_amount": {
        "kk": "Қайтаруға ұсталды",
        "ru": "Удержано для возврата",
        "en": "Held for refund",
    },
    "refunded_amount": {"kk": "Қайтарылды", "ru": "Возвращено", "en": "Refunded"},
    "support": {"kk": "Қолдау қызметі", "ru": "Служба поддержки", "en": "Support"},
    "phone_on_receipt": {
        "kk": "нөмірі түбіртекте көрсетілген",
        "ru": "номер указан на квитанции",
        "en": "the number printed on the receipt",
    },
    "not_found": {
        "kk": "Бұл нөмірмен төлем әзірге жоқ",
        "ru": "Платежа с таким номером пока нет",
        "en": "No payment with this number yet",
    },
    "not_found_offline": {
        "kk": "Терминал байланыссыз тұрғанда жасалған төлем байланыс қалпына келгенде осында "
        "көрінеді: кейінірек қайта тексеріңіз.",
        "ru": "Платёж, сделанный, пока терминал был без связи, появится здесь, когда связь "
        "восстановится: проверьте позже.",
        "en": "A payment made while the kiosk was offline appears here when the kiosk "
        "reconnects: check again later.",
    },
    "not_found_check": {
        "kk": "Түбіртектегі «Операция №» жолындағы нөмірді тексеріңіз.",
        "ru": "Проверьте номер в строке «Операция №» на квитанции.",
        "en": "Check the number on the receipt, under “Operation No.”.",
    },
    "not_found_call": {
        "kk": "Сұрақтар болса, қолдау қызметіне қоңырау шалыңыз:",
        "ru": "Если остались вопросы, позвоните в службу поддержки:",
        "en": "If in doubt, call support:",
    },
    "too_many": {
        "kk": "Сұраулар тым көп",
        "ru": "Слишком много запросов",
        "en": "Too many requests",
    },
    "too_many_detail": {
        "kk": "Сіздің мекенжайыңыздан сұраулар тым көп. %1 секундтан кейін қайталаңыз.",
        "ru": "С вашего адреса слишком много запросов. Повторите через %1 с.",
        "en": "Too many look-ups from your address. Try again in %1 s.",
    },
    "unavailable": {
        "kk": "Тексеру қазір қолжетімсіз",
        "ru": "Проверка сейчас недоступна",
        "en": "The check is unavailable right now",
    },
    "unavailable_detail": {
        "kk": "Бір минуттан кейін қайталаңыз. Төлемдер осы уақытта да сақталады.",
        "ru": "Повторите через минуту. Платежи при этом сохраняются.",
        "en": "Try again in a minute. Payments are kept meanwhile.",
    },
    "ask": {
        "kk": "Төлемді тексеру",
        "ru": "Проверить платёж",
        "en": "Check a payment",
    },
    "ask_label": {
        "kk": "Түбіртектегі операция нөмірі",
        "ru": "Номер операции с квитанции",
        "en": "Operation number from the receipt",
    },
    "ask_button": {"kk": "Тексеру", "ru": "Проверить", "en": "Check"},
}
LANGUAGE_NAMES: dict[Lang, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def parse_support_phone(text: str) -> str:
    """The support phone as configured, trimmed; ValueError saying what a phone looks like."""
    phone = text.strip()
    digits = sum(ch.isdigit() for ch in phone)
    if not _PHONE.fullmatch(phone) or not 5 <= digits <= 15:
        raise ValueError(
            f"not a phone number: {text!r} (digits with an optional leading +, spaces, "
            "dashes or brackets; 5 to 15 digits, e.g. '+7 727 000 00 00')"
        )
    return phone


def configured_support_phone(environ: Mapping[str, str] | None = None) -> str | None:
    """The support phone from ``KIOSK_LEDGER_SUPPORT_PHONE`` (set by ``kiosk ledger serve
    --support-phone``, and so inherited by its workers); None when unset. A malformed one
    raises ValueError at start, not on a customer's page."""
    text = (os.environ if environ is None else environ).get(SUPPORT_PHONE_ENV, "").strip()
    return parse_support_phone(text) if text else None


def language_of(query_lang: str | None, accept_language: str | None) -> Lang:
    """``?lang=`` when it names kk, ru or en; else the best of Accept-Language; else ru."""
    if query_lang in LANGUAGES:
        return query_lang
    best: tuple[float, int, Lang] | None = None
    for position, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                weight = float(params[2:])
            except ValueError:
                continue
        if not 0 < weight <= 1:  # q=0 is "not this one"; NaN and nonsense are skipped
            continue
        candidate = (-weight, position, primary)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best is not None else DEFAULT_LANGUAGE


def last_two_digits(account: str) -> str:
    """What the page shows of an account: stars and its last two characters when both are
    digits, else stars only."""
    tail = account[-2:]
    return "**** " + tail if len(account) > 4 and tail.isdigit() else "****"


class TokenBucket:
    """Look-ups per client address: BURST at once, refilled at RATE_PER_S; at most
    ``max_clients`` addresses are remembered (least recently seen forgotten first, which
    only ever gives a forgotten address a fresh burst)."""

    def __init__(
        self,
        burst: int = BURST,
        rate_per_s: float = RATE_PER_S,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.rate = rate_per_s
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, client: str) -> int | None:
        """None when the client may look up now (one token taken); else the whole seconds
        until it may."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - then) * self.rate)
            wait = None
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = max(1, int((1.0 - tokens) / self.rate + 0.999))
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)


@dataclass(frozen=True, slots=True)
class Found:
    """A stored payment as the page needs it (account already cut to its last two digits)."""

    operation_id: str
    state: State
    terminal_id: str
    receipt_number: int
    service: str
    account_tail: str
    inserted: int
    commission: int
    credited: int
    created_at: str  # the kiosk's ISO time


def state_of(status: str, released_to: str | None) -> State:
    """The page's truth from the stored status and the suspense release, if any: a rejected
    payment is held until the back office releases it, to a refund or to an account."""
    if status == PaymentStatus.COMPLETED:
        return State.CREDITED
    if status == PaymentStatus.REJECTED:
        if released_to is None:
            return State.HELD
        return State.REFUNDED if released_to == REFUNDS_KEY else State.CREDITED
    return State.PROCESSING


def find(connection: Connection, operation_id: str) -> Found | None:
    """One indexed read by primary key: the payment and its release."""
    payment = connection.execute(
        select(Payment.__table__, SuspenseRelease.to_key)
        .outerjoin(SuspenseRelease, SuspenseRelease.operation_id == Payment.operation_id)
        .where(Payment.operation_id == operation_id)
    ).one_or_none()
    if payment is None:
        return None
    released_to = payment.to_key
    state = state_of(payment.status, released_to)
    commission, credited = payment.commission, payment.credited
    if released_to is not None:
        # A release moves the whole inserted amount, without commission (sync.ledger.suspense).
        commission, credited = 0, payment.inserted if state is State.CREDITED else 0
    return Found(
        payment.operation_id,
        state,
        payment.terminal_id,
        payment.receipt_number,
        payment.service,
        last_two_digits(payment.account),
        payment.inserted,
        commission,
        credited,
        payment.created_at,
    )


_templates = Environment(
    loader=PackageLoader("sync.ledger", "templates/status"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_CSS = _templates.loader.get_source(_templates, "style.css")[0].strip()  # type: ignore[union-attr]
CSP = (
    "default-src 'none'; "
    f"style-src 'sha256-{base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()}'; "
    "img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def local_time(iso: str) -> str:
    """The kiosk's time as the receipt prints it, in Almaty."""
    try:
        moment = parse_instant(iso)
    except ValueError:
        return iso[:40]
    return moment.astimezone(KZ_TIME).strftime("%d.%m.%Y %H:%M:%S")


class StatusPage:
    """The routes' state: the ledger, the support phone, the bucket and the service names."""

    def __init__(self, ledger: Ledger, support_phone: str | None, bucket: TokenBucket) -> None:
        self.ledger = ledger
        self.support_phone = support_phone
        self.bucket = bucket

    def render(
        self,
        template: str,
        lang: Lang,
        status: int,
        headers: Mapping[str, str] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        def t(key: str) -> str:
            return TEXTS[key][lang]

        def money(tiyn: int) -> str:
            return Money(tiyn).format(lang)

        html = _templates.get_template(template).render(
            t=t,
            money=money,
            lang=lang,
            languages=LANGUAGE_NAMES,
            css=Markup(_CSS),  # noqa: S704 - the packaged file, hashed into the CSP
            phone=self.support_phone,
            **values,
        )
        return HTMLResponse(
            html,
            status_code=status,
            headers={**HEADERS_ALWAYS, "Content-Security-Policy": CSP, **(headers or {})},
        )

    def service_name(self, service: str, lang: Lang) -> str:
        try:
            return self.ledger.catalog.get(service).name(lang)
        except KeyError:
            return service

    def answer(self, request: Request, raw_id: str, from_query: bool) -> HTMLResponse:
        """The page for ``raw_id`` (empty: the form alone); ``from_query``: it came as
        ``?op=``, which the language links keep."""
        lang = language_of(request.query_params.get("lang"), request.headers.get("accept-language"))
        client = request.client.host if request.client is not None else "?"
        wait = self.bucket.take(client)
        if wait is not None:
            return self.render(
                "too_many.html",
                lang,
                429,
                {"Retry-After": str(wait)},
                operation_id="",
                detail=TEXTS["too_many_detail"][lang].replace("%1", str(wait)),
            )
        if not raw_id:
            return self.render("ask.html", lang, 200, operation_id="")
        if not OPERATION_ID.fullmatch(raw_id):
            return self.render("not_found.html", lang, 404, operation_id=raw_id[:40])
        operation_id = raw_id.lower()
        keep_op = operation_id if from_query else ""
        try:
            # Ledger._reading: a read-only connection, retried once if the database restarted.
            found = self.ledger._reading(lambda connection: find(connection, operation_id))
        except (SQLAlchemyError, LedgerBusy) as exc:
            log_event(log, "status page read failed", logging.ERROR, error=type(exc).__name__)
            return self.render(
                "unavailable.html", lang, 503, {"Retry-After": "30"}, operation_id=operation_id
            )
        if found is None:
            return self.render(
                "not_found.html", lang, 404, operation_id=operation_id, keep_op=keep_op
            )
        return self.render(
            "payment.html",
            lang,
            200,
            p=found,
            service=self.service_name(found.service, lang),
            when=local_time(found.created_at),
            operation_id=operation_id,
            keep_op=keep_op,
        )


def mount_status_page(
    app: FastAPI,
    ledger: Ledger,
    *,
    support_phone: str | None = None,
    bucket: TokenBucket | None = None,
) -> StatusPage:
    """Add ``/status/`` (a form; ``?op=ID`` as the kiosk's status_link builds it) and
    ``/status/{operation_id}``. The support phone defaults to the configured one
    (:func:`configured_support_phone`)."""
    page = StatusPage(
        ledger,
        support_phone if support_phone is not None else configured_support_phone(),
        bucket or TokenBucket(),
    )

    @app.get("/status/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/status", response_class=HTMLResponse, include_in_schema=False)
    def status_form(request: Request) -> HTMLResponse:
        return page.answer(request, request.query_params.get("op", "").strip(), True)

    @app.get("/status/{operation_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def status(operation_id: str, request: Request) -> HTMLResponse:
        return page.answer(request, operation_id.strip(), False)

    app.state.status_page = page
    return page


__all__ = [
    "Found",
    "State",
    "StatusPage",
    "TokenBucket",
    "find",
    "language_of",
    "mount_status_page",
    "parse_support_phone",
]
