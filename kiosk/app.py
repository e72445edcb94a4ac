"""The one composition root: a kiosk assembled from its configuration, a set of devices and
a ledger connection, with its start and stop order.

Every kiosk there is — ``kiosk run`` on the configured serial devices and a ledger across
the network, ``kiosk demo``, ``kiosk simulate`` (in-process and the ``--sigkill`` child), the
screenshots and the UI tests — is built by :func:`build_kiosk`. They differ only in the
:class:`Devices` and the :class:`LedgerConnection` they pass (decision 011).

Start order: the store (migrated, integrity-checked) → the core thread → the acceptor (its
first poll reports what the device still holds) → recovery of interrupted sessions → the
printer check → the outbox worker → open for customers. Stop order is the reverse, and the
acceptor is disabled first so no note goes in while the kiosk is going away.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import drivers.bill
from drivers.bill.base import BillAcceptor
from kiosk.availability import Availability
from kiosk.cash import CashDesk
from kiosk.catalog_file import load_catalog
from kiosk.checks import AccountChecker
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.crashpoints import Hook
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from kiosk.payment import PaymentDesk, ReceiptPrinter
from kiosk.printer_policy import PrinterPolicy
from kiosk.recovery import RecoveryReport, recover
from kiosk.remote import (
    NUMBERING_REASON,
    CatalogKeeper,
    LedgerUpkeep,
    RemoteControl,
    settle_numbering,
)
from kiosk.runtime import CoreThread
from kiosk.session import Screens, SessionSlot
from kiosk.store.db import Store, StoreError
from kiosk.store.records import Records
from kiosk.upkeep import TechnicianTools
from sync.client import LedgerClient
from sync.outbox import OutboxWorker

log = logging.getLogger("kiosk.app")

# How long a stopping kiosk waits for a note already in the acceptor to be decided, and then
# for the ledger threads (an HTTP request in flight is safe to abandon: the same bytes go
# again at the next start). Together well inside the 10 s a SIGTERM allows.
NOTE_SETTLE_S = 6.0
THREADS_STOP_S = 2.0


@dataclass(frozen=True, slots=True)
class Devices:
    """The hardware of one kiosk: a bill acceptor (not started) and a receipt printer."""

    acceptor: BillAcceptor
    printer: ReceiptPrinter | None


class LedgerConnection(Protocol):
    """How the kiosk reaches its ledger: one client for the outbox worker, one for the
    core's account checks (each keeps its own HTTP session)."""

    @property
    def client(self) -> LedgerClient: ...

    @property
    def checker(self) -> LedgerClient: ...

    def new_client(self) -> LedgerClient:
        """Another client, for a thread of its own (receipt numbering, the catalog)."""
        ...

    def close(self) -> None: ...


@dataclass
class RemoteLedger:
    """The production connection: straight to ``[ledger] url``, nothing in between."""

    make_client: Callable[[], LedgerClient]
    client: LedgerClient
    checker: LedgerClient

    def new_client(self) -> LedgerClient:
        return self.make_client()

    def close(self) -> None:
        self.client.close()
        self.checker.close()


def remote_ledger(config: Config) -> RemoteLedger | None:
    """The connection to ``[ledger] url`` with the terminal's secret (None without a url).
    Certificates are verified against ``ca_file``, or the system's CAs."""
    if config.ledger.url is None:
        return None

    def client() -> LedgerClient:
        return LedgerClient.configured(config, SystemClock())

    return RemoteLedger(client, client(), client())


def open_devices(
    config: Config,
    *,
    printer: ReceiptPrinter | None = None,
    clock: Clock | None = None,
    **acceptor_options: object,
) -> Devices:
    """The configured acceptor (with ``acceptor_options`` for its backend) and printer;
    ``printer`` replaces the configured printer when given."""
    validator = config.validator
    if printer is None and config.printer is not None:
        from kiosk.printing import ConfiguredPrinter  # python-escpos only when printing

        printer = ConfiguredPrinter(config.printer)
    acceptor = drivers.bill.open(
        validator.protocol,
        validator.port,
        clock=clock,
        poll_interval=validator.poll_interval_ms / 1000,
        response_timeout=validator.response_timeout_ms / 1000,
        retries=validator.retries,
        **_with_essp_key(validator.essp_fixed_key, acceptor_options),
    )
    return Devices(acceptor, printer)


def _with_essp_key(fixed_key: int | None, options: dict[str, object]) -> dict[str, object]:
    """The acceptor options plus the configured eSSP key (only when there is one: the other
    protocols refuse options they do not know)."""
    if fixed_key is None:
        return options
    if "fixed_key" in options and options["fixed_key"] != fixed_key:
        raise ValueError(
            "two different eSSP fixed keys: devices.validator.essp_key_file and"
            " the fixed_key acceptor option; give one"
        )
    return {**options, "fixed_key": fixed_key}


