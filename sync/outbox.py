"""The outbox worker: forwards stored payments to the ledger, in order, exactly once.

* Rows are written by the payment transaction (kiosk/store/records.py); this worker only
  marks them. Nothing is ever deleted or dropped.
* A batch is the oldest unsent payments in ``local_seq`` order. Its rows are leased while
  in flight; after a failure the same rows are sent again as the same bytes (the stored
  bodies, joined the same way). Leases left by a dead process are freed at start.
* A lost answer is safe: the ledger answers a repeated operation id ``duplicate``.
* Failures back off exponentially with full jitter between ``min_delay`` and ``max_delay``
  (1 s … 5 min by default), and never sooner than the ledger's ``Retry-After``.
* A batch the ledger refuses (4xx) is split to find the row it refuses; that row is
  flagged ``refused`` for an operator and kept, the others go on.
* An answer without the ledger's signature, a 401/403 or a TLS failure is no answer: the
  link is down (``LinkState.down_reason`` says which), every row stays queued, and once the
  secret, CA file or clock is fixed the same rows go as they are.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.engine.url import make_url

from kiosk.domain.clock import Clock, iso_utc
from kiosk.domain.logfmt import log_event
from kiosk.domain.version import __version__
from kiosk.store.db import Store, StoreError
from kiosk.store.models import CashEntry, OutboxItem, Payment
from sync.client import DownReason, LedgerClient, Refused, Unreachable

DEVICE_EVENT_BATCH = 50

log = logging.getLogger("sync.outbox")

FLAGGED = ("refused", "conflict")


class CommandDesk(Protocol):
    """Where the heartbeat's remote commands go (kiosk/remote.py RemoteControl)."""

    def receipts(self) -> tuple[list[int], list[int]]: ...

    def answered(self, answer: Any, acked: list[int], done: list[int]) -> None: ...


@dataclass(frozen=True, slots=True)
class LinkState:
    """What the core and the service screens show about the ledger link."""

    online: bool
    pending_count: int
    pending_amount: int
    oldest_age_s: float | None
    last_success_at: float | None
    last_error: str | None
    flagged: int
    # Why the link is down (None while online or before the first attempt): "auth" and
    # "tls" need a technician, "unsigned" means something between answers for the ledger.
    down_reason: DownReason | None = None


