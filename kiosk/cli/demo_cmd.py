"""``kiosk demo``: the kiosk on simulated devices and an embedded ledger. With a display it
opens the touchscreen window and the simulator panel; without one (or with --headless) it
runs a simulated day, with a network outage in the middle, told in plain words."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="the kiosk on simulated devices and an embedded ledger",
        description="Run a day of the kiosk on the simulated bill acceptor and print each "
        "customer's story, then the day's totals and the money invariants.",
    )
    parser.add_argument(
        "--headless",
        action="store_true",
        help="run the headless day even when a display is available",
    )
    parser.add_argument("--customers", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--state-dir",
        type=Path,
        metavar="DIR",
        help="keep the window demo's database, receipts and log here (kept "
        "across the service menu's Restart; default: a temporary directory)",
    )
    parser.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="write the kiosk's structured log (JSON lines, rotated) here",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.logs import setup_logging
    from kiosk.sim.simulate import run_simulation, summary

    if not args.headless:
        from kiosk.sim.ui.window import display_available, run_kiosk_window

        if display_available():
            return run_kiosk_window(args.state_dir)
        print("No display: running the headless kiosk day instead (the window needs one).")

    # The story is the demo's output; the log goes to --log, and only errors to the terminal.
    setup_logging(args.log, "INFO") if args.log is not None else setup_logging(None, "ERROR")

    # An embedded ledger, and the network to it down for a stretch of the day.
    outage = (max(1, args.customers * 2 // 5), max(1, args.customers * 3 // 5))
    with tempfile.TemporaryDirectory(prefix="kiosk-demo-") as tmp:
        report = run_simulation(
            args.customers, args.seed, Path(tmp), print, ledger="embedded", outage=outage
        )
    print()
    print(summary(report))
    return 0 if report["ok"] else 1
