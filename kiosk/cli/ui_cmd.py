"""``kiosk screenshots``: every screen, every language, offscreen PNG."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import CliError


def register(subparsers: Any) -> None:
    shots = subparsers.add_parser(
        "screenshots",
        help="render every kiosk screen in every language to PNG",
        description="Walk the kiosk window offscreen through every screen (simulated devices, "
        "embedded ledger) in kk, ru and en, at 1080x1920, 1920x1080 and 1280x1024, and save PNG "
        "files named <size>_<language>_<screen>.png.",
    )
    shots.add_argument("--out", type=Path, required=True, metavar="DIR")
    shots.add_argument(
        "--language",
        action="append",
        choices=("kk", "ru", "en"),
        help="only this language (repeatable; default all)",
    )
    shots.add_argument(
        "--size",
        action="append",
        metavar="WxH",
        help="only this size: portrait (1080x1920), landscape (1920x1080), square (1280x1024) "
        "or any WxH (repeatable; default the three)",
    )
    shots.set_defaults(handler=run_screenshots)


def run_screenshots(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from kiosk.sim.ui.screenshots import ScreenshotError, render_all

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    try:
        saved = render_all(
            args.out,
            languages=tuple(args.language or ("kk", "ru", "en")),
            sizes=tuple(args.size or ("portrait", "landscape", "square")),
        )
    except ScreenshotError as exc:
        raise CliError(f"screenshots stopped: {exc}", 1) from exc
    del app
    print(f"{len(saved)} screenshots in {args.out}")
    return 0
