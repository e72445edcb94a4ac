"""The ledger's HTTP API (FastAPI). OpenAPI at ``/openapi.json``.

Every ``/v1/`` request is signed by a terminal (:mod:`sync.auth`); the check runs before the
body is parsed, so an unsigned request learns nothing but 401. Every answer to a request
that passed the check is signed in turn (``X-Signature``, :func:`sync.auth.sign_response`),
whatever its status, so that nothing between kiosk and ledger can forge an answer. A
signed request is handled once: its ``X-Request-Id`` is recorded before it is handled, and
the same id again from the terminal is refused (:mod:`sync.ledger.replay`). A terminal
posts and reads only its own payments.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Awaitable, Callable, Coroutine, Mapping, MutableMapping
from typing import Annotated, Any

from fastapi import FastAPI, Header, HTTPException, Query, Request, Response
from fastapi import Path as FastApiPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from kiosk.domain.logfmt import log_event
from kiosk.domain.version import __version__
from sync.auth import (
    HEADER_REQUEST_ID,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    AuthError,
    SignedRequest,
    parse_headers,
    sign_response,
    verify_any,
)
from sync.ledger.console import mount_console
from sync.ledger.ration import SERVED, Rations, Rule
from sync.ledger.replay import Replayed
from sync.ledger.schema import (
    MAX_COUNT,
    MAX_TIYN,
    AccountCheckIn,
    AccountCheckOut,
    BatchResult,
    DeviceEventBatch,
    DeviceEventsOut,
    EncashmentIn,
    EncashmentOut,
    HeartbeatIn,
    HeartbeatOut,
    PaymentBatch,
    PaymentView,
    ReceiptLookup,
    Reconciliation,
)
from sync.ledger.service import Ledger, LedgerBusy, TerminalKeys
from sync.ledger.status_page import mount_status_page

log = logging.getLogger("sync.ledger.http")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
PROTECTED_PREFIX = "/v1/"
# A batch of MAX_BATCH payments is about half a megabyte (a kiosk sends 100 at a time);
# anything larger is not a kiosk. ``kiosk ledger serve --max-body`` changes it.
MAX_BODY_BYTES = 1024 * 1024
# A body must arrive within this long of its headers: a client that dribbles it is cut off.
BODY_TIMEOUT_S = 30.0
# A 422 names at most this many problems: a batch of bad items must not answer megabytes.
MAX_REPORTED_ERRORS = 10
# The longest integer a request body may hold in JSON: every bound of the schema is under
# 2**63 (19 digits); a longer one is refused before Python builds it (422, not 500).
MAX_JSON_INT_DIGITS = 20
DESCRIPTION = f"""Exactly-once crediting of kiosk cash payments, double entry.

**Requests.** Every `/v1/` request carries `{HEADER_TERMINAL}`, `{HEADER_TIMESTAMP}` (Unix
seconds, within 5 minutes of the ledger's clock), `{HEADER_REQUEST_ID}` (16 to 64 lowercase
hex digits, new for every request, retries included) and `{HEADER_SIGNATURE}`: the
lowercase hex HMAC-SHA256, keyed with the terminal secret (its UTF-8 text), of

    METHOD \\n PATH \\n TIMESTAMP \\n REQUEST_ID \\n sha256hex(request body)

where PATH is the request target as sent (path, plus `?query` when there is one). A request
that fails this check, or whose request id this terminal already used ("replayed
request"), is answered 401, unsigned. When the ledger cannot record the request id it
answers 503 (signed) and handles nothing. A body over the ledger's limit (default
{MAX_BODY_BYTES} bytes) is answered 413, unsigned, and the connection is closed; one that
takes over {BODY_TIMEOUT_S:g} s to arrive, 408. A 422 names at most {MAX_REPORTED_ERRORS}
problems (`type`, `loc`, `msg`; the total in `errors`) and never echoes the values sent.

**Answers.** Every answer to a request that passed the check (200, 304, 403, 404, 422, 503,
500 ...) carries `{HEADER_SIGNATURE}`: the lowercase hex HMAC-SHA256 under the same secret of

    STATUS \\n REQUEST_SIGNATURE \\n sha256hex(response body)

where STATUS is the HTTP status in decimal and REQUEST_SIGNATURE is the request's
`{HEADER_SIGNATURE}` in lowercase hex: an answer verifies only for the request it answers.
A kiosk treats an answer without a valid signature as not coming from the ledger.
"""


class _BodyTooLarge(Exception):
    """A request body over the ledger's limit (answered 413)."""


