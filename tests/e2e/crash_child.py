"""A kiosk process for the crash tests: pays one customer, and SIGKILLs itself at a named
step boundary when told to. Run as ``python -m tests.e2e.crash_child``.

Phases: ``pay`` (one customer, notes fed through the device's control channel) and
``recover`` (start, let recovery finish what the previous process left, exit).
Prints one JSON line on success.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import signal
import socket
import sys
from functools import partial
from pathlib import Path

from kiosk.app import build_kiosk, open_devices
from kiosk.config import ValidatorConfig, demo_config
from tests.waiting import wait_for

SETTLE_S = 15.0


def control(address: str, command: str) -> str:
    host, port = address.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(command.encode() + b"\n")
        return conn.makefile().readline().strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--port", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--phase", choices=["pay", "recover"], required=True)
    parser.add_argument("--notes", default="1000,500")
    parser.add_argument("--crash-at")
    parser.add_argument("--crash-nth", type=int, default=1)
    args = parser.parse_args()

    seen: dict[str, int] = {}

    def hook(point: str) -> None:
        seen[point] = seen.get(point, 0) + 1
        if point == args.crash_at and seen[point] == args.crash_nth:
            os.kill(os.getpid(), signal.SIGKILL)

    base = demo_config(args.state_dir)
    config = dataclasses.replace(
        base,
        validator=ValidatorConfig(
            protocol="ccnet", port=args.port, poll_interval_ms=20, response_timeout_ms=500
        ),
    )
    kiosk = build_kiosk(config, open_devices(config), rng=random.Random(), hooks=hook)
    report = kiosk.start(threaded=False)
    core = kiosk.core
    if args.phase == "recover":
        print(
            json.dumps(
                {
                    "paid": report.paid,
                    "closed": report.closed,
                    "abandoned": report.abandoned,
                    "unresolved": report.unresolved_orders,
                }
            )
        )
        kiosk.stop()
        return 0

    def stacked_past(count: int) -> bool:
        """One poll of the validator (this process drives it, unthreaded, over the served
        port), then whether the core holds more than ``count`` notes."""
        kiosk.acceptor.poll_once()
        return len(core.snapshot().notes) > count

    core.choose_service("kaspi")
    assert core.enter_account("+77011234567").ok
    core.confirm_account()
    core.start_cash()
    for tenge in (int(n) for n in args.notes.split(",")):
        kiosk.acceptor.poll_once()  # apply the enabled set before the note goes in
        count = len(core.snapshot().notes)
        answer = control(args.control, f"insert {tenge}")
        if not answer.startswith("ok"):
            raise SystemExit(f"device refused the note: {answer}")
        try:
            wait_for(
                partial(stacked_past, count),
                SETTLE_S,
                f"note {tenge} to stack",
                every=config.validator.poll_interval_ms / 1000,
            )
        except AssertionError as exc:
            raise SystemExit(f"{exc}; device {kiosk.acceptor.state}") from exc
    paid = core.pay()
    print(
        json.dumps(
            {"receipt_number": paid.receipt_number, "inserted": paid.breakdown.inserted.tiyn}
        )
    )
    kiosk.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
