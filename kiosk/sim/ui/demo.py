"""A kiosk on simulated devices and an embedded ledger, with its threads: what the demo
window, the screenshots and the UI tests run on."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import drivers.bill
from drivers.sim.bill.mechanics import Timings
from drivers.transport import SystemClock as DeviceClock
from kiosk.app import Devices, Kiosk, build_kiosk
from kiosk.config import Config, PrinterConfig, demo_config, with_status_url
from kiosk.core import KioskCore
from kiosk.domain.clock import Clock
from kiosk.printing import ConfiguredPrinter
from kiosk.runtime import CoreThread
from kiosk.sim.ledger_link import EMBEDDED, LedgerLink, open_link
from kiosk.technicians import Technicians
from sync.outbox import OutboxWorker


@dataclass
class DemoKiosk:
    """A started kiosk (core thread, acceptor polling, outbox worker when linked) on the
    in-process simulators, with what the demo and the tests reach into."""

    kiosk: Kiosk
    link: LedgerLink | None
    technicians: Technicians
    printer: ConfiguredPrinter

    @property
    def config(self) -> Config:
        return self.kiosk.config

    @property
    def clock(self) -> Clock:
        return self.kiosk.clock

    @property
    def core(self) -> KioskCore:
        return self.kiosk.core

    @property
    def runner(self) -> CoreThread:
        assert self.kiosk.runner is not None  # started threaded
        return self.kiosk.runner

    @property
    def worker(self) -> OutboxWorker | None:
        return self.kiosk.worker

    @property
    def device(self) -> Any:
        """The in-process bill-validator simulator of any protocol (insert, insert_fake, jam,
        cassette_out …: drivers.sim.bill.device.SimulatedValidator)."""
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
        self.kiosk.stop()  # the worker, devices, ledger (embedded too) and store, in order


def start_demo(
    state_dir: Path,
    *,
    clock: Clock | None = None,
    ledger: bool = True,
    config: Config | None = None,
    seed: int = 1,
    poll_interval: float = 0.05,
    tick_s: float = 0.1,
    timings: Timings | None = None,
    capacity: int | None = None,
    acceptor_options: dict[str, Any] | None = None,
) -> DemoKiosk:
    """Assemble and start. ``clock`` drives the core's timers only; the simulated device
    always polls in real time (a manual clock would spin its poll loop).
    ``acceptor_options`` go to the simulated acceptor (e.g. ``simulated="ssp"``, ``fixed_key``)."""
    config = config or demo_config(state_dir)
    options: dict[str, Any] = {"seed": seed}
    if timings is not None:
        options["timings"] = timings
    if capacity is not None:
        options["capacity"] = capacity  # notes the simulated cassette holds
    options.update(acceptor_options or {})
    acceptor = drivers.bill.open("sim", clock=DeviceClock(), poll_interval=poll_interval, **options)
    receipts = state_dir / "receipts"
    receipts.mkdir(parents=True, exist_ok=True)
    printer = ConfiguredPrinter(config.printer or PrinterConfig(), sim_out=receipts)
    link = None
    if ledger:
        link = open_link(
            EMBEDDED, state_dir=state_dir, terminal_id=config.terminal.id, secret_file=None
        )
        if config.terminal.status_url is None:
            # The receipt's QR opens the embedded ledger's public status page.
            config = with_status_url(config, link.embedded[1].url)
    kiosk = build_kiosk(
        config,
        Devices(acceptor, printer),
        link,
        clock=clock,
        rng=random.Random(seed),
        worker_rng=random.Random(seed + 1),
        tick_s=tick_s,
    )
    kiosk.start(threaded=True)
    technicians = Technicians(
        state_dir / "service-pin.json", kiosk.clock, terminal_id=config.terminal.id
    )
    return DemoKiosk(kiosk, link, technicians, printer)


def quick_timeouts(
    config: Config, *, idle_s: int, cash_warn_s: int, cash_complete_s: int
) -> Config:
    """The same configuration with short customer timeouts (tests, screenshots)."""
    kiosk = dataclasses.replace(
        config.kiosk,
        idle_timeout_s=idle_s,
        cash_warn_s=cash_warn_s,
        cash_complete_s=cash_complete_s,
    )
    return dataclasses.replace(config, kiosk=kiosk)