class _JsonRefused(ValueError):
    """JSON that Python would take but the ledger does not: NaN, Infinity, a huge number."""


_CLOSE = (b"connection", b"close")


def _plain_answer(
    status: int, detail: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An unsigned answer that closes the connection (the rest of the body is not read)."""
    return JSONResponse(
        {"detail": detail}, status_code=status, headers={"Connection": "close", **(headers or {})}
    )


def _has_body(headers: Mapping[bytes, bytes]) -> bool:
    return b"transfer-encoding" in headers or headers.get(b"content-length", b"0") != b"0"


class BodyLimit:
    """ASGI middleware: no request body over ``max_body`` bytes is ever held, on any path.

    A declared Content-Length over the limit is answered 413 before a byte of the body is
    read; a chunked body is counted as it arrives and answered 413 the moment it passes the
    limit. Any answer given while part of the body is still unread closes the connection, so
    the server does not go on reading (and discarding) what an attacker streams."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"")
        too_large = _plain_answer(413, f"request body over {self.max_body} bytes")
        if declared.isdigit() and int(declared) > self.max_body:
            await too_large(scope, receive, send)
            return
        unread = _has_body(headers)
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received, unread
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge
                unread = unread and message.get("more_body", False)
            return message

        async def closing_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if unread:
                    message = {**message, "headers": [*message.get("headers", []), _CLOSE]}
            await send(message)

        try:
            await self.app(scope, limited_receive, closing_send)
        except _BodyTooLarge:
            if started:
                raise
            await too_large(scope, receive, send)


class TerminalAuth:
    """ASGI middleware: verify the terminal signature of every ``/v1/`` request."""

    def __init__(self, app: ASGIApp, ledger: Ledger, body_timeout: float = BODY_TIMEOUT_S) -> None:
        self.app = app
        self.ledger = ledger
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIX):
            await self.app(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.body_timeout):
                body = await self._read_body(receive)
        except TimeoutError:
            response = _plain_answer(
                408, f"the request body did not arrive within {self.body_timeout:g} s"
            )
            await response(scope, receive, send)
            return
        if body is None:
            return  # the client went away
        try:
            signed, secret = await self._authenticate(scope, body)
        except AuthError as exc:
            await _unauthorized(exc, scope, receive, send)
            return
        signer = _SignedAnswer(send, secret, signed.signature)
        try:
            await run_in_threadpool(
                self.ledger.replays.admit, signed.terminal_id, signed.request_id
            )
        except Replayed as exc:
            await _unauthorized(exc, scope, receive, send, terminal_id=signed.terminal_id)
            return
        except (SQLAlchemyError, LedgerBusy) as exc:
            # Handled unrecorded, the request could be replayed: it is not handled at all.
            log_event(
                log,
                "request id not recorded",
                logging.ERROR,
                path=scope["path"],
                terminal_id=signed.terminal_id,
                error=f"{type(exc).__name__}: {exc}",
            )
            response = JSONResponse(
                {"detail": "the ledger could not record this request; try again"},
                status_code=503,
                headers={"Retry-After": "1"},
            )
            await response(scope, receive, signer.send)
            return
        scope.setdefault("state", {})["terminal_id"] = signed.terminal_id
        delivered = False

        async def once() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, once, signer.send)
        except Exception:
            # Starlette's outer error handler would answer 500 unsigned: answer it signed
            # here, then let the error reach the server's log.
            if not signer.started:
                await signer.send_error()
            raise

    @staticmethod
    async def _read_body(receive: Receive) -> bytes | None:
        """The whole request body, or None when the client disconnected (its size is
        bounded by :class:`BodyLimit`, which raises _BodyTooLarge past the limit)."""
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _authenticate(self, scope: Scope, body: bytes) -> tuple[SignedRequest, str]:
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope["headers"]
        }
        signed = parse_headers(
            headers.get(HEADER_TERMINAL.lower()),
            headers.get(HEADER_TIMESTAMP.lower()),
            headers.get(HEADER_SIGNATURE.lower()),
            headers.get(HEADER_REQUEST_ID.lower()),
        )
        path = scope.get("raw_path") or scope["path"].encode()
        target = path.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        cached = self.ledger.cached_keys(signed.terminal_id)
        now = self.ledger.clock.now()

        def check(keys: TerminalKeys | None) -> str:
            return verify_any(
                signed,
                _usable(keys, signed.terminal_id).valid(now),
                scope["method"],
                target,
                body,
                now,
            )

        if cached is None:
            return signed, check(
                await run_in_threadpool(self.ledger.terminal_keys, signed.terminal_id)
            )
        try:
            return signed, check(cached)
        except AuthError:
            # Rotated by another process since they were cached: read them again.
            return signed, check(
                await run_in_threadpool(self.ledger.terminal_keys, signed.terminal_id, True)
            )


