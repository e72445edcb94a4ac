"""Runs the ``kiosk`` command with the ledger subcommand present (tests start it as a child)."""

from __future__ import annotations

import sys

import kiosk.cli as cli

LEDGER_MODULE = "kiosk.cli.ledger_cmd"


def ensure_ledger_command() -> None:
    """Add ``kiosk ledger`` to the command table if this build does not list it yet."""
    if LEDGER_MODULE not in cli._COMMAND_MODULES:
        cli._COMMAND_MODULES = (*cli._COMMAND_MODULES, LEDGER_MODULE)


if __name__ == "__main__":
    ensure_ledger_command()
    sys.exit(cli.main(sys.argv[1:]))
