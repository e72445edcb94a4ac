"""The kiosk's HTTP client for the central ledger: signed requests, strict answers.

An answer counts only when it carries the ledger's response signature (``sync.auth``):
a proxy, a captive portal or anything else between kiosk and ledger cannot make the kiosk
believe a payment was taken. Failures come in these kinds, and the outbox treats them
differently:
* ``Unreachable`` — nothing usable came back (no connection, timeout, 5xx, 429, an answer
  that is not the expected JSON). Retry later; the ledger may or may not have committed,
  which is safe because a retry of the same operation id is answered ``duplicate``.
  ``UnsignedAnswer`` is the case of an answer without a valid signature: it is no answer.
* ``LinkRefused`` (``AuthFailed``, ``TlsFailed``) — the ledger does not accept this
  terminal's signature (401, 403), or the TLS handshake failed. Still no answer about any
  payment, so nothing is marked; the link is down until a technician fixes the secret, the
  CA file or the clock, and the same rows then go as they are.
* ``Refused`` — the ledger answered, signed, and will not take the request as it is (4xx
  other than 401, 403, 429). Retrying the same bytes cannot help; the row is kept and
  flagged for an operator.
"""

from __future__ import annotations

import email.utils
import json
import logging
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from kiosk.checks import OK, TRY_LATER, AccountChecker, CheckResult, LinkDown
from kiosk.domain.catalog import Service
from kiosk.domain.clock import Clock
from kiosk.domain.limits import AccountHeadroom, WalletStatus
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from sync.auth import HEADER_SIGNATURE, AuthError, signed_headers, verify_response

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger("sync.client")

PAYMENT_STATUSES = frozenset({"accepted", "duplicate", "conflict", "rejected"})
MAX_CATALOG_BYTES = 1024 * 1024
# Answers to the kiosk are small; a body past this is not the ledger's (a portal page, a loop).
MAX_ANSWER_BYTES = 4 * 1024 * 1024
_DETAIL_CHARS = 200


class DownReason(StrEnum):
    """Why the link is down, for the service screen: what a technician should look at."""

    UNREACHABLE = "unreachable"  # network, timeout, the ledger busy or failing (5xx, 429)
    AUTH = "auth"  # the ledger does not accept this terminal's signature (401, 403)
    TLS = "tls"  # the TLS handshake failed: certificate, CA file, wrong port
    UNSIGNED = "unsigned"  # an answer without the ledger's signature: not from the ledger


class Refused(Exception):
    """The ledger answered 4xx (signed): the request will not succeed by repeating it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class Unreachable(LinkDown):
    """LinkDown with the ledger's wish of when to come back, if it said (Retry-After)."""

    down_reason = DownReason.UNREACHABLE

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyRequests(Unreachable):
    """HTTP 429: the ledger limits this terminal's requests of this kind for a while."""


class UnsignedAnswer(Unreachable):
    """An answer without a valid ledger signature: treated as no answer at all."""

    down_reason = DownReason.UNSIGNED


class LinkRefused(Unreachable):
    """The link works but the ledger and this terminal do not trust each other (auth or
    TLS): no request can succeed until a technician fixes the configuration."""


class AuthFailed(LinkRefused):
    """The ledger answered 401 or 403: it does not accept this terminal's signature."""

    down_reason = DownReason.AUTH

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class TlsFailed(LinkRefused):
    """The TLS handshake with the ledger failed (its certificate is not trusted, …)."""

    down_reason = DownReason.TLS


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    operation_id: str
    status: str  # accepted | duplicate | conflict | rejected
    code: int
    reason: str | None


@dataclass(frozen=True, slots=True)
class CatalogAnswer:
    """A new catalog from the ledger: its raw JSON bytes as served and their ETag."""

    etag: str | None
    body: bytes
    version: str | None


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes


def _retry_after(headers: Any, now: float) -> float | None:
    value = headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it wraps (urllib3 nests the ssl error a few levels)."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nested in (
            *current.args,
            current.__cause__,
            current.__context__,
            getattr(current, "reason", None),
        ):
            if isinstance(nested, BaseException):
                pending.append(nested)


