"""One kiosk process of a SIGKILL campaign (``python -m kiosk.sim.killchild``), started by
kiosk/sim/killcampaign.py.

It opens the kiosk on the shared database, lets recovery finish what a killed predecessor
left, prints ``ready``, then serves customers ``--first`` to ``--last``. The bill acceptor
is the byte-level simulator in the parent process, reached by the real driver over
``socket://``; the scripted customers feed it notes through a proxy to the same device
object. Before each customer it records its progress, so a killed run is continued at the
next customer. With ``--kill-point``, it SIGKILLs itself at the first time it passes that
step boundary of the money path from customer ``--kill-customer`` on.

Once recovery is done (and the technician has cleared what the devices report), and before
the first customer, it checks the money invariants against the device's cassette and says
what it found in its ``ready`` line: the campaign checks the books after every restart, not
only at the end of the day.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import signal
import sys
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any

from drivers.sim.bill.mechanics import Fault
from kiosk.app import build_kiosk, open_devices
from kiosk.config import ConfigError
from kiosk.crashpoints import CrashPoint
from kiosk.domain.clock import ManualClock
from kiosk.sim.campaign import DEVICE_FAULTS, PRINTER_FAULTS, FaultKind, FaultSchedule
from kiosk.sim.day import Day
from kiosk.sim.invariants import check
from kiosk.sim.ledger_link import open_link
from kiosk.sim.simulate import served_validator, simulation_config

# What a restart costs on the kiosk's clock (boot, driver start, recovery).
RESTART_S = 45.0
POLL_PAUSE_S = 0.004


class DeviceManager(BaseManager):
    """Connects to the parent's device simulator object."""


DeviceManager.register("device")


class RemoteDevice:
    """The parent's device simulator as the scripted customers and faults use it."""

    def __init__(self, proxy: Any) -> None:
        self._proxy = proxy

    @property
    def cassette(self) -> list[int]:
        notes: list[int] = self._proxy.cassette_notes()
        return notes

    @property
    def returned(self) -> list[int]:
        notes: list[int] = self._proxy.returned_notes()
        return notes

    @property
    def rejected(self) -> list[int]:
        notes: list[int] = self._proxy.rejected_notes()
        return notes

    @property
    def removed(self) -> list[int]:
        notes: list[int] = self._proxy.removed_notes()
        return notes

    @property
    def fault(self) -> Fault | None:
        name: str = self._proxy.fault_name()
        return Fault[name] if name else None

    @property
    def state(self) -> str:
        state: str = self._proxy.state_name()
        return state

    def __getattr__(self, name: str) -> Any:
        return getattr(self._proxy, name)  # insert, jam, clear, mute, noise ...


def _progress_path(state_dir: Path) -> Path:
    return state_dir / "campaign-progress.json"


def read_progress(state_dir: Path) -> dict[str, Any]:
    path = _progress_path(state_dir)
    if not path.exists():
        return {"next": 1, "clock": None, "outcomes": {}, "current": None}
    progress: dict[str, Any] = json.loads(path.read_text())
    return progress


def write_progress(state_dir: Path, progress: dict[str, Any]) -> None:
    """Atomically, and durably: a kill right after must still find it."""
    path = _progress_path(state_dir)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as out:
        json.dump(progress, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.sim.killchild")
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--protocol", required=True)
    parser.add_argument("--port", required=True, help="socket:// URL of the device simulator")
    parser.add_argument("--device-rpc", required=True, help="HOST:PORT of the device proxy")
    parser.add_argument("--ledger", required=True, help="http:// URL of the ledger")
    parser.add_argument("--secret-file", type=Path, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--last", type=int, required=True)
    parser.add_argument("--faults", default="", help="comma-separated fault kinds")
    parser.add_argument("--kill-point", type=CrashPoint, choices=list(CrashPoint))
    parser.add_argument("--kill-customer", type=int, default=0)
    parser.add_argument(
        "--essp-key-file",
        type=Path,
        help="the validator requires eSSP: its fixed key is in this file",
    )
    args = parser.parse_args(argv)
    authkey = bytes.fromhex(os.environ["KIOSK_CAMPAIGN_KEY"])

    progress = read_progress(args.state_dir)
    clock = ManualClock()
    clock.advance(
        progress["clock"] + RESTART_S if progress["clock"] is not None else 9 * 3600 - 5 * 3600
    )
    current = {"customer": 0}

    def hook(point: CrashPoint) -> None:
        if point == args.kill_point and current["customer"] >= args.kill_customer > 0:
            os.kill(os.getpid(), signal.SIGKILL)

    base = simulation_config(args.state_dir)
    try:
        validator = served_validator(args.protocol, args.port, args.essp_key_file)
    except ConfigError as exc:
        parser.error(str(exc))
    config = dataclasses.replace(base, validator=validator)
    rng = random.Random(f"{args.seed}:{progress['next']}")
    link = open_link(
        args.ledger,
        state_dir=args.state_dir,
        terminal_id=config.terminal.id,
        secret_file=args.secret_file,
    )
    kiosk = build_kiosk(
        config,
        open_devices(config, clock=clock),
        link,
        clock=clock,
        rng=rng,
        hooks=hook,
        worker_rng=rng,
    )
    host, port = args.device_rpc.rsplit(":", 1)
    manager = DeviceManager(address=(host, int(port)), authkey=authkey)
    manager.connect()
    device = RemoteDevice(manager.device())  # type: ignore[attr-defined]
    report = kiosk.start(threaded=False)
    printer = kiosk.printer
    paper = printer.driver.device.simulator if printer is not None else None  # type: ignore[attr-defined]
    day = Day(
        kiosk, device, clock, rng, lambda line: print(line, file=sys.stderr), link, paper=paper
    )
    day.poll_pause_s = POLL_PAUSE_S
    day.technician_after_restart()
    held = check(kiosk.store, device.cassette)  # no customer yet: the books must be whole
    print(
        json.dumps(
            {
                "ready": True,
                "recovered": len(report.paid),
                "unresolved": len(report.unresolved_orders),
                "invariants": held,
            }
        ),
        flush=True,
    )
    kinds = frozenset(FaultKind(k) for k in args.faults.split(",") if k)
    schedule = FaultSchedule(kinds & (DEVICE_FAULTS | PRINTER_FAULTS), random.Random(args.seed))
    for number in range(1, progress["next"]):
        schedule.for_customer(number)  # the same schedule as if nothing had died
    outcomes: dict[str, int] = dict(progress["outcomes"])
    for number in range(progress["next"], args.last + 1):
        current["customer"] = number
        write_progress(
            args.state_dir,
            {"next": number + 1, "current": number, "clock": clock.now(), "outcomes": outcomes},
        )
        day.rng = random.Random(f"{args.seed}:customer:{number}")
        day.fault = schedule.for_customer(number)
        day.stats.outcomes.clear()
        assert kiosk.worker is not None
        kiosk.worker.step()
        day.customer(number)
        day.technician()
        for outcome, count in day.stats.outcomes.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
        clock.advance(day.rng.expovariate(1 / 60))
    write_progress(
        args.state_dir,
        {
            "next": args.last + 1,
            "current": None,
            "clock": clock.now(),
            "outcomes": outcomes,
            "done": True,
        },
    )
    kiosk.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
