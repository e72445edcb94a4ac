"""The ``kiosk`` command. Each subcommand lives in its own module with a ``register`` function."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kiosk import __version__

# Modules that add subcommands; each exposes register(subparsers).
_COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.cli.run_cmd",
    "kiosk.cli.config_cmd",
    "kiosk.cli.simulate_cmd",
    "kiosk.cli.demo_cmd",
    "kiosk.cli.device_cmd",
    "kiosk.cli.printer_cmd",
    "kiosk.cli.ledger_cmd",
    "kiosk.cli.outbox_cmd",
    "kiosk.cli.ui_cmd",
    "kiosk.cli.service_cmd",
    "kiosk.cli.journey_cmd",
)


class CliError(Exception):
    """A one-line error for the user; the command exits with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Self-service cash payment terminal: kiosk, device simulators, ledger.",
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in _COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that subcommand is not part of this build yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    import logging

    from kiosk.logs import setup_logging

    # Some libraries call logging.basicConfig() on import (python-escpos does); the kiosk
    # logs only JSON lines. Problems reach the terminal; commands may log fully to a file.
    logging.getLogger().handlers.clear()
    setup_logging(None, "WARNING")
    try:
        result: int = args.handler(args)
    except CliError as exc:
        print(f"kiosk {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