class Kiosk:
    """One assembled terminal. Built only by :func:`build_kiosk`; started once, stopped once.

    ``start(threaded=True)`` runs the core on its own thread (``runner``) and the outbox
    worker on another: the production start, the demo and the window. ``threaded=False``
    leaves both to the caller, who steps them (the seeded simulations)."""

    def __init__(
        self,
        config: Config,
        store: Store,
        catalog: Catalog,
        devices: Devices,
        core: KioskCore,
        clock: Clock,
        worker: OutboxWorker | None,
        ledger: LedgerConnection | None,
        keeper: CatalogKeeper | None,
        *,
        tick_s: float,
        on_tick: Callable[[], object],
        control: RemoteControl | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.catalog = catalog
        self.devices = devices
        self.core = core
        self.clock = clock
        self.worker = worker
        self.ledger = ledger
        self.keeper = keeper
        self.tick_s = tick_s
        self.on_tick = on_tick
        self.control = control  # the ledger's remote commands (lock, maintenance)
        self.runner: CoreThread | None = None
        self._stop_worker = threading.Event()
        self._worker_thread: threading.Thread | None = None
        self._upkeep: LedgerUpkeep | None = None
        self._stopped = False

    @property
    def acceptor(self) -> BillAcceptor:
        return self.devices.acceptor

    @property
    def printer(self) -> ReceiptPrinter | None:
        return self.devices.printer

    def start(self, *, threaded: bool) -> RecoveryReport:
        """Start the devices, finish interrupted sessions, then open for customers."""
        if self.worker is not None:
            self.worker.free_stale_leases()
        if self.ledger is not None and not self.core.records.numbering_settled():
            # A new database asks the ledger once now; if it cannot answer, the kiosk opens
            # out of service and the upkeep thread keeps asking.
            client = self.ledger.new_client()
            try:
                settle_numbering(self.core.records, client)
            finally:
                client.close()
        if not threaded:
            self.acceptor.start(threaded=False, wait_for_device=True)
            return self._open()
        # The core thread first: from now on every device event reaches the core there.
        self.runner = CoreThread(self.core, tick_s=self.tick_s, on_tick=self._tick).start()
        self.acceptor.start(threaded=True, wait_for_device=True)
        report = self.runner.call(self._open)
        if self.ledger is not None:
            runner = self.runner
            self._upkeep = LedgerUpkeep(
                self.core.records,
                self.ledger.new_client(),
                self.keeper,
                refresh_s=self.config.ledger.catalog_refresh_s,
                submit=lambda job: runner.submit(job, self.core),
                wake=self.control.fetch_wanted if self.control is not None else None,
            ).start()
        if self.worker is not None:
            self.worker.step()  # the first heartbeat: online before the first customer
            self._worker_thread = threading.Thread(
                target=self.worker.run, args=(self._stop_worker, 0.2), name="outbox", daemon=True
            )
            self._worker_thread.start()
        return report

    def _tick(self) -> None:
        """Every turn of the core thread: the remote commands, then the caller's hook."""
        self.apply_commands()
        self.on_tick()

    def apply_commands(self) -> None:
        """Apply the stored remote commands (core thread; a lock kept from before a restart
        holds from the first turn)."""
        if self.control is None:
            return
        try:
            self.control.apply(self.core)
        except StoreError as exc:  # the store cannot say: out of service, as for a payment
            self.core.availability.store_fault(exc)

    def _open(self) -> RecoveryReport:
        if self.ledger is not None and not self.core.records.numbering_settled():
            self.core.hold(
                NUMBERING_REASON,
                "a new database: waiting for the ledger to say where receipt numbers continue",
            )
        report = recover(self.core.records, self.core.desk, int(self.clock.now() * 1000))
        if report.anything:
            log_event(
                log,
                "recovered after restart",
                logging.WARNING,
                paid=len(report.paid),
                closed=len(report.closed),
                abandoned=len(report.abandoned),
                unresolved_orders=len(report.unresolved_orders),
            )
        self.core.check_printer(force=True)
        self.core.refresh_availability()
        self.apply_commands()
        return report

    def stop(self) -> None:
        """Stop cleanly: no new note, the note in the acceptor decided, the payment being
        committed completed (the core thread finishes its job first), then the worker, the
        devices and the store. Interrupted customers are finished by recovery next start."""
        if self._stopped:
            return
        self._stopped = True
        runner = self.runner
        if runner is not None and not runner.stopped:
            try:
                runner.call(self.core.suspend, timeout=5.0)
                self._settle_note(runner)
            except Exception as exc:  # noqa: BLE001 - stopping goes on whatever the core says
                log_event(log, "core did not suspend cleanly", logging.WARNING, error=repr(exc))
        threads_until = time.monotonic() + THREADS_STOP_S
        self._stop_worker.set()
        if self.worker is not None:
            self.worker.wake.set()
        if self._upkeep is not None:
            self._upkeep.stop(timeout=THREADS_STOP_S)
        if self._worker_thread is not None:
            self._worker_thread.join(max(0.0, threads_until - time.monotonic()))
        self.acceptor.stop()
        if runner is not None:
            runner.stop()
        if self.ledger is not None:
            self.ledger.close()
        close = getattr(self.printer, "close", None)
        if close is not None:
            close()
        self.store.close()

    def _settle_note(self, runner: CoreThread) -> None:
        deadline = time.monotonic() + NOTE_SETTLE_S
        while time.monotonic() < deadline:
            if not runner.call(lambda: self.core.snapshot().note_in_progress, timeout=2.0):
                return
            time.sleep(0.05)
        log_event(
            log, "stopping with a note still in the acceptor: recovery resolves it", logging.WARNING
        )


def build_kiosk(
    config: Config,
    devices: Devices,
    ledger: LedgerConnection | None = None,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    hooks: Hook = lambda point: None,
    catalog: Catalog | None = None,
    worker_rng: random.Random | None = None,
    tick_s: float = 0.25,
    on_tick: Callable[[], object] = lambda: None,
) -> Kiosk:
    """The one place a kiosk is put together (constructor injection throughout). ``hooks``
    are the money-path step callbacks (crash campaigns kill the process there); ``on_tick``
    runs on the core thread's every turn (the systemd watchdog ping)."""
    clock = clock or SystemClock()
    rng = rng or random.Random()
    store = Store(config.storage.url)
    store.quick_check()
    keeper = None
    if ledger is not None:
        keeper = CatalogKeeper(store.directory)
        catalog = catalog or keeper.cached()
    catalog = catalog or load_catalog()
    worker: OutboxWorker | None = None
    control = RemoteControl(store, clock) if ledger is not None else None

    def link_online() -> bool:
        return worker is not None and worker.online

    core = build_core(
        config,
        store,
        catalog,
        acceptor=devices.acceptor,
        clock=clock,
        rng=rng,
        printer=devices.printer,
        hooks=hooks,
        checker=ledger.checker if ledger is not None else None,
        link_online=link_online,
    )
    if ledger is not None:
        worker = OutboxWorker(
            store,
            ledger.client,
            clock,
            worker_rng or random.Random(rng.getrandbits(64)),
            heartbeat_s=config.ledger.heartbeat_s,
            devices=core.device_report,
            commands=control,
        )
    return Kiosk(
        config,
        store,
        catalog,
        devices,
        core,
        clock,
        worker,
        ledger,
        keeper,
        tick_s=tick_s,
        on_tick=on_tick,
        control=control,
    )


def build_core(
    config: Config,
    store: Store,
    catalog: Catalog,
    *,
    acceptor: BillAcceptor | None,
    clock: Clock,
    rng: random.Random,
    printer: ReceiptPrinter | None = None,
    checker: AccountChecker | None = None,
    link_online: Callable[[], bool] = lambda: False,
    hooks: Hook = lambda point: None,
) -> KioskCore:
    """The core from its parts, each given what it depends on (decision 025); the acceptor,
    when there is one, reports to the core from now on."""
    records = Records(store)
    screens = Screens()
    availability = Availability(store, records, clock, config.limits.offline, link_online)
    session = SessionSlot(records, clock, availability.store_fault)
    payments = PaymentDesk(records, catalog, config.terminal, clock, printer, hooks)
    cash = CashDesk(
        records,
        session,
        availability,
        payments,
        acceptor=acceptor,
        mrp=Money(config.limits.mrp),
        clock=clock,
        rng=rng,
        hooks=hooks,
    )
    no_paper = config.printer.no_paper_policy if config.printer is not None else "ask"
    printing = PrinterPolicy(printer, no_paper, clock, session, availability, screens)
    tools = TechnicianTools(
        store, records, config.terminal, clock, session, payments, printing, cash, screens
    )
    core = KioskCore(
        config,
        catalog,
        records=records,
        session=session,
        availability=availability,
        cash=cash,
        printing=printing,
        tools=tools,
        payments=payments,
        screens=screens,
        clock=clock,
        rng=rng,
        checker=checker,
        link_online=link_online,
        hooks=hooks,
    )
    if acceptor is not None:
        acceptor.set_listener(core.on_acceptor_event)
    return core