async def _unauthorized(
    exc: AuthError, scope: Scope, receive: Receive, send: Send, **fields: Any
) -> None:
    """The 401 for a request the ledger does not take as a terminal's (unsigned: there is
    no terminal to sign it for); one log line, the path cut short."""
    log_event(log, "request refused", path=scope["path"][:100], reason=str(exc), **fields)
    response = JSONResponse(
        {"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "HMAC-SHA256"}
    )
    await response(scope, receive, send)


def _refuse_constant(name: str) -> Any:
    raise _JsonRefused(f"{name} is not a number the ledger takes")


def _bounded_int(digits: str) -> int:
    # Checked before int(): Python would spend quadratic time on, or refuse with a
    # ValueError past 4300 digits, a number no field of the schema can hold.
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise _JsonRefused(f"an integer of {len(digits)} digits is over any bound")
    return int(digits)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JsonRefused("a number over the range of a double is not a number")
    return value


def strict_json(body: bytes) -> Any:
    """The body as JSON, refusing (422) what Python's json would take but the ledger must
    not: NaN, Infinity, 1e400, an integer of thousands of digits, nesting deep enough to
    exhaust the stack. Text that is no JSON at all raises JSONDecodeError, which FastAPI
    answers itself."""
    try:
        return json.loads(
            body, parse_constant=_refuse_constant, parse_int=_bounded_int, parse_float=_finite_float
        )
    except _JsonRefused as exc:
        reason = str(exc)
    except RecursionError:
        reason = "JSON nested too deeply"
    raise HTTPException(
        status_code=422, detail=[{"type": "json_invalid", "loc": ["body"], "msg": reason}]
    )


class _StrictJsonRequest(Request):
    """A request whose JSON body is read by :func:`strict_json`, once."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """Every route parses its body with :func:`strict_json`, where FastAPI parses it (the
    body is parsed once, not checked first and parsed again)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_StrictJsonRequest(request.scope, request.receive))

        return strict


def _short(part: Any) -> Any:
    """One element of an error location: an index, or a name cut to 40 characters (an
    unknown key is the sender's text)."""
    return part if isinstance(part, int) else str(part)[:40]


