"""``kiosk journey``: play a scripted customer journey on the real kiosk window (offscreen
without a display), on simulated devices and an embedded ledger; report what each screen
showed and what became of the money."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import CliError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "journey",
        help="play a scripted customer journey on the kiosk window (simulated devices)",
        description="Play FILE, a JSON journey {language, wallets?, steps}, on the kiosk "
        "window with simulated devices, an embedded ledger and simulated time; report each "
        "step's screen and visible texts, the payments and the receipts. Exit 1 when a step "
        "fails, 2 when FILE cannot be played (see README, Journeys).",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="OUT.json",
        help="write the report here (default: print it as one JSON line)",
    )
    parser.add_argument("--shots", type=Path, metavar="DIR", help="save one PNG per step here")
    parser.add_argument(
        "--size",
        default="1080x1920",
        metavar="WxH",
        help="window size in pixels (default %(default)s; 1920x1080 for landscape)",
    )
    parser.add_argument(
        "--language",
        choices=("kk", "ru", "en"),
        help="play in this language instead of the file's, to look at the screens (with "
        "--shots); the file's expect_text/expect_no_text steps are then not checked and "
        'the report marks them "checked": false',
    )
    parser.set_defaults(handler=run_journey)


def run_journey(args: argparse.Namespace) -> int:
    from kiosk.catalog_file import load_catalog
    from kiosk.sim.journey import JourneyFileError, load_journey, parse_size

    try:
        size = parse_size(args.size)
        journey = load_journey(args.file, load_catalog())
        if args.language:
            journey = journey.in_language(args.language)
    except JourneyFileError as exc:
        raise CliError(str(exc)) from exc

    from kiosk.logs import setup_logging
    from kiosk.sim.journey import StepFailed
    from kiosk.sim.ui.journey_player import play_journey

    setup_logging(None, "ERROR")  # the report is the output; the kiosk's warnings are not

    try:
        played = play_journey(journey, size=size, shots=args.shots)
    except JourneyFileError as exc:  # the wallets refused by the ledger's loader, --shots
        raise CliError(str(exc)) from exc
    except StepFailed as exc:  # the window never came up
        raise CliError(str(exc), 1) from exc
    report = {
        "journey": str(args.file),
        "language": journey.language,
        "written_in": journey.written_in,
        "size": f"{size[0]}x{size[1]}",
        **played.as_json(),
    }
    if args.report is not None:
        try:
            args.report.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            raise CliError(f"cannot write the report {args.report}: {exc.strerror}", 1) from exc
    else:
        print(json.dumps(report, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.flush()
    if played.failed is not None:
        raise CliError(str(played.failed["error"]), 1)
    return 0
