"""``kiosk demo``: the kiosk on simulated devices. Until the touchscreen UI lands it runs a
headless simulated day and tells what happened in plain words."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo", help="the kiosk on simulated devices (a headless day for now)",
        description="Run a day of the kiosk on the simulated bill acceptor and print each "
        "customer's story, then the day's totals and the money invariants.")
    parser.add_argument("--customers", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--log", type=Path, metavar="FILE",
                        help="write the kiosk's structured log (JSON lines, rotated) here")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.logs import setup_logging
    from kiosk.simulate import run_simulation, summary

    if args.log is not None:
        setup_logging(args.log, "INFO")

    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        report = run_simulation(args.customers, args.seed, Path(tmp), print)
    print()
    print(summary(report))
    return 0 if report["ok"] else 1