class OutboxWorker:
    def __init__(
        self,
        store: Store,
        client: LedgerClient,
        clock: Clock,
        rng: random.Random,
        *,
        batch_size: int = 100,
        min_delay: float = 1.0,
        max_delay: float = 300.0,
        lease_s: float = 120.0,
        heartbeat_s: float = 60.0,
        devices: Callable[[], dict[str, Any]] = dict,
        started_at: float | None = None,
        commands: CommandDesk | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.clock = clock
        self.rng = rng
        self.batch_size = batch_size
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.lease_s = lease_s
        self.heartbeat_s = heartbeat_s
        self.devices = devices
        self.commands = commands
        # The kiosk's start on the clock's monotonic scale (the heartbeat's uptime_s).
        self.started_at = clock.monotonic() if started_at is None else started_at
        self._online = False
        self._failures = 0
        self._next_attempt = 0.0
        self._next_heartbeat = 0.0
        self._batch: list[int] = []  # ids of the rows in flight, resent as they are
        self._isolate = False  # after a refused batch: one row at a time
        self._contacted = False
        self._last_success: float | None = None
        self._last_error: str | None = None
        self._down_reason: DownReason | None = None
        self.wake = threading.Event()

    # -- state ----------------------------------------------------------------------------
    @property
    def online(self) -> bool:
        return self._online

    def state(self) -> LinkState:
        now_ms = int(self.clock.now() * 1000)
        with self.store.reading() as s:
            count, amount, oldest = s.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(OutboxItem.amount), 0),
                    func.min(OutboxItem.created_at),
                ).where(OutboxItem.sent_at.is_(None), OutboxItem.kind == "payment")
            ).one()
            flagged = s.scalar(select(func.count()).where(OutboxItem.result.in_(FLAGGED)))
        return LinkState(
            self._online,
            int(count),
            int(amount),
            (now_ms - oldest) / 1000 if oldest is not None else None,
            self._last_success,
            self._last_error,
            int(flagged or 0),
            self._down_reason,
        )

    # -- leases ---------------------------------------------------------------------------
    def free_stale_leases(self) -> int:
        """At start no row can be in flight: free every lease a dead process left."""
        with self.store.transaction() as s:
            stale = list(
                s.scalars(select(OutboxItem.id).where(OutboxItem.leased_until.is_not(None)))
            )
            s.execute(update(OutboxItem).where(OutboxItem.id.in_(stale)).values(leased_until=None))
            freed = len(stale)
        self._batch = []
        return int(freed or 0)

    def _take_batch(self, now_ms: int) -> list[OutboxItem]:
        with self.store.transaction() as s:
            if self._batch:
                rows = list(
                    s.scalars(
                        select(OutboxItem)
                        .where(OutboxItem.id.in_(self._batch))
                        .order_by(OutboxItem.local_seq)
                    )
                )
            else:
                size = 1 if self._isolate else self.batch_size
                rows = list(
                    s.scalars(
                        select(OutboxItem)
                        .where(
                            OutboxItem.sent_at.is_(None),
                            OutboxItem.kind == "payment",
                            OutboxItem.result.is_(None),
                            (OutboxItem.leased_until.is_(None))
                            | (OutboxItem.leased_until < now_ms),
                        )
                        .order_by(OutboxItem.local_seq)
                        .limit(size)
                    )
                )
            for row in rows:
                row.leased_until = now_ms + int(self.lease_s * 1000)
                row.attempts += 1
            self._batch = [row.id for row in rows]
            return rows

    # -- one step -------------------------------------------------------------------------
    def step(self) -> bool:
        """One attempt if one is due: a payment batch, else an encashment, else a batch of
        device events, and the heartbeat when its time has come. Returns True when
        something was delivered."""
        now = self.clock.monotonic()
        if now < self._next_attempt:
            return False
        self._contacted = False
        try:
            delivered = (
                self._send_payments() or self._send_encashment() or self._send_device_events()
            )
            if now >= self._next_heartbeat:
                self._heartbeat()
                self._next_heartbeat = now + self.heartbeat_s
        except Unreachable as exc:
            self._failed(str(exc), exc.retry_after, exc.down_reason)
            return False
        except StoreError as exc:
            self._failed(f"local store: {exc}", None, DownReason.UNREACHABLE)
            return False
        if self._contacted:
            self._succeeded()
        return delivered

    def _send_payments(self) -> bool:
        now_ms = int(self.clock.now() * 1000)
        rows = self._take_batch(now_ms)
        if not rows:
            return False
        try:
            answers = self.client.post_payments([row.body for row in rows])
        except Refused as exc:
            self._contacted = True
            self._refused(rows, exc)
            return True
        self._contacted = True
        done_ms = int(self.clock.now() * 1000)
        # One UPDATE per distinct answer (nearly always one: "accepted"), in one commit.
        marks: dict[tuple[str, str | None], list[int]] = {}
        for row, answer in zip(rows, answers, strict=True):
            # A duplicate repeats the first answer: its reason says it was rejected then.
            rejected = answer.status in ("conflict", "rejected") or (
                answer.status == "duplicate" and answer.code != 0
            )
            error = (answer.reason or f"code {answer.code}") if rejected else None
            marks.setdefault((answer.status, error), []).append(row.id)
        with self.store.transaction() as s:
            for (status, error), ids in marks.items():
                s.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(ids))
                    .values(sent_at=done_ms, result=status, leased_until=None, last_error=error)
                )
        for answer in answers:
            if answer.status == "conflict":
                log_event(
                    log,
                    "ledger holds other content for this operation",
                    logging.ERROR,
                    operation_id=answer.operation_id,
                )
            elif answer.status == "rejected":
                log_event(
                    log,
                    "payment rejected by the ledger: money held in suspense",
                    logging.WARNING,
                    operation_id=answer.operation_id,
                    code=answer.code,
                    reason=answer.reason,
                )
        self._batch = []
        if len(rows) == 1:
            self._isolate = False
        return True

    def _refused(self, rows: list[OutboxItem], exc: Refused) -> None:
        self._batch = []
        if len(rows) > 1:
            self._isolate = True  # find the one row the ledger will not take
            with self.store.transaction() as s:  # free them for the one-by-one sends now
                s.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_([r.id for r in rows]))
                    .values(leased_until=None)
                )
            log_event(log, "batch refused: sending one by one", logging.WARNING, status=exc.status)
            return
        with self.store.transaction() as s:
            s.execute(
                update(OutboxItem)
                .where(OutboxItem.id == rows[0].id)
                .values(result="refused", leased_until=None, last_error=str(exc)[:500])
            )
        log_event(
            log,
            "payment refused by the ledger: kept for an operator",
            logging.ERROR,
            outbox_id=rows[0].id,
            error=str(exc),
        )

    def _send_encashment(self) -> bool:
        with self.store.reading() as s:
            row = s.scalars(
                select(OutboxItem)
                .where(
                    OutboxItem.sent_at.is_(None),
                    OutboxItem.kind == "encashment",
                    OutboxItem.result.is_(None),
                )
                .order_by(OutboxItem.id)
                .limit(1)
            ).first()
        if row is None:
            return False
        try:
            status: str = self.client.post_encashment(row.body)
            error = None
        except Refused as exc:
            status, error = "refused", str(exc)[:500]
        self._contacted = True
        with self.store.transaction() as s:
            s.execute(
                update(OutboxItem)
                .where(OutboxItem.id == row.id)
                .values(
                    sent_at=None if status == "refused" else int(self.clock.now() * 1000),
                    result=status,
                    last_error=error,
                )
            )
        return True

    def _send_device_events(self) -> bool:
        with self.store.reading() as s:
            rows = list(
                s.scalars(
                    select(OutboxItem)
                    .where(
                        OutboxItem.sent_at.is_(None),
                        OutboxItem.kind == "device_event",
                        OutboxItem.result.is_(None),
                    )
                    .order_by(OutboxItem.id)
                    .limit(DEVICE_EVENT_BATCH)
                )
            )
        if not rows:
            return False
        try:
            statuses = self.client.post_device_events([row.body for row in rows])
        except Refused as exc:
            # A report the ledger will not take is kept for an operator; money never waits
            # behind it (payments go first in every step).
            self._contacted = True
            with self.store.transaction() as s:
                s.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_([r.id for r in rows]))
                    .values(result="refused", last_error=str(exc)[:500])
                )
            return True
        self._contacted = True
        done_ms = int(self.clock.now() * 1000)
        by_status: dict[str, list[int]] = {}
        for row, status in zip(rows, statuses, strict=True):
            by_status.setdefault(status, []).append(row.id)
        with self.store.transaction() as s:
            for status, ids in by_status.items():
                s.execute(
                    update(OutboxItem)
                    .where(OutboxItem.id.in_(ids))
                    .values(sent_at=done_ms, result=status)
                )
        return True

    def _heartbeat(self) -> None:
        state = self.state()
        body = {
            "at": iso_utc(self.clock.now()),
            "software_version": __version__,
            "devices": self.devices(),
            "queue": {
                "depth": state.pending_count,
                "amount": state.pending_amount,
                "oldest_age_s": None if state.oldest_age_s is None else int(state.oldest_age_s),
            },
            "last_success_at": None if self._last_success is None else iso_utc(self._last_success),
            **self.terminal_report(),
        }
        acked, done = self.commands.receipts() if self.commands is not None else ([], [])
        if acked:
            body["acknowledged"] = acked
        if done:
            body["done"] = done
        try:
            answer = self.client.heartbeat(json.dumps(body, separators=(",", ":")).encode())
        except Refused as exc:
            log_event(log, "heartbeat refused", logging.WARNING, error=str(exc))
        else:
            # Only a signed answer gets here (the client refuses any other): its commands
            # are the ledger's, and it has recorded what this heartbeat reported.
            if self.commands is not None:
                self.commands.answered(answer, acked, done)
        self._contacted = True

    def terminal_report(self) -> dict[str, Any]:
        """The heartbeat's terminal fields: uptime, the cassette since the last encashment,
        the newest payment's time and the free space beside the database."""
        with self.store.reading() as s:
            notes, amount = s.execute(
                select(func.count(), func.coalesce(func.sum(CashEntry.amount), 0)).where(
                    CashEntry.encashment_id.is_(None)
                )
            ).one()
            newest = s.scalar(select(func.max(Payment.created_at)))
        return {
            "uptime_s": max(0, int(self.clock.monotonic() - self.started_at)),
            "cassette": {"notes": int(notes), "amount": int(amount)},
            "last_payment_at": None if newest is None else iso_utc(newest / 1000),
            "free_disk_bytes": _free_disk_bytes(self.store.url),
        }

    def _succeeded(self) -> None:
        if not self._online:
            log_event(log, "ledger link up")
        self._online = True
        self._failures = 0
        self._last_success = self.clock.now()
        self._last_error = None
        self._down_reason = None

    def _failed(self, error: str, retry_after: float | None, reason: DownReason) -> None:
        if self._online or self._failures == 0 or reason != self._down_reason:
            level = logging.WARNING if reason == DownReason.UNREACHABLE else logging.ERROR
            log_event(log, "ledger link down", level, error=error, reason=str(reason))
        self._online = False
        self._failures += 1
        self._last_error = error
        self._down_reason = reason
        cap = min(self.max_delay, self.min_delay * 2 ** min(self._failures, 30))
        delay = self.rng.uniform(self.min_delay, max(self.min_delay, cap))
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_delay))
        self._next_attempt = self.clock.monotonic() + delay

    # -- running --------------------------------------------------------------------------
    def retry_now(self) -> None:
        """The technician's "send now": forget the back-off and try at once."""
        self._next_attempt = 0.0
        self.wake.set()

    def run(self, stop: threading.Event, idle_s: float = 1.0) -> None:
        """The worker thread's loop: step while there is work, then wait."""
        self.free_stale_leases()
        while not stop.is_set():
            delivered = self.step()
            if not delivered:
                due = self._next_attempt - self.clock.monotonic()
                self.wake.wait(min(idle_s, max(0.05, due)))
                self.wake.clear()


def _free_disk_bytes(store_url: str) -> int | None:
    """Free bytes on the file system holding the database; None for a non-file database."""
    database = make_url(store_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    try:
        return shutil.disk_usage(Path(database).resolve().parent).free
    except OSError:
        return None
