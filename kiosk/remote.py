"""What the kiosk learns from its ledger besides answers about payments: where receipt
numbers continue on a new database (a reinstall), and the service catalog.

* **Receipt numbering.** A database that has never issued a receipt, on a terminal that has
  a ledger, asks the ledger for the highest receipt number and operation sequence it holds
  from this terminal and continues after them, so a reinstalled kiosk never reuses a
  number. Until the ledger has answered once, the kiosk takes no cash (reason
  ``receipt_numbering``).
* **Catalog.** ``GET /v1/catalog`` with ``If-None-Match``; a new catalog is validated with
  the same rules as the shipped file, kept on disk as the last good one (used at the next
  start, before the ledger is reached), and handed to the core, which swaps it in between
  customers. A bad or unreachable catalog never takes the kiosk out of service.
* **Remote commands** (:class:`RemoteControl`). The signed heartbeat answer carries the
  operator's commands; they are stored under the ledger's ids (applied once however often
  they are carried), acknowledged in the next heartbeat, and reported done once in effect.
  Lock: out of service (``locked``) as soon as no customer is on the screens (a payment in
  progress is finished first; a session with cash is never interrupted) until an unlock.
  Maintenance: from ``NOTICE_AHEAD_S`` before its start the idle screen announces it; at the
  start, between customers, out of service (``maintenance``) until its end or an unlock.
  Stored in the kiosk's database: a lock holds across restarts.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select, update

from kiosk.availability import LOCKED, MAINTENANCE
from kiosk.catalog_file import load_catalog
from kiosk.checks import LinkDown
from kiosk.domain.catalog import Catalog, CatalogError, parse_catalog
from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from kiosk.session import State
from kiosk.store.db import Store
from kiosk.store.models import RemoteCommandRecord
from kiosk.store.records import Records
from sync.client import LedgerClient, Refused

if TYPE_CHECKING:
    from kiosk.core import KioskCore

log = logging.getLogger("kiosk.remote")

NUMBERING_REASON = "receipt_numbering"
CATALOG_FILE = "catalog.json"
ETAG_FILE = "catalog.etag"
FIRST_CONTACT_RETRY_S = 5.0
NOTICE_AHEAD_S = 3 * 3600  # planned maintenance is announced 3 hours ahead (offer §7.2.9)
COMMAND_KINDS = ("lock", "unlock", "maintenance", "catalog")
MAX_COMMAND_ID = 2**62
# A command not yet in effect is done when a later one of these kinds replaces it.
OVERRIDDEN_BY = {
    "unlock": ("lock", "maintenance"),
    "maintenance": ("maintenance", "unlock"),
    "catalog": ("catalog",),
}


def settle_numbering(records: Records, client: LedgerClient) -> bool:
    """Make sure this database's receipt numbers continue the ledger's. True once settled
    (now or before); False when the ledger could not be asked (try again later)."""
    if records.numbering_settled():
        return True
    try:
        answer = client.reconciliation()
        receipt = int(answer["highest_receipt_number"])
        sequence = int(answer["highest_local_seq"])
    except (LinkDown, Refused) as exc:
        log_event(
            log,
            "cannot confirm receipt numbering with the ledger yet",
            logging.WARNING,
            error=str(exc),
        )
        return False
    except (KeyError, TypeError, ValueError) as exc:
        log_event(
            log, "the ledger's reconciliation answer is malformed", logging.ERROR, error=repr(exc)
        )
        return False
    if receipt < 0 or sequence < 0:
        log_event(
            log,
            "the ledger's reconciliation answer is negative",
            logging.ERROR,
            receipt=receipt,
            sequence=sequence,
        )
        return False
    records.continue_numbering(receipt, sequence)
    if receipt or sequence:
        log_event(
            log,
            "new database: receipt numbers continue the ledger's",
            logging.WARNING,
            after_receipt=receipt,
            after_local_seq=sequence,
        )
    return True


@dataclass
class CatalogKeeper:
    """The last good catalog on disk (``directory``) and its ETag."""

    directory: Path

    def cached(self) -> Catalog | None:
        """The catalog last fetched from the ledger, if one is kept and still valid."""
        path = self.directory / CATALOG_FILE
        if not path.exists():
            return None
        try:
            return load_catalog(path)
        except CatalogError as exc:
            log_event(
                log, "kept catalog unusable: using the shipped one", logging.WARNING, error=str(exc)
            )
            return None

    def _etag(self) -> str | None:
        try:
            return (self.directory / ETAG_FILE).read_text("ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def fetch(self, client: LedgerClient) -> Catalog | None:
        """A new valid catalog from the ledger, kept on disk; None when unchanged, invalid
        or unreachable (the current catalog stays)."""
        etag = self._etag() if (self.directory / CATALOG_FILE).exists() else None
        try:
            answer = client.get_catalog(etag)
        except (LinkDown, Refused) as exc:
            log_event(log, "catalog not fetched", logging.INFO, error=str(exc))
            return None
        if answer is None:
            return None
        try:
            data = json.loads(answer.body)
            if not isinstance(data, dict):
                raise CatalogError("the top level must be a JSON object")
            catalog = parse_catalog(data)
        except (ValueError, CatalogError) as exc:
            log_event(
                log,
                "ledger served a bad catalog: kept the current one",
                logging.ERROR,
                error=str(exc)[:300],
            )
            return None
        self._keep(answer.body, answer.etag)
        return catalog

    def _keep(self, body: bytes, etag: str | None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name, data in (
            (CATALOG_FILE, body),
            (ETAG_FILE, (etag or "").encode("ascii", "replace")),
        ):
            path = self.directory / name
            tmp = path.with_suffix(path.suffix + ".tmp")
            descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)


class LedgerUpkeep:
    """A thread of its own (with its own HTTP client): receipt numbering at first contact,
    then the catalog every ``refresh_s``. ``submit`` runs a function on the core thread."""

    def __init__(
        self,
        records: Records,
        client: LedgerClient,
        keeper: CatalogKeeper | None,
        *,
        refresh_s: float,
        submit: Callable[..., object],
        wake: threading.Event | None = None,
    ) -> None:
        self.records = records
        self.client = client
        self.keeper = keeper
        self.refresh_s = refresh_s
        self.submit = submit
        self._stop = threading.Event()
        # Set by a catalog command (RemoteControl.fetch_wanted): fetch now, not at refresh_s.
        self._wake = wake or threading.Event()
        self._thread = threading.Thread(target=self._run, name="ledger-upkeep", daemon=True)

    def start(self) -> LedgerUpkeep:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self.client.close()

    def _run(self) -> None:
        while not settle_numbering(self.records, self.client):
            if self._stop.wait(FIRST_CONTACT_RETRY_S):
                return
        self.submit(lambda core: core.release(NUMBERING_REASON))
        while not self._stop.is_set():
            if self.keeper is not None:
                catalog = self.keeper.fetch(self.client)
                if catalog is not None:
                    self.submit(lambda core, catalog=catalog: core.offer_catalog(catalog))
            self._wake.wait(self.refresh_s)
            self._wake.clear()


@dataclass(frozen=True, slots=True)
class Plan:
    """What the stored commands ask for now: locked or not, and the planned maintenance
    (start, end; Unix ms; end None: until unlocked). ``commands``: those not yet done, as
    (id, kind, catalog version) in order."""

    locked: bool = False
    maintenance: tuple[int, int | None] | None = None
    commands: tuple[tuple[int, str, str | None], ...] = ()


def _command(item: Any) -> RemoteCommandRecord | None:
    """A carried command as a record to keep; None for one that is malformed."""
    if not isinstance(item, dict):
        return None
    ident, kind = item.get("id"), item.get("kind")
    starts, ends = item.get("starts_at"), item.get("ends_at")
    if not isinstance(ident, int) or isinstance(ident, bool) or not 0 < ident <= MAX_COMMAND_ID:
        return None
    if kind not in COMMAND_KINDS:
        return None
    for value in (starts, ends):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return None
    if kind == "maintenance" and starts is None:
        return None
    version = item.get("catalog_version")
    return RemoteCommandRecord(
        id=ident,
        kind=kind,
        starts_at=starts,
        ends_at=ends,
        catalog_version=str(version)[:64] if version is not None else None,
    )


def _over(plan: Plan, now_ms: int) -> bool:
    """No maintenance is planned any more, or the planned one has ended."""
    if plan.maintenance is None:
        return True
    end = plan.maintenance[1]
    return end is not None and now_ms >= end


class RemoteControl:
    """The ledger's commands as this kiosk keeps and applies them.

    ``receipts`` and ``answered`` run on the outbox worker's thread (each heartbeat);
    ``apply`` on the core thread (each tick). The plan is read from the store again only
    after an answer brought something new."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()
        self._changed = True
        self._plan = Plan()
        # Set when a catalog command arrives: the upkeep thread fetches the catalog now.
        self.fetch_wanted = threading.Event()

    # -- the outbox worker's side ---------------------------------------------------------
    def receipts(self) -> tuple[list[int], list[int]]:
        """The ids to report in the next heartbeat: received (not yet recorded by the ledger
        as acknowledged) and done (not yet recorded as done)."""
        with self.store.reading() as s:
            rows = s.execute(
                select(
                    RemoteCommandRecord.id,
                    RemoteCommandRecord.acknowledged,
                    RemoteCommandRecord.done_at,
                    RemoteCommandRecord.done_reported,
                )
                .where(
                    or_(
                        RemoteCommandRecord.acknowledged.is_(False),
                        and_(
                            RemoteCommandRecord.done_at.is_not(None),
                            RemoteCommandRecord.done_reported.is_(False),
                        ),
                    )
                )
                .order_by(RemoteCommandRecord.id)
            ).all()
        acked = [row.id for row in rows if not row.acknowledged][:100]
        done = [row.id for row in rows if row.done_at is not None and not row.done_reported]
        return acked, done[:100]

    def answered(self, answer: Any, acked: list[int], done: list[int]) -> None:
        """A signed heartbeat answer: the ledger recorded ``acked`` and ``done``; keep the
        commands it carries that are new here (a command carried again is ignored)."""
        carried = answer.get("commands") if isinstance(answer, dict) else None
        fresh = [_command(item) for item in carried] if isinstance(carried, list) else []
        now_ms = int(self.clock.now() * 1000)
        added = []
        with self.store.transaction() as s:
            if acked:
                s.execute(
                    update(RemoteCommandRecord)
                    .where(RemoteCommandRecord.id.in_(acked))
                    .values(acknowledged=True)
                )
            if done:
                s.execute(
                    update(RemoteCommandRecord)
                    .where(RemoteCommandRecord.id.in_(done))
                    .values(done_reported=True)
                )
            for record in fresh:
                if record is None:
                    log_event(log, "malformed remote command ignored", logging.ERROR)
                    continue
                if s.get(RemoteCommandRecord, record.id) is not None:
                    continue
                record.received_at = now_ms
                record.acknowledged = False
                record.done_reported = False
                s.add(record)
                added.append((record.id, record.kind))
        if added:
            log_event(log, "remote commands received", commands=added)
            if any(kind == "catalog" for _ident, kind in added):
                self.fetch_wanted.set()
            with self._lock:
                self._changed = True

    # -- the core's side ------------------------------------------------------------------
    def plan(self) -> Plan:
        """What the stored commands ask for, in the order the ledger issued them: an unlock
        ends a lock and a maintenance; a later maintenance replaces an earlier one."""
        with self._lock:
            if not self._changed:
                return self._plan
            self._changed = False
        with self.store.reading() as s:
            rows = s.execute(
                select(
                    RemoteCommandRecord.id,
                    RemoteCommandRecord.kind,
                    RemoteCommandRecord.starts_at,
                    RemoteCommandRecord.ends_at,
                    RemoteCommandRecord.done_at,
                    RemoteCommandRecord.catalog_version,
                ).order_by(RemoteCommandRecord.id)
            ).all()
        locked = False
        maintenance: tuple[int, int | None] | None = None
        for row in rows:
            if row.kind == "lock":
                locked = True
            elif row.kind == "unlock":
                locked, maintenance = False, None
            elif row.kind == "maintenance" and row.starts_at is not None:
                maintenance = (row.starts_at, row.ends_at)
        pending = tuple(
            (row.id, row.kind, row.catalog_version) for row in rows if row.done_at is None
        )
        self._plan = Plan(locked, maintenance, pending)
        return self._plan

    def apply(self, core: KioskCore) -> None:
        """Bring the kiosk to what the commands ask for: out of service only between
        customers, back in service at once; the notice of a coming maintenance."""
        plan = self.plan()
        now_ms = int(self.clock.now() * 1000)
        availability = core.availability
        live = core.session.live
        between_customers = live is None or live.state in (State.DONE, State.CANCELLED)
        under_way = False
        notice = None
        if plan.maintenance is not None:
            start, end = plan.maintenance
            under_way = start <= now_ms and (end is None or now_ms < end)
            if start - NOTICE_AHEAD_S * 1000 <= now_ms < start:
                notice = start
        if availability.maintenance_notice_at != notice:
            availability.maintenance_notice_at = notice
            core.screens.publish()
        for reason, wanted, detail in (
            (LOCKED, plan.locked, "locked by the operator"),
            (MAINTENANCE, under_way, "planned maintenance"),
        ):
            if wanted and reason not in availability and between_customers:
                core.hold(reason, detail)
            elif not wanted and reason in availability:
                core.release(reason)
        self._mark_done(plan, core, now_ms)

    def _mark_done(self, plan: Plan, core: KioskCore, now_ms: int) -> None:
        """Commands whose effect is in place (or replaced by a later command) are done."""
        if not plan.commands:
            return
        finished = []
        for ident, kind, version in plan.commands:
            superseded = any(
                later > ident and later_kind in OVERRIDDEN_BY.get(kind, ())
                for later, later_kind, _version in plan.commands
            )
            if kind == "lock":
                took = LOCKED in core.availability or not plan.locked
            elif kind == "unlock":
                took = LOCKED not in core.availability and MAINTENANCE not in core.availability
            elif kind == "maintenance":
                took = MAINTENANCE in core.availability or _over(plan, now_ms)
            else:  # catalog: in use once fetched (LedgerUpkeep) and swapped in between customers
                took = core.catalog.version == version
            if took or superseded:
                finished.append(ident)
        if not finished:
            return
        with self.store.transaction() as s:
            s.execute(
                update(RemoteCommandRecord)
                .where(RemoteCommandRecord.id.in_(finished))
                .values(done_at=now_ms)
            )
        log_event(log, "remote commands in effect", commands=finished)
        with self._lock:
            self._changed = True
