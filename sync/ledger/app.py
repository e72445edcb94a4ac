"""The ledger's HTTP API (FastAPI). OpenAPI at ``/openapi.json``.

Every ``/v1/`` request is signed by a terminal (:mod:`sync.auth`); the check runs before the
body is parsed, so an unsigned request learns nothing but 401. A terminal posts and reads
only its own payments.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import FastAPI, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from kiosk import __version__
from kiosk.logs import log_event
from sync.auth import (
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    AuthError,
    parse_headers,
    verify,
)
from sync.ledger.schema import (
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
from sync.ledger.service import Ledger, LedgerBusy

log = logging.getLogger("sync.ledger.http")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
PROTECTED_PREFIX = "/v1/"


class TerminalAuth:
    """ASGI middleware: verify the terminal signature of every ``/v1/`` request."""

    def __init__(self, app: ASGIApp, ledger: Ledger) -> None:
        self.app = app
        self.ledger = ledger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PROTECTED_PREFIX):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            terminal_id = await self._authenticate(scope, body)
        except AuthError as exc:
            log_event(log, "request refused", path=scope["path"], reason=str(exc))
            response = JSONResponse({"detail": str(exc)}, status_code=401,
                                    headers={"WWW-Authenticate": "HMAC-SHA256"})
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["terminal_id"] = terminal_id
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _authenticate(self, scope: Scope, body: bytes) -> str:
        headers = {key.decode("latin-1").lower(): value.decode("latin-1")
                   for key, value in scope["headers"]}
        signed = parse_headers(headers.get(HEADER_TERMINAL.lower()),
                               headers.get(HEADER_TIMESTAMP.lower()),
                               headers.get(HEADER_SIGNATURE.lower()))
        secret = (self.ledger.cached_secret(signed.terminal_id)
                  or await run_in_threadpool(self.ledger.terminal_secret, signed.terminal_id))
        if secret is None:
            raise AuthError(f"unknown terminal {signed.terminal_id!r}: add it with "
                            "'kiosk ledger terminal add'")
        path = scope.get("raw_path") or scope["path"].encode()
        target = path.decode("latin-1")
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        verify(signed, secret, scope["method"], target, body, self.ledger.clock.now())
        return signed.terminal_id


def _terminal(request: Request) -> str:
    terminal_id: str = request.scope["state"]["terminal_id"]
    return terminal_id


def create_app(ledger: Ledger) -> FastAPI:
    """The ASGI application of a ledger."""
    app = FastAPI(title="Kiosk central ledger", version=__version__,
                  description="Exactly-once crediting of kiosk cash payments, double entry.")

    @app.exception_handler(LedgerBusy)
    async def busy(_request: Request, exc: LedgerBusy) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "1"})

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness for probes (no auth)."""
        return {"ok": True, "catalog_version": ledger.catalog.version}

    @app.post("/v1/accounts/check", response_model=AccountCheckOut, tags=["payments"])
    def check_account(body: AccountCheckIn) -> AccountCheckOut:
        """May this account receive money, how much at most, and whose is it (masked)."""
        return ledger.check_account(body)

    @app.post("/v1/payments", response_model=BatchResult, tags=["payments"])
    def post_payments(body: PaymentBatch, request: Request) -> Response:
        """Post a batch; one result per payment: accepted, duplicate, conflict or rejected."""
        terminal_id = _terminal(request)
        foreign = sorted({item.terminal_id for item in body.payments} - {terminal_id})
        if foreign:
            raise HTTPException(403, f"terminal {terminal_id} may not post payments of "
                                     f"{', '.join(foreign)}")
        answer = BatchResult(results=ledger.post_payments(terminal_id, body.payments))
        # Serialised once here: the results are already validated models.
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.get("/v1/payments/{operation_id}", response_model=PaymentView, tags=["payments"])
    def get_payment(operation_id: str, request: Request) -> PaymentView:
        """One payment of this terminal: completed, or rejected with the reason."""
        view = ledger.payment(operation_id)
        if view is None or view.terminal_id != _terminal(request):
            raise HTTPException(404, f"no payment {operation_id} from this terminal")
        return view

    @app.get("/v1/terminals/{terminal_id}/receipts/{receipt_number}",
             response_model=ReceiptLookup, tags=["payments"])
    def get_receipt(terminal_id: str, receipt_number: int, request: Request) -> ReceiptLookup:
        """A payment by the data on its receipt: processing, completed or rejected."""
        if terminal_id != _terminal(request):
            raise HTTPException(403, "a terminal may only look up its own receipts")
        found = ledger.receipt(terminal_id, receipt_number)
        if found is None:
            raise HTTPException(404, f"no receipt {receipt_number} from terminal {terminal_id}")
        return found

    @app.post("/v1/heartbeat", response_model=HeartbeatOut, tags=["terminals"])
    def heartbeat(body: HeartbeatIn, request: Request) -> HeartbeatOut:
        """Device states, queue depth and age, software version; answers the server time."""
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
        """The highest local_seq the ledger has from this terminal and the missing ones."""
        return ledger.reconciliation(_terminal(request))

    @app.get("/v1/catalog", tags=["terminals"],
             responses={200: {"content": {"application/json": {}}}, 304: {}})
    def catalog(if_none_match: Annotated[str | None, Header()] = None) -> Response:
        """The service catalog with its version; ETag / If-None-Match saves the download."""
        served = ledger.catalog_file
        headers = {"ETag": served.etag, "X-Catalog-Version": served.catalog.version}
        if if_none_match is not None and served.etag in {tag.strip() for tag in
                                                          if_none_match.split(",")}:
            return Response(status_code=304, headers=headers)
        return Response(served.body, media_type="application/json", headers=headers)

    app.add_middleware(TerminalAuth, ledger=ledger)
    return app