def validation_answer(exc: RequestValidationError) -> JSONResponse:
    """The 422 for a body that does not fit the schema: where and why, for at most
    MAX_REPORTED_ERRORS problems, and never the values sent (FastAPI's default echoes
    every wrong input: a bad batch of a megabyte answered with more than a megabyte)."""
    errors = exc.errors()
    detail = [
        {
            "type": str(error.get("type", "")),
            "loc": [_short(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", ""))[:300],
        }
        for error in errors[:MAX_REPORTED_ERRORS]
    ]
    return JSONResponse({"detail": detail, "errors": len(errors)}, status_code=422)


def _usable(keys: TerminalKeys | None, terminal_id: str) -> TerminalKeys:
    """The keys of a terminal allowed to post; AuthError (401) naming why not."""
    if keys is None:
        raise AuthError(
            f"unknown terminal {terminal_id!r}: add it with 'kiosk ledger terminal add'"
        )
    if not keys.active:
        raise AuthError(
            f"terminal {terminal_id!r} is disabled at the ledger "
            "('kiosk ledger terminal enable' lets it post again)"
        )
    return keys


class _SignedAnswer:
    """An ASGI ``send`` that holds the answer back until its body is complete, then sends
    it with ``X-Signature`` (the signature covers the whole body)."""

    def __init__(self, send: Send, secret: str, request_signature: str) -> None:
        self._send = send
        self._secret = secret
        self._request_signature = request_signature
        self._start: Message | None = None
        self._chunks: list[bytes] = []
        self.started = False  # the start message went out (with its signature)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._start = message
            return
        if message["type"] != "http.response.body" or self._start is None:
            await self._send(message)
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = b"".join(self._chunks)
        start = self._start
        signature = sign_response(self._secret, int(start["status"]), self._request_signature, body)
        headers = [
            (key, value)
            for key, value in start.get("headers", [])
            if key.lower() != HEADER_SIGNATURE.lower().encode()
        ]
        headers.append((HEADER_SIGNATURE.lower().encode(), signature.encode()))
        self.started = True
        await self._send({**start, "headers": headers})
        await self._send({"type": "http.response.body", "body": body, "more_body": False})

    async def send_error(self) -> None:
        """A signed 500 for an answer that failed before it was sent."""
        body = b'{"detail":"internal ledger error"}'
        self._start, self._chunks = None, []
        await self.send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


def _terminal(request: Request) -> str:
    terminal_id: str = request.scope["state"]["terminal_id"]
    return terminal_id


def create_app(
    ledger: Ledger,
    *,
    rations: Mapping[str, Rule] = SERVED,
    max_body: int = MAX_BODY_BYTES,
    body_timeout: float = BODY_TIMEOUT_S,
) -> FastAPI:
    """The ASGI application of a ledger; ``rations`` per terminal (sync.ledger.ration);
    request bodies over ``max_body`` bytes are refused (413) while they arrive, and one that
    takes over ``body_timeout`` seconds to arrive (408)."""
    app = FastAPI(title="Kiosk central ledger", version=__version__, description=DESCRIPTION)
    app.router.route_class = StrictJsonRoute  # before any route is added
    _add_error_answers(app)
    _add_health(app, ledger)
    _add_payment_routes(app, ledger, _rationed_by(Rations(ledger.clock, rations)))
    _add_terminal_routes(app, ledger)
    mount_status_page(app, ledger)  # /status/: public, unsigned (outside /v1/)
    mount_console(app, ledger)  # /console/: the back office (sync.ledger.console)
    app.add_middleware(TerminalAuth, ledger=ledger, body_timeout=body_timeout)
    app.add_middleware(BodyLimit, max_body=max_body)  # outside TerminalAuth: it bounds it
    return app


def _add_error_answers(app: FastAPI) -> None:
    """A schema error answered without the values sent; a busy ledger answered 503."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_answer(exc)

    @app.exception_handler(LedgerBusy)
    async def busy(_request: Request, exc: LedgerBusy) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "1"})


def _add_health(app: FastAPI, ledger: Ledger) -> None:
    """``/health``: outside ``/v1/``, so unsigned."""

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness for probes (no auth)."""
        return {"ok": True, "catalog_version": ledger.catalog.version}


def _rationed_by(rationing: Rations) -> Callable[[Request, str], None]:
    """A check that the request's terminal has ration left for one more ``kind`` of request:
    HTTPException 429 with Retry-After when not."""

    def rationed(request: Request, kind: str) -> None:
        wait = rationing.take(_terminal(request), kind)
        if wait is not None:
            raise HTTPException(
                429,
                f"too many {kind.replace('_', ' ')}s from this terminal: try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )

    return rationed


def _add_payment_routes(
    app: FastAPI, ledger: Ledger, rationed: Callable[[Request, str], None]
) -> None:
    """Account checks, posting and reading payments, receipt look-ups."""

    @app.post(
        "/v1/accounts/check",
        response_model=AccountCheckOut,
        tags=["payments"],
        responses={429: {"description": "this terminal's ration of checks is spent"}},
    )
    def check_account(body: AccountCheckIn, request: Request) -> AccountCheckOut:
        """May this account receive money, how much at most in one payment now, and whose
        is it (masked). The wallet's balance and day's turnover are not told; checks are
        rationed per terminal (429 with Retry-After)."""
        rationed(request, "account_check")
        return ledger.check_account(body)

    @app.post("/v1/payments", response_model=BatchResult, tags=["payments"])
    def post_payments(body: PaymentBatch, request: Request) -> Response:
        """Post a batch; one result per payment: accepted, duplicate, conflict or rejected.
        A conflict posts nothing: code 300, the operation id is stored with other content;
        code 301, the receipt number is held by another operation of this terminal."""
        terminal_id = _terminal(request)
        foreign = sorted({item.terminal_id for item in body.payments} - {terminal_id})
        if foreign:
            raise HTTPException(
                403, f"terminal {terminal_id} may not post payments of {', '.join(foreign)}"
            )
        answer = BatchResult(results=ledger.post_payments(terminal_id, body.payments))
        # Serialised once here: the results are already validated models.
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/v1/payments/{operation_id}", response_model=PaymentView, tags=["payments"])
    def get_payment(
        operation_id: Annotated[str, FastApiPath(max_length=64)], request: Request
    ) -> PaymentView:
        """One payment of this terminal: completed, or rejected with the reason."""
        view = ledger.payment(operation_id)
        if view is None or view.terminal_id != _terminal(request):
            raise HTTPException(404, f"no payment {operation_id} from this terminal")
        return view

    @app.get(
        "/v1/terminals/{terminal_id}/receipts/{receipt_number}",
        response_model=ReceiptLookup,
        tags=["payments"],
        responses={429: {"description": "this terminal's ration of look-ups is spent"}},
    )
    def get_receipt(
        terminal_id: Annotated[str, FastApiPath(max_length=64)],
        receipt_number: Annotated[int, FastApiPath(ge=1, le=MAX_COUNT)],
        amount: Annotated[int, Query(ge=1, le=MAX_TIYN, description="the inserted amount, tiyn")],
        request: Request,
    ) -> ReceiptLookup:
        """A payment by the data on its receipt: its number *and* the amount inserted (a
        bare number would let anyone step through other people's payments). Processing,
        completed or rejected; a wrong amount is answered as an unknown receipt. Rationed
        per terminal (429 with Retry-After). By operation number: ``/v1/payments/{id}``."""
        if terminal_id != _terminal(request):
            raise HTTPException(403, "a terminal may only look up its own receipts")
        rationed(request, "receipt_lookup")
        found = ledger.receipt(terminal_id, receipt_number)
        if found is None or (found.payment is not None and found.payment.inserted != amount):
            raise HTTPException(
                404, f"no receipt {receipt_number} for this amount from terminal {terminal_id}"
            )
        return found


def _add_terminal_routes(app: FastAPI, ledger: Ledger) -> None:
    """What a terminal reports (heartbeats, encashments, device events) and reads
    (reconciliation, the catalog)."""

    # ``stale`` appears only when true: the answer to a fresh heartbeat is as it always was.
    @app.post(
        "/v1/heartbeat",
        response_model=HeartbeatOut,
        tags=["terminals"],
        response_model_exclude_defaults=True,
    )
    def heartbeat(body: HeartbeatIn, request: Request) -> HeartbeatOut:
        """Device states, cassette, queue depth and age, software version, uptime, free disk;
        answers the server time. The ledger keeps the latest heartbeat by ``at``: one older
        than the kept one is ignored and answered with ``"stale": true``."""
        return ledger.heartbeat(_terminal(request), body)

    @app.post("/v1/encashments", response_model=EncashmentOut, tags=["terminals"])
    def encashment(body: EncashmentIn, request: Request) -> EncashmentOut:
        """A cash collection report, stored once per encashment id."""
        return ledger.encashment(_terminal(request), body)

    @app.post("/v1/device-events", response_model=DeviceEventsOut, tags=["terminals"])
    def device_events(body: DeviceEventBatch, request: Request) -> DeviceEventsOut:
        """Device faults and state changes, stored once per event id (resending is safe)."""
        return DeviceEventsOut(results=ledger.device_events(_terminal(request), body.events))

    @app.get("/v1/reconciliation", response_model=Reconciliation, tags=["terminals"])
    def reconciliation(request: Request) -> Reconciliation:
        """The highest local_seq the ledger has from this terminal and the missing ones, and
        the highest receipt number stored (completed or rejected): after a reinstall the
        kiosk numbers on from it."""
        return ledger.reconciliation(_terminal(request))

    @app.get(
        "/v1/catalog",
        tags=["terminals"],
        responses={200: {"content": {"application/json": {}}}, 304: {}},
    )
    def catalog(if_none_match: Annotated[str | None, Header()] = None) -> Response:
        """The service catalog with its version; ETag / If-None-Match saves the download.
        The newest catalog an admin uploaded is served (within seconds of the upload)."""
        ledger.refresh_catalog()
        served = ledger.catalog_file
        headers = {"ETag": served.etag, "X-Catalog-Version": served.catalog.version}
        if if_none_match is not None and served.etag in {
            tag.strip() for tag in if_none_match.split(",")
        }:
            return Response(status_code=304, headers=headers)
        return Response(served.body, media_type="application/json", headers=headers)
