"""A kiosk on simulated devices and an embedded ledger, with its threads: what the demo
window, the screenshots and the UI tests run on."""

from __future__ import annotations

import dataclasses
import random
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import drivers.bill
from drivers.bill.ccnet.mechanics import Timings
from drivers.transport import SystemClock as DeviceClock
from kiosk.app import Kiosk
from kiosk.catalog import load_catalog
from kiosk.clock import Clock, SystemClock
from kiosk.config import Config, PrinterConfig, demo_config
from kiosk.core import KioskCore
from kiosk.ledger_link import EMBEDDED, LedgerLink, open_link
from kiosk.printing import ConfiguredPrinter
from kiosk.runtime import CoreThread
from kiosk.service_pin import ServicePin
from kiosk.store.db import Store


@dataclass
class DemoKiosk:
    """Everything running: core thread, acceptor polling, outbox worker (when linked)."""

    config: Config
    kiosk: Kiosk
    runner: CoreThread
    link: LedgerLink | None
    pins: ServicePin
    clock: Clock
    printer: ConfiguredPrinter
    _stop: threading.Event
    _worker: threading.Thread | None

    @property
    def core(self) -> KioskCore:
        return self.kiosk.core

    @property
    def device(self) -> Any:
        """The in-process CCNET simulator (insert, insert_fake, jam, cassette_out …)."""
        return self.kiosk.acceptor.device  # type: ignore[attr-defined]

    @property
    def paper(self) -> Any:
        """The in-process printer simulator (``control("paper-out")`` …)."""
        driver = self.printer.driver
        return driver.device.simulator if driver is not None else None

    @property
    def receipts_dir(self) -> Path:
        return Path(self.printer.url.removeprefix("sim://"))

    def close(self) -> None:
        self._stop.set()
        if self.link is not None:
            self.link.worker.wake.set()
        if self._worker is not None:
            self._worker.join(10)
        self.kiosk.acceptor.stop()
        self.runner.stop()
        if self.link is not None:
            self.link.close()
        self.printer.close()
        self.kiosk.store.close()


def start_demo(state_dir: Path, *, clock: Clock | None = None, ledger: bool = True,
               config: Config | None = None, seed: int = 1, poll_interval: float = 0.05,
               tick_s: float = 0.1, timings: Timings | None = None,
               capacity: int | None = None) -> DemoKiosk:
    """Assemble and start. ``clock`` drives the core's timers only; the simulated device
    always polls in real time (a manual clock would spin its poll loop)."""
    clock = clock or SystemClock()
    config = config or demo_config(state_dir)
    store = Store(config.storage.url)
    catalog = load_catalog()
    options: dict[str, Any] = {"seed": seed}
    if timings is not None:
        options["timings"] = timings
    if capacity is not None:
        options["capacity"] = capacity  # notes the simulated cassette holds
    acceptor = drivers.bill.open("sim", clock=DeviceClock(), poll_interval=poll_interval,
                                 **options)
    receipts = state_dir / "receipts"
    receipts.mkdir(parents=True, exist_ok=True)
    printer = ConfiguredPrinter(config.printer or PrinterConfig(), sim_out=receipts)
    core = KioskCore(config, store, catalog, acceptor=acceptor, clock=clock,
                     rng=random.Random(seed), printer=printer)
    kiosk = Kiosk(config, store, catalog, acceptor, core, clock, printer)
    link = None
    stop = threading.Event()
    worker = None
    if ledger:
        link = open_link(EMBEDDED, state_dir=state_dir, terminal_id=config.terminal.id,
                         secret_file=None, store=store, clock=clock, rng=random.Random(seed + 1))
        core.connect_ledger(link.checker, link.online)
        link.worker.devices = core.device_report
        link.worker.step()  # the first heartbeat: online before the first customer
        worker = threading.Thread(target=link.worker.run, args=(stop, 0.2),
                                  name="outbox", daemon=True)
    runner = CoreThread(core, tick_s=tick_s).start()
    kiosk.start(threaded=True)
    if worker is not None:
        worker.start()
    pins = ServicePin(state_dir / "service-pin.json", clock)
    return DemoKiosk(config, kiosk, runner, link, pins, clock, printer, stop, worker)


def quick_timeouts(config: Config, *, idle_s: int, cash_warn_s: int,
                   cash_complete_s: int) -> Config:
    """The same configuration with short customer timeouts (tests, screenshots)."""
    kiosk = dataclasses.replace(config.kiosk, idle_timeout_s=idle_s, cash_warn_s=cash_warn_s,
                                cash_complete_s=cash_complete_s)
    return dataclasses.replace(config, kiosk=kiosk)
