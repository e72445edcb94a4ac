"""``kiosk ledger init | serve | audit | terminals | terminal add|rotate|disable|enable |
suspense list|release | encashments | user add|list|disable|set-password``: the central
ledger."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli import CliError
from kiosk.domain.catalog import CatalogError
from kiosk.domain.money import Money

DEFAULT_DB = "sqlite:///ledger.db"
DEFAULT_GRACE_S = 24 * 3600


def register(subparsers: Any) -> None:
    """Add the ``ledger`` command and its actions."""
    parser = subparsers.add_parser(
        "ledger",
        help="run or inspect the central ledger",
        description="The central ledger: credits each kiosk payment exactly once, double entry.",
    )
    actions = parser.add_subparsers(dest="ledger_command", metavar="ACTION")
    actions.required = True

    init = actions.add_parser(
        "init",
        help="create or upgrade the database and its secrets key file",
        description="Create (or migrate) the ledger database, make its secrets key file if "
        "missing (mode 0600), seal any secret an older ledger kept in clear. "
        "Prints one JSON line naming both files. Every other action does the "
        "same on first use.",
    )
    _db_argument(init)
    init.set_defaults(handler=_init)

    serve = actions.add_parser(
        "serve",
        help="serve the ledger API over HTTP",
        description="Serve the ledger API over HTTP, or HTTPS with --certfile and --keyfile "
        "(OpenAPI at /openapi.json). Prints one JSON line with the URL once "
        "listening.",
    )
    _db_argument(serve)
    serve.add_argument(
        "--listen",
        default="127.0.0.1:8080",
        metavar="HOST:PORT",
        help="address to listen on; port 0 picks a free one (default %(default)s)",
    )
    serve.add_argument(
        "--certfile",
        type=Path,
        metavar="FILE",
        help="serve HTTPS with this PEM certificate (chain); needs --keyfile",
    )
    serve.add_argument(
        "--keyfile",
        type=Path,
        metavar="FILE",
        help="the certificate's unencrypted PEM private key; needs --certfile",
    )
    serve.add_argument(
        "--wallets",
        type=Path,
        metavar="FILE",
        help="wallet registry JSON to seed (added or updated; balances kept)",
    )
    serve.add_argument(
        "--mrp",
        type=int,
        default=432_500,
        metavar="TIYN",
        help="monthly calculation index, tiyn (default %(default)s)",
    )
    serve.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help="service catalog to serve (default: the packaged catalog)",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=["debug", "info", "warning", "error"]
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve with N processes on the one socket (stateless; use "
        "PostgreSQL for more than one; default %(default)s)",
    )
    serve.add_argument(
        "--max-body",
        type=int,
        default=1024 * 1024,
        metavar="BYTES",
        help="largest request body; a larger one is answered 413 as it "
        "arrives (default %(default)s)",
    )
    serve.add_argument(
        "--max-connections",
        type=int,
        default=1000,
        metavar="N",
        help="open connections at once; past them "
        "the one idle longest is closed (default %(default)s)",
    )
    serve.add_argument(
        "--support-phone",
        metavar="PHONE",
        help="the support phone the public status page (/status/) tells customers to call, "
        "e.g. '+7 727 000 00 00' (default: $KIOSK_LEDGER_SUPPORT_PHONE; unset, the page "
        "points to the number on the receipt)",
    )
    serve.set_defaults(handler=_serve)

    audit = actions.add_parser(
        "audit",
        help="check the books; print JSON; exit 1 when not balanced",
        description="Check that debits equal credits, account totals match the transfers and "
        "every payment's money adds up. Prints the audit as JSON.",
    )
    _db_argument(audit)
    audit.set_defaults(handler=_audit)

    terminals = actions.add_parser(
        "terminals",
        help="list the terminals with their latest heartbeat",
        description="One line per registered terminal: when its last heartbeat arrived "
        "(or never), validator and printer state, the cassette's notes and "
        "amount, the outbox depth and the age of its oldest payment.",
    )
    _db_argument(terminals)
    terminals.add_argument(
        "--json", action="store_true", help="print a JSON array instead (amounts in tiyn)"
    )
    terminals.set_defaults(handler=_terminals)

    terminal = actions.add_parser(
        "terminal",
        help="manage terminals",
        description="Register terminals that may post payments, change their secrets, "
        "disable them.",
    )
    terminal_actions = terminal.add_subparsers(dest="terminal_command", metavar="ACTION")
    terminal_actions.required = True
    add = terminal_actions.add_parser(
        "add",
        help="register a terminal and print its new secret",
        description="Register terminal ID and print its secret once (put it in the kiosk's "
        "[ledger] secret_file).",
    )
    add.add_argument("terminal_id", metavar="ID", help="terminal id, e.g. KZ-ALA-0001")
    _db_argument(add)
    add.set_defaults(handler=_terminal_add)
    rotate = terminal_actions.add_parser(
        "rotate",
        help="give a terminal a new secret and print it",
        description="Give terminal ID a new secret and print it once. The old secret still "
        "signs for the grace period, while the kiosk's secret file is changed.",
    )
    rotate.add_argument("terminal_id", metavar="ID")
    rotate.add_argument(
        "--grace",
        type=float,
        default=DEFAULT_GRACE_S,
        metavar="SECONDS",
        help="how long the old secret stays valid (default %(default)d s; 0: not at all)",
    )
    _db_argument(rotate)
    rotate.set_defaults(handler=_terminal_rotate)
    for name, active, text in (
        ("disable", False, "refuse every request of terminal ID (401) until enabled"),
        ("enable", True, "let a disabled terminal ID post again"),
    ):
        switch = terminal_actions.add_parser(
            name, help=text, description=text[0].upper() + text[1:] + "; its secret is unchanged."
        )
        switch.add_argument("terminal_id", metavar="ID")
        _db_argument(switch)
        switch.set_defaults(handler=_terminal_switch, active=active)

    held = actions.add_parser(
        "suspense",
        help="list or release money held in suspense",
        description="Rejected payments keep their cash in suspense until the back office "
        "releases it: back to the customer (refund) or to the right account.",
    )
    held_actions = held.add_subparsers(dest="suspense_command", metavar="ACTION")
    held_actions.required = True
    listing = held_actions.add_parser(
        "list",
        help="print the rejected payments still in suspense as JSON, oldest first",
        description="Print the rejected payments still in suspense (accounts masked).",
    )
    listing.add_argument("--terminal", metavar="ID", help="only this terminal's payments")
    _db_argument(listing)
    listing.set_defaults(handler=_suspense_list)
    release = held_actions.add_parser(
        "release",
        help="move one rejected payment's money out of suspense",
        description="Post one transfer out of suspense for the whole amount of a rejected "
        "payment, recorded with who and why; a payment is released once.",
    )
    release.add_argument("operation_id", metavar="OPERATION_ID")
    release.add_argument(
        "--to",
        required=True,
        metavar="refund|SERVICE:ACCOUNT",
        help="'refund' (the customer got the money back) or the account to "
        "credit under the wallet rules, e.g. qplus:+77011234567",
    )
    release.add_argument(
        "--by", required=True, metavar="OPERATOR", help="who releases it (kept with the release)"
    )
    release.add_argument("--reason", required=True, help="why (kept with the release)")
    _db_argument(release)
    release.set_defaults(handler=_suspense_release)

    collected = actions.add_parser(
        "encashments",
        help="list encashments: reported, expected from payments, difference",
        description="One line per encashment, newest first: what the technician reported "
        "against the notes of the terminal's payments since its previous "
        "encashment, and the difference (amounts in tenge; --json: tiyn).",
    )
    collected.add_argument("--terminal", metavar="ID", help="only this terminal's encashments")
    collected.add_argument(
        "--json", action="store_true", help="print a JSON array instead (amounts in tiyn)"
    )
    _db_argument(collected)
    collected.set_defaults(handler=_encashments)
    _register_users(actions)
    _register_commands(actions)


def _register_users(actions: Any) -> None:
    """``user add|list|disable|set-password``: the people of the back office (console)."""
    user = actions.add_parser(
        "user",
        help="manage the back office's users",
        description="People who log in to the console at /console/: viewers look, operators "
        "also act on payments, suspense and terminals, admins also manage users.",
    )
    user_actions = user.add_subparsers(dest="user_command", metavar="ACTION")
    user_actions.required = True
    for name, text in (
        ("add", "add a user; prints a generated password as the last line"),
        ("set-password", "give a user a new password (generated and printed, or from a file)"),
    ):
        action = user_actions.add_parser(name, help=text, description=text[0].upper() + text[1:])
        action.add_argument("name", metavar="NAME", help="lowercase login name, e.g. aliya.k")
        if name == "add":
            action.add_argument("--role", required=True, choices=["viewer", "operator", "admin"])
        action.add_argument(
            "--password-file",
            type=Path,
            metavar="FILE",
            help="read the password from FILE (its first line) instead of generating one",
        )
        action.add_argument("--reason", default="", help="why (kept in the action record)")
        _db_argument(action)
        action.set_defaults(handler=_user_add if name == "add" else _user_set_password)
    listing = user_actions.add_parser("list", help="one line per user: name, role, since")
    _db_argument(listing)
    listing.set_defaults(handler=_user_list)
    disable = user_actions.add_parser(
        "disable", help="stop a user logging in and end their sessions"
    )
    disable.add_argument("name", metavar="NAME")
    disable.add_argument("--reason", default="", help="why (kept in the action record)")
    _db_argument(disable)
    disable.set_defaults(handler=_user_disable)


def _register_commands(actions: Any) -> None:
    """``command lock|unlock|maintenance TERMINAL`` and ``commands``: remote commands."""
    command = actions.add_parser(
        "command",
        help="issue a remote command to a terminal (lock, unlock, maintenance)",
        description="Record a command for a terminal, with who and why; its next heartbeat "
        "answer carries it. Prints the command as JSON.",
    )
    kinds = command.add_subparsers(dest="command_kind", metavar="KIND")
    kinds.required = True
    for kind, text in (
        ("lock", "out of service after the payment in progress, until unlocked"),
        ("unlock", "back in service (also ends a maintenance)"),
        ("maintenance", "announce planned maintenance; out of service from its start"),
    ):
        issue = kinds.add_parser(kind, help=text, description=text)
        issue.add_argument("terminal", metavar="TERMINAL")
        if kind == "maintenance":
            issue.add_argument(
                "--start", required=True, metavar="ISO8601", help="start, with its UTC offset"
            )
            issue.add_argument("--end", metavar="ISO8601", help="end (default: until unlocked)")
        issue.add_argument("--reason", required=True, help="why (kept with the command)")
        issue.add_argument("--by", required=True, metavar="NAME", help="who issues it")
        _db_argument(issue)
        issue.set_defaults(handler=_command_issue, kind=kind)
    catalog = actions.add_parser(
        "catalog",
        help="upload a new service catalog for the terminals",
        description="Catalogs the terminals fetch (by ETag).",
    )
    catalog_actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION")
    catalog_actions.required = True
    upload = catalog_actions.add_parser(
        "upload",
        help="check a catalog file by the kiosk's rules, keep it and serve it",
        description="Check FILE by the same rules as the kiosk, keep it with who uploaded "
        "it and when, serve it from now on, and tell every active terminal to fetch it "
        "(a catalog command). A changed catalog needs a new version. Prints JSON.",
    )
    upload.add_argument("file", type=Path, metavar="FILE")
    upload.add_argument("--by", required=True, metavar="NAME", help="who uploads it")
    upload.add_argument("--reason", help="why (kept with the terminals' catalog commands)")
    upload.add_argument(
        "--no-notify", action="store_true", help="no catalog command: terminals fetch in time"
    )
    _db_argument(upload)
    upload.set_defaults(handler=_catalog_upload)
    listing = actions.add_parser(
        "commands",
        help="list remote commands with their states, newest first",
        description="One line per command: id, terminal, kind, state (pending, sent, "
        "acknowledged, done), who issued it, when and why.",
    )
    listing.add_argument("--terminal", metavar="ID", help="only this terminal's commands")
    listing.add_argument("--json", action="store_true", help="print a JSON array instead")
    _db_argument(listing)
    listing.set_defaults(handler=_commands)


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        metavar="URL",
        help="sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB (default %(default)s)",
    )
    parser.add_argument(
        "--secrets-key-file",
        type=Path,
        metavar="FILE",
        help="the key (mode 0600) sealing the terminal secrets in the "
        "database; default for SQLite: the database file + '.key', "
        "made on first use; PostgreSQL needs it (or "
        "KIOSK_LEDGER_SECRETS_KEY_FILE)",
    )


def _open(args: argparse.Namespace, **kwargs: Any) -> Any:
    # Imported here so that `kiosk --help` does not load the web stack.
    from sqlalchemy.exc import SQLAlchemyError

    from sync.ledger.db import LedgerDatabaseError
    from sync.ledger.service import Ledger
    from sync.ledger.wallets import WalletFileError

    try:
        return Ledger.open(args.db, secrets_key_file=args.secrets_key_file, **kwargs)
    except (LedgerDatabaseError, WalletFileError, CatalogError) as exc:
        raise CliError(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise CliError(f"ledger database {args.db}: {getattr(exc, 'orig', exc)}", 1) from exc


def _support_phone(phone: str | None) -> None:
    """Check --support-phone (or the environment's) and hand it to the status page through
    the environment, which worker processes inherit."""
    from sync.ledger.status_page import (
        SUPPORT_PHONE_ENV,
        configured_support_phone,
        parse_support_phone,
    )

    try:
        if phone is not None:
            os.environ[SUPPORT_PHONE_ENV] = parse_support_phone(phone)
        else:
            configured_support_phone()
    except ValueError as exc:
        where = "--support-phone" if phone is not None else f"${SUPPORT_PHONE_ENV}"
        raise CliError(f"{where}: {exc}") from exc


def _serve(args: argparse.Namespace) -> int:
    from sync.ledger.logs import setup_logging
    from sync.ledger.server import (
        MAX_WORKERS,
        Limits,
        ListenError,
        TlsError,
        bind,
        parse_listen,
        serve,
        serve_workers,
        tls_files,
    )
    from sync.ledger.service import Ledger

    if args.mrp <= 0:
        raise CliError(f"--mrp must be a positive number of tiyn, got {args.mrp}")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise CliError(f"--workers must be 1..{MAX_WORKERS}, got {args.workers}")
    if args.workers > 1 and not args.db.startswith("postgresql"):
        raise CliError(
            f"--workers {args.workers} needs PostgreSQL (--db postgresql+psycopg://"
            "…): SQLite has one writer at a time, several workers only queue on it"
        )
    if args.max_body < 1024:
        raise CliError(f"--max-body must be at least 1024 bytes, got {args.max_body}")
    if args.max_connections < 1:
        raise CliError(f"--max-connections must be at least 1, got {args.max_connections}")
    limits = Limits(max_body=args.max_body, max_connections=args.max_connections)
    _support_phone(args.support_phone)
    try:
        host, port = parse_listen(args.listen)
        tls = tls_files(args.certfile, args.keyfile)
    except (ListenError, TlsError) as exc:
        raise CliError(str(exc)) from exc
    setup_logging(args.log_level)  # JSON lines on stderr; stdout carries the URL line
    ledger = _open(args, wallets=args.wallets, mrp=Money(args.mrp), catalog_path=args.catalog)
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise CliError(f"cannot listen on {args.listen}: {exc.strerror}", 1) from exc
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    scheme = "http" if tls is None else "https"
    print(
        json.dumps(
            {
                "event": "ledger listening",
                "url": f"{scheme}://{shown_host}:{bound_port}",
                "catalog_version": ledger.catalog.version,
            }
        ),
        flush=True,
    )
    if args.workers > 1:
        # The pool's start has migrated and seeded; each worker opens its own engine.
        ledger.close()
        opener = functools.partial(
            Ledger.open,
            args.db,
            wallets=args.wallets,
            mrp=Money(args.mrp),
            catalog_path=args.catalog,
            secrets_key_file=args.secrets_key_file,
            seed=False,
        )
        serve_workers(opener, sock, args.workers, args.log_level, tls, limits)
        return 0
    try:
        serve(ledger, sock, args.log_level, tls, limits)
    except TlsError as exc:
        raise CliError(str(exc)) from exc
    finally:
        ledger.close()
    return 0


def _init(args: argparse.Namespace) -> int:
    from sqlalchemy.engine.url import make_url

    ledger = _open(args)
    try:
        key = ledger.sealer.path
        database = make_url(args.db).render_as_string(hide_password=True)
    finally:
        ledger.close()
    print(
        json.dumps(
            {
                "event": "ledger ready",
                "db": database,
                "secrets_key_file": None if key is None else str(key),
            }
        )
    )
    return 0


def _audit(args: argparse.Namespace) -> int:
    ledger = _open(args)
    try:
        result = ledger.audit()
    finally:
        ledger.close()
    print(json.dumps(result.to_json(), indent=2))
    return 0 if result.balanced else 1


def _terminals(args: argparse.Namespace) -> int:
    ledger = _open(args)
    try:
        states = ledger.terminal_states()
    finally:
        ledger.close()
    if args.json:
        print(json.dumps([state.to_json() for state in states], indent=2))
    else:
        for state in states:
            print(state.line())
    return 0


def _terminal_add(args: argparse.Namespace) -> int:
    from sync.ledger.service import TerminalExists

    ledger = _open(args)
    try:
        secret = ledger.add_terminal(args.terminal_id)
    except TerminalExists as exc:
        raise CliError(f"{exc}; its secret is unchanged") from exc
    finally:
        ledger.close()
    sys.stdout.write(secret + "\n")
    return 0


def _terminal_rotate(args: argparse.Namespace) -> int:
    from sync.ledger.service import UnknownTerminal

    if not 0 <= args.grace <= 366 * 24 * 3600:
        raise CliError(f"--grace must be 0 to {366 * 24 * 3600} seconds, got {args.grace:g}")
    ledger = _open(args)
    try:
        secret = ledger.rotate_terminal(args.terminal_id, args.grace)
    except UnknownTerminal as exc:
        raise CliError(str(exc)) from exc
    finally:
        ledger.close()
    sys.stdout.write(secret + "\n")
    sys.stderr.write(f"the old secret of {args.terminal_id} stays valid for {args.grace:g} s\n")
    return 0


def _terminal_switch(args: argparse.Namespace) -> int:
    from sync.ledger.service import SECRET_CACHE_S, UnknownTerminal

    ledger = _open(args)
    try:
        ledger.set_terminal_active(args.terminal_id, args.active)
    except UnknownTerminal as exc:
        raise CliError(str(exc)) from exc
    finally:
        ledger.close()
    if args.active:
        print(f"terminal {args.terminal_id} enabled")
    else:
        print(
            f"terminal {args.terminal_id} disabled: a running ledger server refuses it "
            f"within {SECRET_CACHE_S:g} s"
        )
    return 0


def _suspense_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    ledger = _open(args)
    try:
        held = ledger.held_in_suspense(args.terminal)
    finally:
        ledger.close()
    print(json.dumps([asdict(item) for item in held], indent=2))
    return 0


def _suspense_release(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from sync.ledger.suspense import ReleaseRefused

    ledger = _open(args)
    try:
        done = ledger.release_suspense(args.operation_id, args.to, args.by, args.reason)
    except ReleaseRefused as exc:
        raise CliError(str(exc), 1) from exc
    finally:
        ledger.close()
    print(json.dumps(asdict(done), indent=2))
    return 0


def _encashments(args: argparse.Namespace) -> int:
    ledger = _open(args)
    try:
        collected = ledger.list_encashments(args.terminal)
    finally:
        ledger.close()
    if args.json:
        print(json.dumps([item.to_json() for item in collected], indent=2))
        return 0
    for item in collected:
        expected = (
            "not reconciled (stored before the ledger counted)"
            if item.expected_total is None
            else f"expected {item.expected_notes} notes {Money(item.expected_total)}"
        )
        difference = "" if item.difference is None else f", difference {Money(item.difference)}"
        print(
            f"{item.terminal_id} {item.encashment_id} at {item.at} by {item.technician_id} "
            f"cassette {item.cassette_id}: reported {item.reported_notes} notes "
            f"{Money(item.reported_total)}, {expected}{difference}"
        )
    if not collected:
        print("no encashments")
    return 0


def _shell_user() -> str:
    """Who acts from the shell, for the action record."""
    import getpass

    try:
        return f"shell:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "shell"


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password from --password-file, or a generated one (True: print it)."""
    from sync.ledger.users import new_password

    if args.password_file is None:
        return new_password(), True
    try:
        lines = args.password_file.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read the password file {args.password_file}: {exc}") from exc
    if not lines or not lines[0]:
        raise CliError(f"the password file {args.password_file} is empty")
    return lines[0], False


def _users(args: argparse.Namespace) -> Any:
    from sync.ledger.users import Users

    ledger = _open(args)
    return ledger, Users(ledger.engine, ledger.clock)


def _on_users(args: argparse.Namespace, act: Callable[[Any], Any]) -> Any:
    """Run ``act(users)`` on the ledger's users: a refusal (UserError) is the CLI's error,
    and the ledger is closed either way."""
    from sync.ledger.users import UserError

    ledger, users = _users(args)
    try:
        return act(users)
    except UserError as exc:
        raise CliError(str(exc)) from exc
    finally:
        ledger.close()


def _user_add(args: argparse.Namespace) -> int:
    password, generated = _password(args)
    user = _on_users(
        args, lambda users: users.add(args.name, args.role, password, _shell_user(), args.reason)
    )
    print(f"user {user.name} added with role {user.role}")
    if generated:
        print(password)
    return 0


def _user_set_password(args: argparse.Namespace) -> int:
    password, generated = _password(args)
    _on_users(
        args, lambda users: users.set_password(args.name, password, _shell_user(), args.reason)
    )
    print(f"user {args.name}: new password set, their sessions ended")
    if generated:
        print(password)
    return 0


def _user_list(args: argparse.Namespace) -> int:
    ledger, users = _users(args)
    try:
        listed = users.all()
    finally:
        ledger.close()
    for user in listed:
        print(user.line())
    if not listed:
        print("no users")
    return 0


def _user_disable(args: argparse.Namespace) -> int:
    _on_users(args, lambda users: users.disable(args.name, _shell_user(), args.reason))
    print(f"user {args.name} disabled, their sessions ended")
    return 0


def _instant_ms(text: str, flag: str) -> int:
    """An ISO 8601 time with its offset as Unix ms; a clear error otherwise."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CliError(f"{flag} {text!r} is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise CliError(f"{flag} {text!r} needs its UTC offset, e.g. 2026-12-05T02:00+05:00")
    return int(moment.timestamp() * 1000)


def _command_issue(args: argparse.Namespace) -> int:
    from sync.ledger.commands import CommandRefused

    start = _instant_ms(args.start, "--start") if args.kind == "maintenance" else None
    end = _instant_ms(args.end, "--end") if getattr(args, "end", None) else None
    ledger = _open(args)
    try:
        issued = ledger.issue_command(
            args.terminal, args.kind, by=args.by, reason=args.reason, starts_at=start, ends_at=end
        )
    except CommandRefused as exc:
        raise CliError(str(exc)) from exc
    finally:
        ledger.close()
    print(json.dumps(issued.to_json(), indent=2))
    return 0


def _commands(args: argparse.Namespace) -> int:
    ledger = _open(args)
    try:
        found = ledger.commands(args.terminal)
    finally:
        ledger.close()
    if args.json:
        print(json.dumps([command.to_json() for command in found], indent=2))
    else:
        for command in found:
            print(command.line())
    return 0


def _catalog_upload(args: argparse.Namespace) -> int:
    try:
        body = args.file.read_bytes()
    except OSError as exc:
        raise CliError(f"catalog file {args.file} cannot be read: {exc.strerror or exc}") from exc
    ledger = _open(args)
    try:
        try:
            done = ledger.upload_catalog(body, args.by, str(args.file))
        except CatalogError as exc:
            raise CliError(str(exc)) from exc
        notified = []
        if not args.no_notify:
            reason = args.reason or f"catalog {done.version} uploaded"
            for state in ledger.terminal_states():
                if state.active:
                    ledger.issue_command(
                        state.terminal_id,
                        "catalog",
                        by=args.by,
                        reason=reason,
                        catalog_version=done.version,
                    )
                    notified.append(state.terminal_id)
    finally:
        ledger.close()
    print(
        json.dumps(
            {
                "version": done.version,
                "etag": done.etag,
                "new": done.new,
                "uploaded_by": done.uploaded_by,
                "terminals_notified": len(notified),
            },
            indent=2,
        )
    )
    return 0
