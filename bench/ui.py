"""Kiosk UI benchmark (offscreen): start to the first idle frame, a stacked note to its
amount on screen (p50/p99), and memory after many payments. Prints one JSON object.

    python bench/ui.py [--notes 200] [--payments 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QGuiApplication

from drivers.sim.bill.mechanics import SimulatorRefused, Timings
from kiosk.session import Snapshot
from kiosk.sim.ui.demo import DemoKiosk, start_demo
from ui.eventloop import pump
from ui.window import KioskUi, build_ui, close_ui

FAST = Timings(0.01, 0.01, 0.01, 0.01, 0.01, 10.0)
TARGETS = {"start_s": 2.0, "note_to_screen_p99_ms": 150.0, "rss_growth_pct": 10.0, "rss_mb": 250.0}


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (Linux only)")


class Frames:
    """Time of the latest frame the window presented."""

    def __init__(self, ui: KioskUi) -> None:
        self.last = 0.0
        ui.window.frameSwapped.connect(self._swapped)

    def _swapped(self) -> None:
        self.last = time.perf_counter()


def feed(demo: DemoKiosk, tenge: int) -> None:
    def taken() -> bool:
        try:
            demo.device.insert(tenge * 100)
        except SimulatorRefused:
            return False
        return True

    pump(taken, "the acceptor to take a note")


def to_cash(ui: KioskUi, digits: str = "011234567") -> None:
    vm = ui.kiosk
    vm.chooseService("kaspi")
    for key in digits:
        vm.keypad(key)
    vm.submitAccount()
    vm.confirmAccount()
    pump(lambda: vm.screen == "checked", "the checked screen")
    vm.startCash()
    pump(lambda: vm.screen == "cash", "the cash screen")


def one_payment(ui: KioskUi, demo: DemoKiosk, number: int) -> None:
    to_cash(ui, f"02{number:07d}")  # a wallet each: no wallet reaches its daily limit
    pump(lambda: 50000 in demo.device.enabled_amounts, "the 500 note enabled")
    feed(demo, 500)
    pump(lambda: ui.kiosk.snapshot.can_pay, "the Pay button")
    ui.kiosk.pay()
    pump(lambda: ui.kiosk.screen == "thanks", "the thank-you screen")
    ui.kiosk.finish()
    pump(lambda: ui.kiosk.screen == "idle", "the idle screen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=200)
    parser.add_argument("--payments", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    app = QGuiApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-ui-") as state:
        demo = start_demo(
            Path(state), timings=FAST, poll_interval=0.01, tick_s=0.05, capacity=1_000_000
        )  # no cassette change mid-run
        try:
            ui = build_ui(
                app,
                demo.runner,
                demo.kiosk.catalog,
                demo.config.terminal,
                clock=demo.clock,
                technicians=demo.technicians,
                worker=demo.worker,
            )
            frames = Frames(ui)
            pump(lambda: frames.last > 0 and ui.kiosk.screen == "idle", "the first frame")
            start_s = frames.last - started

            # A stacked note: the core's commit (snapshot published) to the frame showing it.
            committed: dict[int, float] = {}
            lock = threading.Lock()

            def on_snapshot(snapshot: Snapshot) -> None:
                with lock:
                    committed.setdefault(len(snapshot.notes), time.perf_counter())

            demo.core.subscribe(on_snapshot)
            to_cash(ui)
            latencies: list[float] = []
            for count in range(1, args.notes + 1):
                pump(lambda: 20000 in demo.device.enabled_amounts, "the 200 note enabled")
                feed(demo, 200)
                pump(lambda c=count: len(ui.kiosk.snapshot.notes) >= c, "the note on screen")
                shown_after = time.perf_counter()
                pump(lambda s=shown_after: frames.last >= s, "the frame with the amount")
                with lock:
                    latencies.append((frames.last - committed[count]) * 1000)
            ui.kiosk.pay()
            pump(lambda: ui.kiosk.screen == "thanks", "the thank-you screen")
            ui.kiosk.finish()
            pump(lambda: ui.kiosk.screen == "idle", "idle")

            for number in range(10):
                one_payment(ui, demo, number)
            rss_10 = rss_mb()
            for number in range(10, args.payments):
                one_payment(ui, demo, number)
            rss_n = rss_mb()
            close_ui(ui)
        finally:
            demo.close()
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    growth = (rss_n - rss_10) / rss_10 * 100
    result = {
        "start_to_first_idle_frame_s": round(start_s, 3),
        "note_to_screen_ms": {
            "count": len(ordered),
            "p50": round(statistics.median(ordered), 1),
            "p99": round(p99, 1),
            "max": round(ordered[-1], 1),
        },
        "rss_mb": {
            "after_10_payments": round(rss_10, 1),
            f"after_{args.payments}_payments": round(rss_n, 1),
            "growth_pct": round(growth, 1),
        },
        "targets": TARGETS,
        "ok": bool(
            start_s <= TARGETS["start_s"]
            and p99 <= TARGETS["note_to_screen_p99_ms"]
            and growth <= TARGETS["rss_growth_pct"]
            and rss_n <= TARGETS["rss_mb"]
        ),
    }
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
