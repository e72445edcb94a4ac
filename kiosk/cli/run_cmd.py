"""``kiosk run --config FILE [--windowed] [--screen N]``: the production start.

The configured validator and printer, the ledger at ``[ledger] url``, the customer window
full-screen. SIGTERM or SIGINT stop it cleanly (exit 0): no new note, the note in the
acceptor decided, the payment being committed completed, the ports closed. A second signal
exits at once; recovery finishes the rest at the next start. Imports no simulator.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli import CliError

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger("kiosk.run")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the kiosk on its configured devices and ledger (production)",
        description="Start the terminal: check the configuration and the database, open the "
        "configured bill validator and printer, finish sessions a crash interrupted, then "
        "show the customer window full-screen. SIGTERM stops it cleanly (exit 0).",
    )
    parser.add_argument(
        "--config",
        type=Path,
        required=True,
        metavar="FILE",
        help="the terminal's TOML configuration (see 'kiosk config example')",
    )
    parser.add_argument(
        "--windowed",
        action="store_true",
        help="an ordinary window with a cursor (a technician's desk), not full-screen",
    )
    parser.add_argument(
        "--screen",
        type=int,
        default=0,
        metavar="N",
        help="the display to use, counting from 0 (default %(default)s)",
    )
    parser.set_defaults(handler=run)


def has_display() -> bool:
    """A display to draw on: X11, Wayland, or a platform Qt was told to use (offscreen…)."""
    return bool(
        os.environ.get("QT_QPA_PLATFORM")
        or os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
    )


def production_config(path: Path) -> Config:
    """The configuration, checked as ``kiosk config check`` does, plus what only a real
    terminal needs: real devices (no in-process simulator)."""
    from kiosk.config import ConfigError, load_config

    try:
        config = load_config(path)
    except ConfigError as exc:
        raise CliError(exc.located if exc.key else str(exc)) from exc
    if config.validator.protocol == "sim":
        raise CliError(
            f'{path}: devices.validator.protocol: "sim" is the in-process '
            "simulator; a terminal runs ccnet, id003 or ssp (for a simulated kiosk "
            "use 'kiosk demo')"
        )
    if config.printer is not None and config.printer.port is None:
        raise CliError(
            f"{path}: devices.printer.port: required by 'kiosk run' (e.g. "
            '"socket://127.0.0.1:9100" or "/dev/usb/lp0"); leave out the whole '
            "[devices.printer] section for a terminal without a printer"
        )
    return config


class _Signals:
    """SIGTERM/SIGINT: the first asks the window to close (then the kiosk stops in order),
    a second exits at once."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.quit: Any = None  # set once the event loop runs

    def install(self) -> None:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, self._handle)

    def _handle(self, number: int, _frame: object) -> None:
        self.received.append(number)
        if len(self.received) > 1:
            os._exit(1)  # the operator insists; recovery finishes the rest at the next start
        if self.quit is not None:
            self.quit()

    @property
    def stopping(self) -> bool:
        return bool(self.received)


def run(args: argparse.Namespace) -> int:
    if not has_display():
        raise CliError(
            "no display: the kiosk window needs X11 or Wayland (DISPLAY or "
            "WAYLAND_DISPLAY), or QT_QPA_PLATFORM (e.g. offscreen) to run without"
        )
    config = production_config(args.config)
    signals = _Signals()
    signals.install()

    from kiosk.domain.logfmt import log_event
    from kiosk.logs import setup_logging

    logs = config.logging
    setup_logging(logs.path, logs.level, logs.max_bytes, logs.backups)

    from drivers.bill.base import AcceptorError
    from kiosk.app import build_kiosk, open_devices, remote_ledger
    from kiosk.sdnotify import Notifier
    from kiosk.store.db import StoreError
    from ui.terminal import ScreenNotFound, open_screen, run_window

    try:
        target = open_screen(args.screen)
    except ScreenNotFound as exc:
        raise CliError(str(exc)) from exc
    notifier = Notifier.from_environment()
    notifier.status("starting")
    try:
        kiosk = build_kiosk(
            config, open_devices(config), remote_ledger(config), on_tick=notifier.watchdog
        )
    except StoreError as exc:
        log_event(log, "kiosk database unusable", logging.ERROR, error=str(exc))
        advice = (
            ""
            if exc.kind == "database damaged"
            else (
                f" ({config.storage.url}): free the disk or fix its permissions; if the file is "
                "damaged, keep it for the payment agent and restore it from backup"
            )
        )
        raise CliError(f"the kiosk database cannot be used: {exc}{advice}", 2) from exc
    except (OSError, ValueError) as exc:
        log_event(log, "kiosk cannot start", logging.ERROR, error=str(exc))
        raise CliError(f"cannot start: {exc}", 2) from exc
    try:
        try:
            report = kiosk.start(threaded=True)
        except AcceptorError as exc:  # it answers, but not as configured (a silent one waits)
            log_event(log, "bill acceptor refused at start", logging.ERROR, error=str(exc))
            raise CliError(f"cannot start: {exc}", 2) from exc
        log_event(
            log,
            "kiosk started",
            terminal=config.terminal.id,
            validator=config.validator.protocol,
            recovered=len(report.paid),
            ledger=config.ledger.url is not None,
        )
        if signals.stopping:
            return 0
        return run_window(kiosk, target, windowed=args.windowed, signals=signals, notifier=notifier)
    finally:
        notifier.stopping()
        kiosk.stop()
        log_event(log, "kiosk stopped", signal=signals.received[0] if signals.received else None)
        logging.shutdown()
        sys.stdout.flush()
