"""Replay-proof requests: each signed request's id is accepted once per terminal.

The signature (:mod:`sync.auth`) covers ``X-Request-Id``, so a captured request can only be
sent again byte for byte, and then its id is already in ``seen_requests``: refused with 401
"replayed request". The row is written before the request is handled, in its own committed
transaction; when it cannot be written the request is not handled at all (503), so nothing
gets through unrecorded.

How long an id must be remembered: a request is accepted while its timestamp is within
``MAX_SKEW_SECONDS`` of the ledger's clock, so from first sight to the last moment a copy
could pass is at most twice that. Rows older than ``KEEP_S`` (twice the window) are pruned,
at most once every ``PRUNE_EVERY_S`` and in a transaction of their own (a failed prune
loses nothing; the next one catches up).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite

from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from sync.auth import MAX_SKEW_SECONDS, AuthError
from sync.ledger.models import SeenRequest

log = logging.getLogger("sync.ledger.replay")
KEEP_S = 2 * MAX_SKEW_SECONDS
PRUNE_EVERY_S = 60.0
# The ledger's write transaction, retried on lock failures (Ledger._retrying).
Writer = Callable[[Callable[[Connection], object]], object]


class Replayed(AuthError):
    """A request id this terminal already used within the window (answered with 401)."""


def record(connection: Connection, terminal_id: str, request_id: str, now_ms: int) -> bool:
    """Remember ``request_id`` for ``terminal_id``; False if it was already there. One
    statement decides, so of two identical requests at once exactly one is first."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(SeenRequest)
        .values(terminal_id=terminal_id, request_id=request_id, seen_at=now_ms)
        .on_conflict_do_nothing(index_elements=["terminal_id", "request_id"])
        .returning(SeenRequest.request_id)
    )
    return connection.execute(statement).first() is not None


def prune(connection: Connection, now_ms: int) -> int:
    """Forget ids first seen more than KEEP_S ago; how many rows went."""
    result = connection.execute(
        delete(SeenRequest).where(SeenRequest.seen_at < now_ms - KEEP_S * 1000)
    )
    return int(result.rowcount or 0)


class ReplayGuard:
    """Records every authenticated request id through ``write`` (the ledger's retrying write
    transaction) and prunes old ones now and then; thread-safe."""

    def __init__(self, write: Writer, clock: Clock) -> None:
        self._write = write
        self._clock = clock
        self._lock = threading.Lock()
        self._pruned_at: float | None = None  # None: not yet in this process

    def admit(self, terminal_id: str, request_id: str) -> None:
        """Record the id or raise :class:`Replayed`. A database error propagates: the
        caller must then refuse the request (it was not recorded)."""
        now_ms = int(self._clock.now() * 1000)
        first = self._write(lambda connection: record(connection, terminal_id, request_id, now_ms))
        if not first:
            raise Replayed(
                "replayed request: this request id was already used; a retry "
                "must be signed again with a new X-Request-Id"
            )
        self._prune_if_due()

    def _prune_if_due(self) -> None:
        now = self._clock.now()
        with self._lock:
            if self._pruned_at is not None and 0 <= now - self._pruned_at < PRUNE_EVERY_S:
                return
            self._pruned_at = now  # one thread prunes; the others go on
        try:
            removed = self._write(lambda connection: prune(connection, int(now * 1000)))
        except Exception as exc:  # noqa: BLE001 - a failed prune costs nothing but space
            log_event(
                log,
                "pruning seen request ids failed",
                logging.WARNING,
                error=f"{type(exc).__name__}: {exc}",
            )
            return
        if removed:
            log_event(log, "seen request ids pruned", logging.DEBUG, removed=removed)
