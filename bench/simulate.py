"""Simulation speed: simulated customers per wall-clock minute, headless, with and without a
ledger and faults, and the same day with and without the Qt kiosk window (offscreen: the
customers tap it). Prints one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The repository first: this folder's ui.py must not stand in for the ui package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.sim.campaign import FaultKind
from kiosk.sim.simulate import run_simulation


def measure(customers: int, **options: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-sim-") as tmp:
        start = time.perf_counter()
        report = run_simulation(customers, 1, Path(tmp), **options)
        seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "customers": customers,
        "seconds": round(seconds, 2),
        "customers_per_minute": round(customers / seconds * 60),
        "simulated_hours": round(report["simulated_seconds"] / 3600, 1),
        "payments": report["payments"],
        "ok": report["ok"],
    }
    if report["ui"]:
        result["taps"], result["frames"] = report["ui_taps"], report["ui_frames"]
    return result


def with_and_without_ui(customers: int) -> dict[str, Any]:
    """The same seeded day (seed 1, the same customers) headless and through the window."""
    headless = measure(customers)
    through_ui = measure(customers, ui=True)
    return {
        "seed": 1,
        "customers": customers,
        "headless": headless,
        "ui": through_ui,
        "same_payments": headless["payments"] == through_ui["payments"],
        "slowdown": round(through_ui["seconds"] / headless["seconds"], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument(
        "--ui-customers",
        type=int,
        default=100,
        help="customers of the day run with and without the window",
    )
    parser.add_argument(
        "--ui-only", action="store_true", help="only the day with and without the window"
    )
    args = parser.parse_args()
    if args.ui_only:
        json.dump(
            {"benchmark": "simulate", "ui": with_and_without_ui(args.ui_customers)},
            sys.stdout,
            indent=2,
        )
        print()
        return 0
    result = {
        "benchmark": "simulate",
        "headless_no_ledger": measure(args.customers),
        "headless_embedded_ledger": measure(args.customers, ledger="embedded"),
        # Faults include deliberate 5 s ledger timeouts: wall time, not CPU, dominates.
        "headless_ledger_all_faults": measure(
            args.customers, ledger="embedded", faults=frozenset(FaultKind)
        ),
        "ui": with_and_without_ui(args.ui_customers),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
