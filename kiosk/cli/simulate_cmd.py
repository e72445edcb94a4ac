"""``kiosk simulate``: a headless kiosk day with scripted customers; report and invariants."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk.cli import CliError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "simulate",
        help="run a headless kiosk day with scripted customers",
        description="Run the kiosk core, store and bill acceptor driver against the "
        "in-process device simulator with seeded customers, then check the money invariants. "
        "Exit status 1 when an invariant does not hold.",
    )
    parser.add_argument("--customers", type=int, default=200, help="customers in the day")
    parser.add_argument("--seed", type=int, default=1, help="seed: the same seed, the same day")
    parser.add_argument("--report", type=Path, help="write the JSON report to this file")
    parser.add_argument(
        "--state-dir",
        type=Path,
        help="keep the kiosk database here (default: a temporary directory)",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="print each customer's story as it happens"
    )
    parser.add_argument(
        "--ledger",
        metavar="embedded|URL",
        help="forward payments to a ledger: 'embedded' (one in this process) "
        "or the http:// URL of 'kiosk ledger serve' on this machine",
    )
    parser.add_argument(
        "--secret-file", type=Path, metavar="FILE", help="this terminal's secret, for --ledger URL"
    )
    parser.add_argument(
        "--outage",
        type=_outage,
        metavar="FROM-TO",
        help="the network to the ledger is down for customers FROM to TO",
    )
    parser.add_argument(
        "--faults",
        default="none",
        metavar="all|none|KIND,…",
        help="faults on a seeded schedule: jam, cassette_out, cassette_full, "
        "cheat, line_noise, power_cycle, unplug, crash, paper_out, paper_ends, and "
        "with --ledger "
        "network_down, network_flapping, ledger_errors, ledger_slow, "
        "answer_lost, ledger_garbage (default none)",
    )
    parser.add_argument(
        "--protocol",
        choices=["ccnet", "id003", "ssp", "essp"],
        default="ccnet",
        help="the simulated bill acceptor's protocol; essp: SSP with the "
        "encrypted session the validator requires (default ccnet)",
    )
    parser.add_argument(
        "--transport",
        choices=["memory", "socket", "pty"],
        default="memory",
        help="how the driver reaches the device simulator: an in-process link, "
        "TCP on loopback, or a pseudo-terminal (default memory)",
    )
    parser.add_argument(
        "--sigkill",
        type=int,
        metavar="N",
        default=0,
        help="run the kiosk as a child process and SIGKILL it exactly N "
        "times (half at random instants, half at money-path step boundaries, "
        "planned from the seed), restarting it each time and checking the "
        "books after each restart; the day gets more customers if it ends "
        "first, and the report fails if a kill could not be done. The device "
        "simulator and a ledger on loopback HTTP outlive the kiosk. Device and "
        "printer faults apply; not with --ledger",
    )
    parser.add_argument(
        "--receipts",
        type=Path,
        metavar="DIR",
        help="write every printed receipt here as .txt and .png (the simulated printer's output)",
    )
    parser.add_argument(
        "--ui",
        action="store_true",
        help="the customers tap the Qt kiosk window instead of calling the "
        "core (offscreen when there is no display); the report also checks "
        "that the window showed what the core did. Not with --sigkill",
    )
    parser.add_argument(
        "--log",
        type=Path,
        metavar="FILE",
        help="write the kiosk's structured log (JSON lines, rotated) here",
    )
    parser.set_defaults(handler=run)


def _kill_campaign(args: argparse.Namespace, say: Any) -> int:
    from kiosk.sim.campaign import NETWORK_FAULTS, parse_faults
    from kiosk.sim.killcampaign import CampaignError, kill_summary, run_kill_campaign

    if args.sigkill < 0:
        raise CliError("--sigkill takes a number of kills >= 0")
    if args.ledger is not None or args.outage is not None or args.transport != "memory":
        raise CliError(
            "--sigkill runs its own ledger and socket link: drop --ledger, --outage and --transport"
        )
    try:
        faults = parse_faults(args.faults, ledger=False)
    except ValueError as exc:
        raise CliError(f"--faults: {exc}") from exc
    faults -= NETWORK_FAULTS

    def run_in(state_dir: Path) -> dict[str, Any]:
        try:
            return run_kill_campaign(
                args.customers,
                args.seed,
                state_dir,
                kills=args.sigkill,
                protocol=args.protocol,
                faults=faults,
                say=say,
            )
        except CampaignError as exc:
            raise CliError(str(exc)) from exc

    if args.state_dir is not None:
        if (args.state_dir / "kiosk.db").exists():
            raise CliError(f"{args.state_dir}/kiosk.db exists: give an empty --state-dir")
        args.state_dir.mkdir(parents=True, exist_ok=True)
        report = run_in(args.state_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="kiosk-kill-") as tmp:
            report = run_in(Path(tmp))
    if args.report is not None:
        try:
            args.report.write_text(json.dumps(report, indent=2) + "\n")
        except OSError as exc:
            raise CliError(f"cannot write the report to {args.report}: {exc.strerror}") from exc
    print(kill_summary(report))
    return 0 if report["ok"] else 1


def _outage(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    if not (first.isdigit() and last.isdigit()) or not 1 <= int(first) <= int(last):
        raise argparse.ArgumentTypeError(f"expected FROM-TO customer numbers, got {text!r}")
    return int(first), int(last)


def run(args: argparse.Namespace) -> int:
    from kiosk.logs import setup_logging
    from kiosk.sim.simulate import run_simulation, summary

    if args.log is not None:
        setup_logging(args.log, "INFO")

    if args.customers < 1:
        raise CliError("--customers must be at least 1")
    from kiosk.sim.ledger_link import LinkError

    if args.outage is not None and args.ledger is None:
        raise CliError("--outage needs --ledger")
    say = print if args.verbose else (lambda line: None)
    from kiosk.sim.campaign import parse_faults

    if args.sigkill:
        if args.ui:
            raise CliError("--ui drives the window in this process: not with --sigkill")
        return _kill_campaign(args, say)

    try:
        faults = parse_faults(args.faults, ledger=args.ledger is not None)
    except ValueError as exc:
        raise CliError(f"--faults: {exc}") from exc
    options = {
        "ledger": args.ledger,
        "secret_file": args.secret_file,
        "outage": args.outage,
        "faults": faults,
        "transport": args.transport,
        "protocol": args.protocol,
        "receipts_dir": args.receipts,
        "ui": args.ui,
    }
    try:
        if args.state_dir is not None:
            if (args.state_dir / "kiosk.db").exists():
                raise CliError(f"{args.state_dir}/kiosk.db exists: give an empty --state-dir")
            report = run_simulation(args.customers, args.seed, args.state_dir, say, **options)
        else:
            with tempfile.TemporaryDirectory(prefix="kiosk-sim-") as tmp:
                report = run_simulation(args.customers, args.seed, Path(tmp), say, **options)
    except LinkError as exc:
        raise CliError(str(exc)) from exc
    if args.report is not None:
        try:
            args.report.write_text(json.dumps(report, indent=2) + "\n")
        except OSError as exc:
            raise CliError(f"cannot write the report to {args.report}: {exc.strerror}") from exc
    print(summary(report), file=sys.stdout)
    return 0 if report["ok"] else 1
