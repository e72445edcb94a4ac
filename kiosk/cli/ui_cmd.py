"""``kiosk screenshots`` (every screen, every language, offscreen PNG) and
``kiosk service set-pin`` (the technician's PIN for the service menu)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import CliError


def register(subparsers: Any) -> None:
    shots = subparsers.add_parser(
        "screenshots", help="render every kiosk screen in every language to PNG",
        description="Walk the kiosk window offscreen through every screen (simulated devices, "
        "embedded ledger) in kk, ru and en, portrait and landscape, and save PNG files.")
    shots.add_argument("--out", type=Path, required=True, metavar="DIR")
    shots.add_argument("--language", action="append", choices=("kk", "ru", "en"),
                       help="only this language (repeatable; default all)")
    shots.add_argument("--size", action="append", choices=("portrait", "landscape"),
                       help="only this orientation (repeatable; default both)")
    shots.set_defaults(handler=run_screenshots)

    service = subparsers.add_parser("service", help="technician settings of this kiosk")
    actions = service.add_subparsers(dest="service_command", metavar="ACTION")
    actions.required = True
    set_pin = actions.add_parser(
        "set-pin", help="set the service menu PIN (asked twice, or one line on stdin)",
        description="Store the service PIN as a salted hash. Five wrong PINs lock the menu "
        "for five minutes.")
    set_pin.add_argument("--pin-file", type=Path, metavar="FILE",
                         help="where to keep it (default: next to the database of --config)")
    set_pin.add_argument("--config", type=Path, metavar="FILE",
                         help="the kiosk configuration whose storage places the PIN file")
    set_pin.set_defaults(handler=run_set_pin)


def run_screenshots(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from ui.screenshots import ScreenshotError, render_all

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    try:
        saved = render_all(args.out, languages=tuple(args.language or ("kk", "ru", "en")),
                           sizes=tuple(args.size or ("portrait", "landscape")))
    except ScreenshotError as exc:
        raise CliError(f"screenshots stopped: {exc}", 1) from exc
    del app
    print(f"{len(saved)} screenshots in {args.out}")
    return 0


def _pin_path(args: argparse.Namespace) -> Path:
    if args.pin_file is not None:
        return Path(args.pin_file)
    if args.config is None:
        raise CliError("give --pin-file FILE or --config FILE (the PIN lives next to its "
                       "database)")
    from kiosk.config import ConfigError, load_config
    from kiosk.service_pin import PinError, default_pin_path

    try:
        return default_pin_path(load_config(args.config).storage.url)
    except (ConfigError, PinError) as exc:
        raise CliError(str(exc)) from exc


def run_set_pin(args: argparse.Namespace) -> int:
    from kiosk.clock import SystemClock
    from kiosk.service_pin import PinError, ServicePin

    path = _pin_path(args)
    if sys.stdin.isatty():
        pin = getpass.getpass("New service PIN: ")
        if getpass.getpass("Repeat it: ") != pin:
            raise CliError("the two PINs differ; nothing changed")
    else:
        pin = sys.stdin.readline().strip()
    try:
        ServicePin(path, SystemClock()).set_pin(pin)
    except PinError as exc:
        raise CliError(str(exc)) from exc
    print(f"service PIN set in {path}")
    return 0