def _tls_reason(exc: BaseException) -> str:
    """A TLS failure in a technician's words, with what to check."""
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = cause.verify_message or cause.reason or "the certificate is not trusted"
            return (
                f"TLS: certificate verify failed ({detail}): check [ledger] ca_file "
                "(the CA that signed the ledger's certificate) and that [ledger] url "
                "names the host on the certificate"
            )
        if isinstance(cause, ssl.SSLError):
            detail = cause.reason or str(cause)
            return (
                f"TLS: {detail}: check [ledger] ca_file and that [ledger] url is the "
                "ledger's https:// address"
            )
    return f"TLS: {exc}: check [ledger] ca_file"


def _detail(body: bytes) -> str:
    """The ledger's ``detail`` text from an error answer, short, or the start of the body."""
    try:
        parsed = json.loads(body)
        text = parsed.get("detail") if isinstance(parsed, dict) else None
    except ValueError:
        text = None
    if not isinstance(text, str):
        text = body[:_DETAIL_CHARS].decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text[:_DETAIL_CHARS]


class LedgerClient(AccountChecker):
    """One terminal's view of the ledger. Thread-safe as far as ``requests.Session`` is for
    sequential use: the outbox worker and the core each get their own client.

    ``ca_file`` is the private CA bundle that verifies the ledger's certificate; without it
    the system's CAs do. Certificates are always verified."""

    def __init__(
        self,
        base_url: str,
        terminal_id: str,
        secret: str,
        clock: Clock,
        *,
        timeout: float = 10.0,
        ca_file: Path | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.terminal_id = terminal_id
        self._secret = secret
        self.clock = clock
        self.timeout = timeout
        self.ca_file = ca_file
        self.clock_offset = 0.0  # ledger time minus ours, learnt from its Date header
        self._http = requests.Session()
        # Given on every request: a session-wide verify loses to REQUESTS_CA_BUNDLE.
        self._verify: str | bool = str(ca_file) if ca_file is not None else True

    @classmethod
    def configured(cls, config: Config, clock: Clock) -> LedgerClient:
        """The client for ``[ledger]`` of a loaded configuration (url and secret required)."""
        ledger = config.ledger
        if ledger.url is None or ledger.secret is None:
            raise ValueError("the configuration has no remote ledger ([ledger] url)")
        return cls(
            ledger.url,
            config.terminal.id,
            ledger.secret,
            clock,
            timeout=ledger.timeout_s,
            ca_file=ledger.ca_file,
        )

    def __repr__(self) -> str:  # never the secret
        return f"LedgerClient({self.base_url!r}, {self.terminal_id!r})"

    def close(self) -> None:
        self._http.close()

    # -- transport ------------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes = b"") -> Any:
        """Send one signed request and return the parsed JSON of its signed answer."""
        answer = self._exchange(method, path, body)
        if 300 <= answer.status < 400:
            raise Unreachable(f"the ledger answered HTTP {answer.status} to {method} {path}")
        return self._json(answer)

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        extra_headers: dict[str, str] | None = None,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> _Answer:
        """One signed request; the answer if it is the ledger's (signed, 2xx/3xx or a plain
        4xx refusal), else the matching exception."""
        for attempt in (1, 2):
            now = self.clock.now() + self.clock_offset
            # A fresh X-Request-Id every time, this second attempt too: the ledger refuses an
            # id it has seen (a replay). Payments stay one payment by their operation id.
            headers = signed_headers(self.terminal_id, self._secret, method, path, body, now)
            if body:
                headers["Content-Type"] = "application/json"
            if extra_headers:
                headers.update(extra_headers)
            answer = self._send(method, path, body, headers, max_bytes)
            if answer.status == 401 and attempt == 1 and self._learn_clock(answer):
                continue  # our clock was off: sign again with the ledger's time
            return self._check(answer, headers[HEADER_SIGNATURE], max_bytes)
        raise AssertionError("unreachable")

    def _send(
        self, method: str, path: str, body: bytes, headers: dict[str, str], max_bytes: int
    ) -> _Answer:
        try:
            with self._http.request(
                method,
                self.base_url + path,
                data=body or None,
                headers=headers,
                timeout=self.timeout,
                stream=True,
                allow_redirects=False,
                verify=self._verify,
            ) as response:
                content = bytearray()
                for chunk in response.iter_content(64 * 1024):
                    content += chunk
                    if len(content) > max_bytes:
                        raise Unreachable(
                            f"the answer to {method} {path} is over {max_bytes} "
                            "bytes: not a ledger answer"
                        )
                return _Answer(response.status_code, response.headers, bytes(content))
        except requests.exceptions.SSLError as exc:
            raise TlsFailed(_tls_reason(exc)) from exc
        except requests.RequestException as exc:
            raise Unreachable(f"{type(exc).__name__}: {exc}") from exc

    def _learn_clock(self, answer: _Answer) -> bool:
        """After a 401 for clock skew, adopt the ledger's clock from its Date header."""
        if b"skew" not in answer.body:
            return False
        date = answer.headers.get("Date")
        if not date:
            return False
        try:
            server = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return False
        self.clock_offset = server - self.clock.now()
        log_event(
            log,
            "terminal clock differs from the ledger",
            logging.WARNING,
            offset_s=round(self.clock_offset, 1),
        )
        return True

    def _signed(self, answer: _Answer, request_signature: str) -> str | None:
        """None when the answer carries the ledger's signature, else why not."""
        try:
            verify_response(
                self._secret,
                answer.status,
                request_signature,
                answer.body,
                answer.headers.get(HEADER_SIGNATURE),
            )
        except AuthError as exc:
            return str(exc)
        return None

    def _check(self, answer: _Answer, request_signature: str, max_bytes: int) -> _Answer:
        status = answer.status
        unsigned = self._signed(answer, request_signature)
        if status in (401, 403):
            detail = _detail(answer.body)
            where = (
                ""
                if unsigned is None
                else "; the answer was not signed: it may come from a proxy in between"
            )
            if status == 401:
                check = (
                    "the terminal's clock (NTP)"
                    if "skew" in detail
                    else "[ledger] secret_file and terminal.id"
                )
                message = (
                    f"the ledger does not accept this terminal's signature (HTTP 401: "
                    f"{detail}): check {check}{where}"
                )
            else:
                message = (
                    f"the ledger refuses this terminal (HTTP 403: {detail}): check "
                    f"terminal.id and that the terminal is enabled on the ledger{where}"
                )
            raise AuthFailed(message, status)
        if status == 429:
            raise TooManyRequests(f"HTTP {status}", _retry_after(answer.headers, self.clock.now()))
        if status >= 500:
            # Busy or failing, signed or not (a proxy's 502 is as good as the ledger's 503).
            raise Unreachable(f"HTTP {status}", _retry_after(answer.headers, self.clock.now()))
        if unsigned is not None:
            raise UnsignedAnswer(
                f"{unsigned}; check nothing between kiosk and ledger answers "
                "for it (proxy, captive portal) and [ledger] secret_file"
            )
        if status >= 400:
            raise Refused(status, _detail(answer.body))
        return answer

    def _json(self, answer: _Answer) -> Any:
        try:
            return json.loads(answer.body)
        except ValueError as exc:
            raise Unreachable(
                f"the ledger answered something that is not JSON "
                f"(HTTP {answer.status}, {len(answer.body)} bytes)"
            ) from exc

    # -- payments -------------------------------------------------------------------------
    def post_payments(self, bodies: list[bytes]) -> list[ItemAnswer]:
        """Post stored payment bodies as one batch; the batch body is built byte for byte
        from them, so a retry of the same rows sends the same bytes."""
        batch = b'{"payments":[' + b",".join(bodies) + b"]}"
        answer = self.request("POST", "/v1/payments", batch)
        sent = [json.loads(body)["operation_id"] for body in bodies]
        try:
            results = answer["results"]
            items = [
                ItemAnswer(
                    str(r["operation_id"]), str(r["status"]), int(r.get("code", 0)), r.get("reason")
                )
                for r in results
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise Unreachable(f"malformed payments answer: {exc}") from exc
        if [i.operation_id for i in items] != sent or any(
            i.status not in PAYMENT_STATUSES for i in items
        ):
            raise Unreachable("the payments answer does not match the batch sent")
        return items

    def post_encashment(self, body: bytes) -> str:
        answer = self.request("POST", "/v1/encashments", body)
        status = answer.get("status") if isinstance(answer, dict) else None
        if status not in ("accepted", "duplicate", "conflict"):
            raise Unreachable(f"malformed encashment answer: {str(answer)[:100]}")
        return str(status)

    def post_device_events(self, bodies: list[bytes]) -> list[str]:
        """Post stored device-event bodies as one batch (the same bytes on a retry); one
        status per event, in order."""
        answer = self.request(
            "POST", "/v1/device-events", b'{"events":[' + b",".join(bodies) + b"]}"
        )
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(bodies):
            raise Unreachable(f"malformed device-event answer: {str(answer)[:100]}")
        statuses = [item.get("status") if isinstance(item, dict) else None for item in results]
        if any(status not in ("accepted", "duplicate", "conflict") for status in statuses):
            raise Unreachable(f"malformed device-event answer: {str(answer)[:100]}")
        return [str(status) for status in statuses]

    def heartbeat(self, body: bytes) -> Any:
        return self.request("POST", "/v1/heartbeat", body)

    # -- catalog and reconciliation -------------------------------------------------------
    def get_catalog(self, etag: str | None) -> CatalogAnswer | None:
        """The ledger's service catalog, or None when it is still the one tagged ``etag``
        (304). The body is returned as served (at most 1 MiB), for the caller to check."""
        extra = {"If-None-Match": etag} if etag else None
        answer = self._exchange(
            "GET", "/v1/catalog", extra_headers=extra, max_bytes=MAX_CATALOG_BYTES
        )
        if answer.status == 304:
            return None
        if answer.status != 200:
            raise Unreachable(f"the ledger answered HTTP {answer.status} for the catalog")
        return CatalogAnswer(
            answer.headers.get("ETag"), answer.body, answer.headers.get("X-Catalog-Version")
        )

    def reconciliation(self) -> dict[str, Any]:
        """What the ledger holds for this terminal: ``payments``, ``highest_local_seq``,
        ``highest_receipt_number``, ``missing_local_seq`` and ``missing_count``."""
        answer = self.request("GET", "/v1/reconciliation")
        if not isinstance(answer, dict) or not isinstance(
            answer.get("highest_receipt_number"), int
        ):
            raise Unreachable(f"malformed reconciliation answer: {str(answer)[:100]}")
        return answer

    # -- account check (the core's AccountChecker) ----------------------------------------
    def check(self, service: Service, account: str) -> CheckResult:
        body = json.dumps(
            {"service": service.id, "account": account}, separators=(",", ":")
        ).encode()
        try:
            answer = self.request("POST", "/v1/accounts/check", body)
        except TooManyRequests as exc:
            # The ledger rations this terminal's checks: the customer tries again shortly;
            # taking cash under offline rules here would sidestep the ration.
            return CheckResult(
                ok=False,
                code=TRY_LATER,
                offline=False,
                message=f"account checks rationed: {exc}",
                retry_after=exc.retry_after,
            )
        except Refused as exc:
            raise Unreachable(str(exc)) from exc
        try:
            code = int(answer["code"])
            limits = answer.get("limits") or None
            headroom = None
            if limits is not None:
                status = limits.get("status")
                headroom = AccountHeadroom(
                    status=WalletStatus(status) if status else None,
                    balance_room=None,
                    daily_room=None,
                    room=_room(limits),
                )
            return CheckResult(
                ok=code == OK,
                code=code,
                offline=False,
                headroom=headroom,
                holder=answer.get("holder"),
                message=answer.get("message"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Unreachable(f"malformed account check answer: {exc}") from exc


def _room(limits: dict[str, Any]) -> Money | None:
    """The most the wallet may be credited now: ``max_credit``; a ledger from before
    decision 016 sends ``balance_room`` and ``daily_room`` instead (the smaller binds)."""
    if "max_credit" in limits:
        value = limits["max_credit"]
        return None if value is None else Money(int(value))
    rooms = [
        int(limits[key]) for key in ("balance_room", "daily_room") if limits.get(key) is not None
    ]
    return Money(min(rooms)) if rooms else None
