"""Simulation speed: simulated customers per wall-clock minute, headless, with and without a
ledger and faults. Prints one JSON object."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from kiosk.campaign import FaultKind
from kiosk.simulate import run_simulation


def measure(customers: int, **options: object) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-sim-") as tmp:
        start = time.perf_counter()
        report = run_simulation(customers, 1, Path(tmp), **options)  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
    return {"customers": customers, "seconds": round(seconds, 2),
            "customers_per_minute": round(customers / seconds * 60),
            "simulated_hours": round(report["simulated_seconds"] / 3600, 1), "ok": report["ok"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=300)
    args = parser.parse_args()
    result = {
        "benchmark": "simulate",
        "headless_no_ledger": measure(args.customers),
        "headless_embedded_ledger": measure(args.customers, ledger="embedded"),
        # Faults include deliberate 5 s ledger timeouts: wall time, not CPU, dominates.
        "headless_ledger_all_faults": measure(args.customers, ledger="embedded",
                                              faults=frozenset(FaultKind)),
    }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
