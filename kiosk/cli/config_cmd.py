"""``kiosk config check FILE`` and ``kiosk config example``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.config import Config, ConfigError, example_config_text, load_config

EXIT_INVALID = 2


def register(subparsers: Any) -> None:
    """Add the ``config`` command and its ``check`` and ``example`` subcommands."""
    parser = subparsers.add_parser(
        "config",
        help="check a configuration file or print the example",
        description="Check a kiosk configuration file or print a complete commented example.",
    )
    actions = parser.add_subparsers(dest="config_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        help="validate FILE; exit 0 when it is usable, 2 with a one-line error if not",
        description="Validate a configuration file. Prints 'FILE: ok' and a summary, or one "
        "line 'FILE: key: problem' on stderr and exits 2.",
    )
    check.add_argument("file", metavar="FILE", help="the TOML configuration file")
    check.set_defaults(handler=_check)
    example = actions.add_parser(
        "example",
        help="print a complete commented example configuration",
        description="Print a complete commented example configuration (it passes the check).",
    )
    example.set_defaults(handler=_example)


def summary(config: Config) -> str:
    """One line telling a technician what the file sets up."""
    validator = config.validator
    device = validator.protocol + (f" on {validator.port}" if validator.port else "")
    if config.printer is None:
        printer = "no printer"
    else:
        printer = f"printer {config.printer.profile} on {config.printer.port or 'simulator'}"
    ledger = f"ledger {config.ledger.url}" if config.ledger.url else "no remote ledger"
    if config.ledger.url and config.ledger.ca_file is not None:
        ledger += f" (CA {config.ledger.ca_file})"
    return f"terminal {config.terminal.id}, validator {device}, {printer}, {ledger}"


def _check(args: argparse.Namespace) -> int:
    try:
        config = load_config(Path(args.file))
    except ConfigError as exc:
        # The file as typed by the user, then the problem: one line a technician can act on.
        print(f"{args.file}: {exc.detail}", file=sys.stderr)
        return EXIT_INVALID
    print(f"{args.file}: ok")
    print(summary(config))
    return 0


def _example(args: argparse.Namespace) -> int:
    sys.stdout.write(example_config_text())
    return 0
