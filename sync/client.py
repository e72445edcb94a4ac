"""The kiosk's HTTP client for the central ledger: signed requests, strict answers.

Failures come in two kinds, and the outbox treats them differently:
* ``LinkDown`` — nothing usable came back (no connection, timeout, 5xx, 429, an answer
  that is not the expected JSON). Retry later; the ledger may or may not have committed,
  which is safe because a retry of the same operation id is answered ``duplicate``.
* ``Refused`` — the ledger answered and will not take the request as it is (4xx other than
  429). Retrying the same bytes cannot help; the row is kept and flagged for an operator.
"""

from __future__ import annotations

import email.utils
import json
import logging
from dataclasses import dataclass
from typing import Any

import requests

from kiosk.catalog import Service
from kiosk.checks import OK, AccountChecker, CheckResult, LinkDown
from kiosk.clock import Clock
from kiosk.limits import AccountHeadroom, WalletStatus
from kiosk.logs import log_event
from kiosk.money import Money
from sync.auth import signed_headers

log = logging.getLogger("sync.client")

PAYMENT_STATUSES = frozenset({"accepted", "duplicate", "conflict", "rejected"})


class Refused(Exception):
    """The ledger answered 4xx: the request will not succeed by repeating it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class Unreachable(LinkDown):
    """LinkDown with the ledger's wish of when to come back, if it said (Retry-After)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    operation_id: str
    status: str  # accepted | duplicate | conflict | rejected
    code: int
    reason: str | None


def _retry_after(response: requests.Response, now: float) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


class LedgerClient(AccountChecker):
    """One terminal's view of the ledger. Thread-safe as far as ``requests.Session`` is for
    sequential use: the outbox worker and the core each get their own client."""

    def __init__(self, base_url: str, terminal_id: str, secret: str, clock: Clock, *,
                 timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.terminal_id = terminal_id
        self._secret = secret
        self.clock = clock
        self.timeout = timeout
        self.clock_offset = 0.0  # ledger time minus ours, learnt from its Date header
        self._http = requests.Session()

    def close(self) -> None:
        self._http.close()

    # -- transport ------------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes = b"") -> Any:
        """Send one signed request and return the parsed JSON answer."""
        for attempt in (1, 2):
            now = self.clock.now() + self.clock_offset
            headers = signed_headers(self.terminal_id, self._secret, method, path, body, now)
            if body:
                headers["Content-Type"] = "application/json"
            try:
                response = self._http.request(method, self.base_url + path, data=body or None,
                                              headers=headers, timeout=self.timeout)
            except requests.RequestException as exc:
                raise Unreachable(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code == 401 and attempt == 1 and self._learn_clock(response):
                continue  # our clock was off: sign again with the ledger's time
            return self._parse(response)
        raise AssertionError("unreachable")

    def _learn_clock(self, response: requests.Response) -> bool:
        """After a 401 for clock skew, adopt the ledger's clock from its Date header."""
        if "skew" not in response.text:
            return False
        date = response.headers.get("Date")
        if not date:
            return False
        try:
            server = email.utils.parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            return False
        self.clock_offset = server - self.clock.now()
        log_event(log, "terminal clock differs from the ledger", logging.WARNING,
                  offset_s=round(self.clock_offset, 1))
        return True

    def _parse(self, response: requests.Response) -> Any:
        status = response.status_code
        if status >= 500 or status == 429:
            raise Unreachable(f"HTTP {status}", _retry_after(response, self.clock.now()))
        if status >= 400:
            raise Refused(status, response.text[:300])
        try:
            return response.json()
        except ValueError as exc:
            raise Unreachable(f"the ledger answered something that is not JSON "
                              f"(HTTP {status}, {len(response.content)} bytes)") from exc

    # -- payments -------------------------------------------------------------------------
    def post_payments(self, bodies: list[bytes]) -> list[ItemAnswer]:
        """Post stored payment bodies as one batch; the batch body is built byte for byte
        from them, so a retry of the same rows sends the same bytes."""
        batch = b'{"payments":[' + b",".join(bodies) + b"]}"
        answer = self.request("POST", "/v1/payments", batch)
        sent = [json.loads(body)["operation_id"] for body in bodies]
        try:
            results = answer["results"]
            items = [ItemAnswer(str(r["operation_id"]), str(r["status"]), int(r.get("code", 0)),
                                r.get("reason")) for r in results]
        except (KeyError, TypeError, ValueError) as exc:
            raise Unreachable(f"malformed payments answer: {exc}") from exc
        if [i.operation_id for i in items] != sent or any(
                i.status not in PAYMENT_STATUSES for i in items):
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
        answer = self.request("POST", "/v1/device-events",
                              b'{"events":[' + b",".join(bodies) + b"]}")
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(bodies):
            raise Unreachable(f"malformed device-event answer: {str(answer)[:100]}")
        statuses = [item.get("status") if isinstance(item, dict) else None for item in results]
        if any(status not in ("accepted", "duplicate", "conflict") for status in statuses):
            raise Unreachable(f"malformed device-event answer: {str(answer)[:100]}")
        return [str(status) for status in statuses]

    def heartbeat(self, body: bytes) -> Any:
        return self.request("POST", "/v1/heartbeat", body)

    # -- account check (the core's AccountChecker) ----------------------------------------
    def check(self, service: Service, account: str) -> CheckResult:
        body = json.dumps({"service": service.id, "account": account},
                          separators=(",", ":")).encode()
        try:
            answer = self.request("POST", "/v1/accounts/check", body)
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
                    balance_room=None if limits.get("balance_room") is None
                    else Money(int(limits["balance_room"])),
                    daily_room=None if limits.get("daily_room") is None
                    else Money(int(limits["daily_room"])))
            return CheckResult(ok=code == OK, code=code, offline=False, headroom=headroom,
                               holder=answer.get("holder"), message=answer.get("message"))
        except (KeyError, TypeError, ValueError) as exc:
            raise Unreachable(f"malformed account check answer: {exc}") from exc
