"""The ledger: terminals, payments, account checks, reports and the audit, over one database.

Every public method is one transaction. The HTTP layer (:mod:`sync.ledger.app`) only
authenticates and translates; everything about money is decided here and in
:mod:`sync.ledger.posting`.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from kiosk.domain.catalog import Category
from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.limits import AccountHeadroom, max_acceptable
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from sync.auth import new_secret
from sync.ledger import catalogs, encashments, fleet, reports, suspense
from sync.ledger import commands as remote
from sync.ledger.audit import Audit, audit
from sync.ledger.books import AccountIds
from sync.ledger.catalogs import CatalogFile, CatalogVersions
from sync.ledger.db import create_ledger_engine, migrate
from sync.ledger.models import Payment, Terminal, Wallet
from sync.ledger.posting import RaceLost, post_batch, prepare
from sync.ledger.replay import ReplayGuard
from sync.ledger.schema import (
    AccountCheckIn,
    AccountCheckOut,
    DeviceEventIn,
    DeviceEventResult,
    EncashmentIn,
    EncashmentOut,
    HeartbeatIn,
    HeartbeatOut,
    ItemResult,
    Limits,
    PaymentIn,
    PaymentView,
    ReceiptLookup,
    Reconciliation,
    RemoteCommandOut,
)
from sync.ledger.sealing import SecretSealer, key_path_for, prepare_sealer
from sync.ledger.wallets import (
    DEFAULT_MRP,
    Code,
    WalletPolicy,
    WalletRow,
    WalletState,
    business_day,
    default_open_services,
    headroom,
    load_wallet_file,
    mask_holder,
    normalise_account,
    seed_wallets,
    wallet_verdict,
)

log = logging.getLogger("sync.ledger")
MAX_ATTEMPTS = 8
CATALOG_CHECK_S = 10.0  # how often a running ledger looks for an uploaded catalog
SECRET_CACHE_S = 30.0
T = TypeVar("T")


class LedgerBusy(Exception):
    """The database kept refusing the transaction (locks, deadlocks); the client retries."""


class TerminalExists(Exception):
    """``terminal add`` for an id that already has a secret."""


class UnknownTerminal(Exception):
    """``terminal rotate | disable | enable`` for an id never added."""


@dataclass(frozen=True, slots=True)
class TerminalKeys:
    """What the ledger checks a terminal's request with: its secret, the one it replaced
    while that is still in its grace period, and whether the terminal may post at all."""

    active: bool
    secret: str
    previous: str | None = None
    previous_until: float | None = None  # Unix seconds

    def __repr__(self) -> str:  # never the secrets
        return f"TerminalKeys(active={self.active}, previous={self.previous is not None})"

    def valid(self, now: float) -> tuple[str, ...]:
        """The secrets that sign at ``now``: the current one first."""
        if (
            self.previous is not None
            and self.previous_until is not None
            and now < self.previous_until
        ):
            return (self.secret, self.previous)
        return (self.secret,)


class Ledger:
    """The central ledger over an engine; thread-safe (one transaction per call)."""

    def __init__(
        self,
        engine: Engine,
        catalog: CatalogFile,
        policy: WalletPolicy,
        clock: Clock | None = None,
        *,
        sealer: SecretSealer,
    ) -> None:
        self.engine = engine
        self.sealer = sealer
        self.catalog_file = catalog
        self.catalog = catalog.catalog
        self.catalogs = CatalogVersions(catalog.catalog, catalog.etag)
        # The served catalog's upload time (or first record): a newer upload replaces it.
        self._catalog_since_ms = 0
        self._catalog_checked = -math.inf
        self._catalog_lock = threading.Lock()
        self.policy = policy
        self.clock: Clock = clock or SystemClock()
        self.accounts = AccountIds()
        self._readers = engine.execution_options(ledger_read_only=True)
        # terminal id -> (keys of an active terminal, read at)
        self._secrets: dict[str, tuple[TerminalKeys, float]] = {}
        self._secrets_lock = threading.Lock()
        # SQLite has one writer at a time anyway; queueing our own threads on a lock spares
        # them SQLite's busy handler, which sleeps up to 100 ms between tries.
        self._write_lock: AbstractContextManager[object] = (
            threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )
        # Every authenticated request's id, once (sync.ledger.replay).
        self.replays = ReplayGuard(self._retrying, self.clock)

    @classmethod
    def open(
        cls,
        url: str,
        *,
        wallets: Path | None = None,
        mrp: Money = DEFAULT_MRP,
        catalog_path: Path | None = None,
        clock: Clock | None = None,
        secrets_key_file: Path | None = None,
        seed: bool = True,
    ) -> Ledger:
        """Open (and migrate) the database at ``url``, seeding the wallet file if given (and
        ``seed``: the workers of a pool read the file's policy, the pool's start seeds).

        Terminal secrets are sealed under ``secrets_key_file`` (default: see
        :func:`sync.ledger.sealing.key_path_for`); SecretsKeyError says what is wrong."""
        engine = create_ledger_engine(url)
        try:
            key_path = key_path_for(url, secrets_key_file)
            migrate(engine)
            sealer = prepare_sealer(engine, key_path)
        except BaseException:
            engine.dispose()
            raise
        catalog = CatalogFile.read(catalog_path)
        registry = load_wallet_file(wallets) if wallets is not None else None
        opens = registry.open_on_first_payment if registry is not None else None
        policy = WalletPolicy(
            mrp, opens if opens is not None else default_open_services(catalog.catalog)
        )
        ledger = cls(engine, catalog, policy, clock, sealer=sealer)
        with engine.begin() as connection:  # kept: payments priced with it are checked by it
            ledger.catalogs.record(connection, catalog.body, ledger._now_ms())
            ledger._catalog_since_ms = catalogs.first_served_at(connection, catalog.etag)
        ledger.refresh_catalog(force=True)  # an admin's upload since is newer than the file
        if registry is not None and seed:
            with engine.begin() as connection:
                added = seed_wallets(connection, catalog.catalog, registry.wallets)
            log_event(
                log,
                "wallet registry seeded",
                file=str(wallets),
                added=added,
                listed=len(registry.wallets),
            )
        return ledger

    def close(self) -> None:
        self.engine.dispose()

    def _now_ms(self) -> int:
        return int(self.clock.now() * 1000)

    def _retrying(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction, again after a lost race or a lock failure."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with self._write_lock, self.engine.begin() as connection:
                    return work(connection)
            except RaceLost:
                continue
            except DBAPIError as exc:
                # A deadlock, serialization failure or busy database (OperationalError), or
                # a connection that died under us: the transaction was rolled back whole.
                if not isinstance(exc, OperationalError) and not exc.connection_invalidated:
                    raise
                log_event(
                    log,
                    "ledger transaction retried",
                    logging.WARNING,
                    attempt=attempt,
                    error=str(exc.orig),
                )
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise LedgerBusy(f"the ledger database refused {MAX_ATTEMPTS} attempts; try again")

    def _reading(self, work: Callable[[Connection], T]) -> T:
        """Run a read; once more on a new connection when the pooled one was dead (the
        database restarted): connections are not pinged at every checkout."""
        try:
            with self._readers.connect() as connection:
                return work(connection)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
        with self._readers.connect() as connection:
            return work(connection)

    # Terminals -------------------------------------------------------------------------
    def add_terminal(self, terminal_id: str) -> str:
        """Register a terminal and return its new secret (shown once, never logged)."""
        secret = new_secret()
        with self.engine.begin() as connection:
            known = connection.execute(select(Terminal.id).where(Terminal.id == terminal_id))
            if known.first() is not None:
                raise TerminalExists(f"terminal {terminal_id} already exists")
            connection.execute(
                insert(Terminal).values(
                    id=terminal_id,
                    secret=self.sealer.seal(terminal_id, secret),
                    created_at=self._now_ms(),
                    active=True,
                )
            )
        log_event(log, "terminal added", terminal_id=terminal_id)
        return secret

    def rotate_terminal(self, terminal_id: str, grace_s: float) -> str:
        """Give a terminal a new secret and return it (shown once); the one it replaces
        still signs for ``grace_s`` seconds, while the kiosk's secret file is changed."""
        secret = new_secret()
        until = self._now_ms() + int(grace_s * 1000)
        with self._write_lock, self.engine.begin() as connection:
            stored = connection.execute(
                select(Terminal.secret).where(Terminal.id == terminal_id)
            ).scalar_one_or_none()
            if stored is None:
                raise UnknownTerminal(
                    f"no terminal {terminal_id}: add it with 'kiosk ledger terminal add'"
                )
            # The sealed text moves as it is: it is bound to the terminal id, not the column.
            connection.execute(
                update(Terminal)
                .where(Terminal.id == terminal_id)
                .values(
                    secret=self.sealer.seal(terminal_id, secret),
                    previous_secret=stored,
                    previous_until=until,
                )
            )
        self._forget(terminal_id)
        log_event(log, "terminal secret rotated", terminal_id=terminal_id, grace_s=grace_s)
        return secret

    def set_terminal_active(self, terminal_id: str, active: bool) -> None:
        """Disable (its requests are refused, 401) or enable a terminal again."""
        with self._write_lock, self.engine.begin() as connection:
            changed = connection.execute(
                update(Terminal).where(Terminal.id == terminal_id).values(active=active)
            ).rowcount
        if not changed:
            raise UnknownTerminal(
                f"no terminal {terminal_id}: add it with 'kiosk ledger terminal add'"
            )
        self._forget(terminal_id)
        log_event(
            log, "terminal enabled" if active else "terminal disabled", terminal_id=terminal_id
        )

    def _forget(self, terminal_id: str) -> None:
        with self._secrets_lock:
            self._secrets.pop(terminal_id, None)

    def cached_keys(self, terminal_id: str) -> TerminalKeys | None:
        """The keys of an active terminal read in the last SECRET_CACHE_S seconds, or None
        (then ask :meth:`terminal_keys`). No database: safe on the event loop."""
        with self._secrets_lock:
            cached = self._secrets.get(terminal_id)
        if cached is not None and 0 <= self.clock.now() - cached[1] < SECRET_CACHE_S:
            return cached[0]
        return None

    def terminal_keys(self, terminal_id: str, fresh: bool = False) -> TerminalKeys | None:
        """A terminal's keys (None: never added), from the cache unless ``fresh``. Those
        of an active terminal are kept SECRET_CACHE_S seconds: every request needs them,
        so a terminal disabled by another process is refused that much later (rotation
        and enabling take effect at once: a failed check reads them again)."""
        cached = None if fresh else self.cached_keys(terminal_id)
        if cached is not None:
            return cached
        now = self.clock.now()
        row = self._reading(
            lambda connection: connection.execute(
                select(
                    Terminal.active,
                    Terminal.secret,
                    Terminal.previous_secret,
                    Terminal.previous_until,
                ).where(Terminal.id == terminal_id)
            ).first()
        )
        keys = None
        if row is not None:
            previous = (
                self.sealer.open(terminal_id, row.previous_secret)
                if row.previous_secret is not None
                else None
            )
            keys = TerminalKeys(
                bool(row.active),
                self.sealer.open(terminal_id, row.secret),
                previous,
                None if row.previous_until is None else row.previous_until / 1000,
            )
        with self._secrets_lock:
            if keys is None or not keys.active:
                self._secrets.pop(terminal_id, None)
            else:
                self._secrets[terminal_id] = (keys, now)
        return keys

    def terminal_secret(self, terminal_id: str) -> str | None:
        """The current secret of an active terminal, or None."""
        keys = self.terminal_keys(terminal_id)
        return keys.secret if keys is not None and keys.active else None

    # Payments --------------------------------------------------------------------------
    def post_payments(self, terminal_id: str, payments: Sequence[PaymentIn]) -> list[ItemResult]:
        """Judge and store a batch from one terminal; one result per payment, in order."""
        missing = self.catalogs.missing(payment.catalog_version for payment in payments)
        if missing:
            self._reading(lambda connection: self.catalogs.load(connection, missing))
        prepared = [prepare(self.catalogs, payment) for payment in payments]
        committed: dict[str, int] = {}

        def work(connection: Connection) -> list[ItemResult]:
            now = self.clock.now()
            results, new_ids = post_batch(
                connection,
                self.accounts,
                self.policy,
                terminal_id,
                prepared,
                int(now * 1000),
                business_day(now),
            )
            committed.clear()
            committed.update(new_ids)
            return results

        results = self._retrying(work)
        self.accounts.remember(committed)
        return results

    def payment(self, operation_id: str) -> PaymentView | None:
        row = self._reading(
            lambda connection: connection.execute(
                select(Payment).where(Payment.operation_id == operation_id)
            ).one_or_none()
        )
        return None if row is None else reports.payment_view(row)

    def receipt(self, terminal_id: str, receipt_number: int) -> ReceiptLookup | None:
        return self._reading(
            lambda connection: reports.receipt_lookup(connection, terminal_id, receipt_number)
        )

    def reconciliation(self, terminal_id: str) -> Reconciliation:
        return self._reading(lambda connection: reports.reconciliation(connection, terminal_id))

    def audit(self) -> Audit:
        def run(connection: Connection) -> Audit:
            with connection.begin():
                return audit(connection)

        return self._reading(run)

    # Account check ---------------------------------------------------------------------
    def check_account(self, request: AccountCheckIn) -> AccountCheckOut:
        """Answer before cash: may this account receive money, and how much at most?"""
        try:
            service = self.catalog.get(request.service)
        except KeyError:
            return AccountCheckOut(code=Code.OTHER, message=f"unknown service {request.service!r}")
        account = normalise_account(service, request.account)
        if account is None:
            return AccountCheckOut(
                code=Code.BAD_FORMAT, message=f"not a valid {service.id} account number"
            )
        wallet: WalletRow | None = None
        day = business_day(self.clock.now())
        if service.category is Category.EWALLET:
            wallet = self._wallet(service.id, account)
            verdict = wallet_verdict(
                service,
                wallet,
                0,
                self.policy.mrp,
                day,
                opens=service.id in self.policy.open_on_first_payment,
            )
            if not verdict.ok:
                return AccountCheckOut(
                    code=verdict.code, message=verdict.reason or "", account=account
                )
        room = headroom(service, wallet, self.policy.mrp, day)
        status = wallet.status if wallet is not None else None

        def money(value: int | None) -> Money | None:
            return None if value is None else Money(value)

        acceptable = max_acceptable(
            service,
            Money(0),
            mrp=self.policy.mrp,
            offline=None,
            headroom=AccountHeadroom(status, money(room.balance_room), money(room.daily_room)),
        )
        limits = Limits(
            status=status,
            per_operation=room.per_operation,
            max_credit=room.smallest(),
            max_inserted=acceptable.max_inserted.tiyn,
        )
        holder = mask_holder(wallet.holder) if wallet is not None else None
        code, message = Code.OK, "ok"
        if request.amount is not None and request.amount < service.min_amount.tiyn:
            code, message = Code.TOO_SMALL, f"below the service minimum {service.min_amount}"
        elif request.amount is not None and request.amount > acceptable.max_inserted.tiyn:
            # Which limit, and by how much, would tell the wallet's balance: not said.
            code, message = Code.TOO_LARGE, "more than this wallet can take now"
        return AccountCheckOut(
            code=code, message=message, account=account, holder=holder, limits=limits
        )

    def _wallet(self, service: str, account: str) -> WalletRow | None:
        row = self._reading(
            lambda connection: connection.execute(
                select(Wallet).where(Wallet.service == service, Wallet.account == account)
            ).one_or_none()
        )
        if row is None:
            return None
        return WalletRow(
            row.id,
            row.status,
            WalletState(row.state),
            row.holder,
            row.balance,
            row.turnover_day,
            row.day_turnover,
        )

    # Reports from terminals ------------------------------------------------------------
    # Catalogs ----------------------------------------------------------------------------
    def refresh_catalog(self, *, force: bool = False) -> None:
        """Serve the newest uploaded catalog if one came since the served one (looked for at
        most every ``CATALOG_CHECK_S``: an upload from the CLI reaches a running ledger)."""
        now = self.clock.monotonic()
        with self._catalog_lock:
            if not force and now - self._catalog_checked < CATALOG_CHECK_S:
                return
            self._catalog_checked = now
        found = self._reading(
            lambda connection: catalogs.newest_upload(connection, self._catalog_since_ms)
        )
        if found is None:
            return
        served, uploaded_at = found
        with self._catalog_lock:
            self._catalog_since_ms = uploaded_at
            if served.etag == self.catalog_file.etag:
                return
            self.catalog_file, self.catalog = served, served.catalog
            self.catalogs.serve(served.catalog, served.etag)
        log_event(log, "catalog served", version=served.catalog.version, etag=served.etag)

    def upload_catalog(self, body: bytes, by: str, where: str) -> catalogs.Upload:
        """An admin's new catalog: checked by the kiosk's rules, kept with who and when, and
        served from now on. Raises CatalogError with the reason."""
        served = CatalogFile.parse(body, where)
        done = self._retrying(
            lambda connection: catalogs.upload(connection, served, by, self._now_ms())
        )
        self.refresh_catalog(force=True)
        return done

    def heartbeat(self, terminal_id: str, report: HeartbeatIn) -> HeartbeatOut:
        """Keep the terminal's latest heartbeat (one reported earlier than the kept one is
        ignored: ``stale``), record what it says of its remote commands, and answer with
        the server time, catalog version and the commands it has not acknowledged."""

        def work(connection: Connection) -> tuple[bool, list[dict[str, Any]]]:
            now_ms = self._now_ms()
            stored = fleet.keep_heartbeat(connection, terminal_id, report, now_ms)
            remote.record_receipts(
                connection, terminal_id, report.acknowledged, report.done, now_ms
            )
            return stored, remote.carried(connection, terminal_id, now_ms)

        self.refresh_catalog()
        stored, pending = self._retrying(work)
        if not stored:
            log_event(log, "stale heartbeat ignored", terminal_id=terminal_id, at=report.at)
        return HeartbeatOut(
            server_time=int(self.clock.now()),
            catalog_version=self.catalog.version,
            stale=not stored,
            commands=[RemoteCommandOut(**command) for command in pending],
        )

    def issue_command(
        self,
        terminal_id: str,
        kind: str,
        *,
        by: str,
        reason: str,
        starts_at: int | None = None,
        ends_at: int | None = None,
        catalog_version: str | None = None,
    ) -> remote.CommandView:
        """Record a remote command for a terminal (who, when, why); the next heartbeat
        answer carries it. Raises :class:`~sync.ledger.commands.CommandRefused`."""
        return self._retrying(
            lambda connection: remote.issue(
                connection,
                terminal_id,
                kind,
                by=by,
                reason=reason,
                now_ms=self._now_ms(),
                starts_at=starts_at,
                ends_at=ends_at,
                catalog_version=catalog_version,
            )
        )

    def commands(self, terminal_id: str | None = None) -> list[remote.CommandView]:
        """The newest remote commands first, with their states."""
        return self._reading(lambda connection: remote.listing(connection, terminal_id))

    def terminal_states(self) -> list[fleet.TerminalState]:
        """Every registered terminal with what its latest heartbeat said, by id."""
        return self._reading(fleet.terminal_states)

    def encashment(self, terminal_id: str, report: EncashmentIn) -> EncashmentOut:
        """Record a cash collection once: terminal cash → collected, for the reported total."""
        committed: dict[str, int] = {}

        def work(connection: Connection) -> EncashmentOut:
            answer, new_ids = encashments.post_encashment(
                connection, self.accounts, terminal_id, report, self._now_ms()
            )
            committed.update(new_ids)
            return answer

        answer = self._retrying(work)
        self.accounts.remember(committed)
        return answer

    def list_encashments(self, terminal_id: str | None = None) -> list[encashments.Collected]:
        """Encashments with what the terminal's payments say was taken, newest first."""
        return self._reading(lambda connection: encashments.listing(connection, terminal_id))

    # Back office -----------------------------------------------------------------------
    def held_in_suspense(self, terminal_id: str | None = None) -> list[suspense.Held]:
        """Rejected payments whose money is still in suspense, oldest first."""
        return self._reading(lambda connection: suspense.held(connection, terminal_id))

    def release_suspense(
        self, operation_id: str, to: str, by: str, reason: str
    ) -> suspense.Release:
        """Move a rejected payment's money out of suspense, once (ReleaseRefused says why
        not): to ``refund`` or to SERVICE:ACCOUNT under the wallet rules."""
        committed: dict[str, int] = {}

        def work(connection: Connection) -> suspense.Release:
            now = self.clock.now()
            done, new_ids = suspense.release(
                connection,
                self.accounts,
                self.catalog,
                self.policy,
                operation_id,
                to,
                by,
                reason,
                int(now * 1000),
                business_day(now),
            )
            committed.clear()
            committed.update(new_ids)
            return done

        done = self._retrying(work)
        self.accounts.remember(committed)
        log_event(
            log,
            "suspense released",
            operation_id=done.operation_id,
            to=done.to,
            amount=done.amount,
            by=done.released_by,
        )
        return done

    def device_events(
        self, terminal_id: str, events: Sequence[DeviceEventIn]
    ) -> list[DeviceEventResult]:
        """Keep a terminal's device faults and state changes, once per event id."""
        return self._retrying(
            lambda connection: reports.post_device_events(
                connection, terminal_id, events, self._now_ms()
            )
        )

    def terminals(self) -> int:
        return int(
            self._reading(
                lambda connection: connection.execute(select(func.count(Terminal.id))).scalar_one()
            )
        )
