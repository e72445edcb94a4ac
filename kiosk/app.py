"""Assembling one kiosk from its configuration: store, catalog, acceptor, core, recovery."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from pathlib import Path

import drivers.bill
from drivers.bill.base import BillAcceptor
from kiosk.catalog import Catalog, load_catalog
from kiosk.clock import Clock, SystemClock
from kiosk.config import Config
from kiosk.core import KioskCore
from kiosk.logs import log_event
from kiosk.payment import Hook, ReceiptPrinter
from kiosk.recovery import RecoveryReport, recover
from kiosk.store.db import Store

log = logging.getLogger("kiosk.app")


@dataclass
class Kiosk:
    config: Config
    store: Store
    catalog: Catalog
    acceptor: BillAcceptor
    core: KioskCore
    clock: Clock
    printer: ReceiptPrinter | None = None

    def start(self, *, threaded: bool) -> RecoveryReport:
        """Start the acceptor (its first poll reports what the device still holds), then
        finish interrupted sessions, then open for customers."""
        self.acceptor.start(threaded=threaded)
        report = recover(self.core.records, self.core.desk, int(self.clock.now() * 1000))
        if report.anything:
            log_event(log, "recovered after restart", logging.WARNING, paid=len(report.paid),
                      closed=len(report.closed), abandoned=len(report.abandoned),
                      unresolved_orders=len(report.unresolved_orders))
        self.core.check_printer(force=True)
        self.core.refresh_availability()
        return report

    def stop(self) -> None:
        self.acceptor.stop()
        close = getattr(self.printer, "close", None)
        if close is not None:
            close()
        self.store.close()


def build_kiosk(config: Config, *, clock: Clock | None = None, rng: random.Random | None = None,
                printer: ReceiptPrinter | None = None, hooks: Hook = lambda point: None,
                catalog: Catalog | None = None, receipts_dir: Path | None = None,
                **acceptor_options: object) -> Kiosk:
    """One kiosk from ``config``; the printer is the configured one unless ``printer`` is
    given (a simulated printer writes its receipts to ``receipts_dir`` when set)."""
    clock = clock or SystemClock()
    if printer is None and config.printer is not None:
        from kiosk.printing import ConfiguredPrinter  # python-escpos only when printing

        printer = ConfiguredPrinter(config.printer, sim_out=receipts_dir)
    validator = config.validator
    options = _with_essp_key(validator.essp_fixed_key, acceptor_options)
    store = Store(config.storage.url)
    catalog = catalog or load_catalog()
    acceptor = drivers.bill.open(
        validator.protocol, validator.port, clock=clock,
        poll_interval=validator.poll_interval_ms / 1000,
        response_timeout=validator.response_timeout_ms / 1000, retries=validator.retries,
        **options,
    )
    core = KioskCore(config, store, catalog, acceptor=acceptor, clock=clock,
                     rng=rng or random.Random(), printer=printer, hooks=hooks)
    return Kiosk(config, store, catalog, acceptor, core, clock, printer)


def _with_essp_key(fixed_key: int | None, options: dict[str, object]) -> dict[str, object]:
    """The acceptor options plus the configured eSSP key (only when there is one: the other
    protocols refuse options they do not know)."""
    if fixed_key is None:
        return options
    if "fixed_key" in options and options["fixed_key"] != fixed_key:
        raise ValueError("two different eSSP fixed keys: devices.validator.essp_key_file and"
                         " the fixed_key acceptor option; give one")
    return {**options, "fixed_key": fixed_key}
