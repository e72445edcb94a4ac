"""``kiosk service add-technician | list-technicians | remove-technician | unlock``: the people
who may open the service menu, each with a number and a personal PIN (decision 021)."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.cli import CliError

FILE_HELP = "the technician file (default: next to the database of --config)"


def register(subparsers: Any) -> None:
    service = subparsers.add_parser(
        "service",
        help="technicians of this kiosk",
        description="Who may open the service menu: each "
        "technician types their number, then their own PIN.",
    )
    actions = service.add_subparsers(dest="service_command", metavar="ACTION")
    actions.required = True

    def action(name: str, help_text: str, description: str, handler: Any) -> Any:
        parser = actions.add_parser(name, help=help_text, description=description)
        parser.add_argument("--pin-file", type=Path, metavar="FILE", help=FILE_HELP)
        parser.add_argument(
            "--config",
            type=Path,
            metavar="FILE",
            help="the kiosk configuration: its storage places the file, its "
            "terminal id may not be a PIN",
        )
        parser.set_defaults(handler=handler)
        return parser

    add = action(
        "add-technician",
        "register a technician and their PIN (asked twice, or one line on stdin)",
        "Store a personal PIN (6 to 12 digits, not easy to guess) as a salted scrypt "
        "hash and print the technician's number, typed before the PIN. Five wrong "
        "tries lock the PIN pad for five minutes, each further lockout twice as "
        "long. An old shared PIN file is replaced.",
        run_add,
    )
    add.add_argument(
        "name",
        metavar="NAME",
        help="the technician's name, as it goes to the "
        "ledger with each encashment (up to 32 characters)",
    )
    add.add_argument(
        "--number",
        type=int,
        metavar="N",
        help="their number at the PIN pad (default: the next free one)",
    )
    action(
        "list-technicians",
        "who may open the service menu",
        "One line per technician: number, name, when added; and the pad's lock.",
        run_list,
    )
    remove = action(
        "remove-technician",
        "take a technician's PIN away",
        "Remove the technician: their number and PIN no longer open the menu.",
        run_remove,
    )
    remove.add_argument("name", metavar="NAME")
    action(
        "unlock",
        "end the PIN pad's lock after wrong tries",
        "Clear the wrong tries and the lock, for someone at the kiosk's shell.",
        run_unlock,
    )
    action(
        "set-pin",
        "replaced by add-technician",
        "The shared service PIN is gone: add each technician instead.",
        run_set_pin,
    )


def _technicians(args: argparse.Namespace) -> Any:
    """The technician file named by --pin-file, or next to the database of --config."""
    from kiosk.domain.clock import SystemClock
    from kiosk.technicians import TechnicianError, Technicians, default_technicians_path

    terminal_id = ""
    path = args.pin_file
    if args.config is not None:
        from kiosk.config import ConfigError, load_config

        try:
            config = load_config(args.config)
            terminal_id = config.terminal.id
            if path is None:
                path = default_technicians_path(config.storage.url)
        except (ConfigError, TechnicianError) as exc:
            raise CliError(str(exc)) from exc
    if path is None:
        raise CliError(
            "give --pin-file FILE or --config FILE (the technician file lives next to its database)"
        )
    return Technicians(Path(path), SystemClock(), terminal_id=terminal_id)


def _read_pin(name: str) -> str:
    if sys.stdin.isatty():
        pin = getpass.getpass(f"New service PIN for {name}: ")
        if getpass.getpass("Repeat it: ") != pin:
            raise CliError("the two PINs differ; nothing changed")
        return pin
    return sys.stdin.readline().strip()


def run_add(args: argparse.Namespace) -> int:
    from kiosk.technicians import LegacyPinFile, TechnicianError

    technicians = _technicians(args)
    try:
        technicians.registered()
        replacing = False
    except LegacyPinFile:
        replacing = True
    except TechnicianError as exc:
        raise CliError(str(exc)) from exc
    pin = _read_pin(args.name)
    try:
        added = technicians.add(args.name, pin, number=args.number)
    except TechnicianError as exc:
        raise CliError(f"{exc}; nothing changed") from exc
    if replacing:
        print(f"the old shared service PIN in {technicians.path} is removed")
    print(
        f"technician {added.number} {added.name} added in {technicians.path}: at the kiosk "
        f"type {added.number}, Enter, then the PIN"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from kiosk.technicians import TechnicianError

    technicians = _technicians(args)
    try:
        people = technicians.registered()
        locked = technicians.lock_remaining()
    except TechnicianError as exc:
        raise CliError(str(exc)) from exc
    if not people:
        print(
            f"no technicians in {technicians.path}: add one with "
            f"'kiosk service add-technician NAME'"
        )
    for person in people:
        added = datetime.fromtimestamp(person.added_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(f"{person.number:>3}  {person.name}  (added {added})")
    if locked > 0:
        print(f"the PIN pad is locked for {int(locked) + 1} s more ('kiosk service unlock')")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from kiosk.technicians import TechnicianError

    technicians = _technicians(args)
    try:
        removed = technicians.remove(args.name)
    except TechnicianError as exc:
        raise CliError(str(exc)) from exc
    print(f"technician {removed.number} {removed.name} removed from {technicians.path}")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    from kiosk.technicians import TechnicianError

    technicians = _technicians(args)
    try:
        technicians.unlock()
    except TechnicianError as exc:
        raise CliError(str(exc)) from exc
    print("the PIN pad is open")
    return 0


def run_set_pin(args: argparse.Namespace) -> int:
    raise CliError(
        "the shared service PIN is gone: add each technician with "
        "'kiosk service add-technician NAME' (their own number and PIN)"
    )
