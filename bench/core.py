"""Core latency benchmark: stacked note → durable commit, and Pay → committed payment.

Runs the real core on a real SQLite file (WAL, synchronous=FULL) in a temporary directory
and prints one JSON object. Targets (issue #2): p99 ≤ 5 ms and ≤ 10 ms; 1,000 simulated
customers in ≤ 60 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from drivers.bill.base import Escrow, Stacked
from kiosk.app import build_core
from kiosk.catalog_file import load_catalog
from kiosk.config import demo_config
from kiosk.domain.clock import ManualClock
from kiosk.store.db import Store


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 0.50) * 1000, 3),
        "p99_ms": round(percentile(values, 0.99) * 1000, 3),
        "max_ms": round(max(values) * 1000, 3),
        "mean_ms": round(statistics.fmean(values) * 1000, 3),
        "count": len(values),
    }


def bare_commit(directory: Path, count: int) -> dict[str, float]:
    """The floor: one-row commits on a bare SQLite file with the same settings."""
    connection = sqlite3.connect(directory / "bare.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    samples = []
    for i in range(count):
        start = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t (v) VALUES (?)", (i,))
        connection.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    connection.close()
    return ms(samples)


def core_latencies(directory: Path, payments: int, notes_per_payment: int) -> dict[str, object]:
    base = demo_config(directory)
    limits = dataclasses.replace(
        base.limits, offline_max_total=10**12, offline_max_count=10**7, offline_max_age_s=10**8
    )
    config = dataclasses.replace(base, limits=limits)
    clock = ManualClock()
    marks: dict[str, float] = {}
    core = build_core(
        config,
        Store(config.storage.url),
        load_catalog(),
        acceptor=None,
        clock=clock,
        rng=random.Random(1),
        hooks=lambda point: marks.__setitem__(point, time.perf_counter()),
    )
    stacked: list[float] = []
    pay: list[float] = []
    for i in range(payments):
        core.choose_service("kaspi")
        core.enter_account(f"+7701{i % 10_000_000:07d}")
        core.confirm_account()
        core.start_cash()
        for _ in range(notes_per_payment):
            core.on_acceptor_event(Escrow(100000, 2))
            start = time.perf_counter()
            core.on_acceptor_event(Stacked(100000, 2))
            stacked.append(marks["note_stacked"] - start)
            clock.advance(2)
        start = time.perf_counter()
        core.pay()
        pay.append(marks["payment_committed"] - start)
        core.finish()
        clock.advance(30)
    core.store.close()
    return {"stacked_to_commit": ms(stacked), "pay_to_commit": ms(pay)}


def simulated_customers(directory: Path, customers: int) -> dict[str, object]:
    from kiosk.sim.simulate import run_simulation

    start = time.perf_counter()
    report = run_simulation(customers, 1, directory)
    return {
        "customers": customers,
        "seconds": round(time.perf_counter() - start, 2),
        "ok": report["ok"],
        "payments": report["payments"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--payments", type=int, default=500)
    parser.add_argument("--notes", type=int, default=2, help="notes per payment")
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="a short run for a smoke test")
    args = parser.parse_args()
    if args.quick:
        args.payments, args.customers = 50, 50
    with tempfile.TemporaryDirectory(prefix="bench-core-") as tmp:
        root = Path(tmp)
        (root / "core").mkdir()
        (root / "sim").mkdir()
        result: dict[str, object] = {
            "benchmark": "core",
            "bare_sqlite_commit": bare_commit(root, 1000),
            **core_latencies(root / "core", args.payments, args.notes),
            "simulation": simulated_customers(root / "sim", args.customers),
            "targets": {
                "stacked_to_commit_p99_ms": 5,
                "pay_to_commit_p99_ms": 10,
                "customers_1000_seconds": 60,
            },
        }
    json.dump(result, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
