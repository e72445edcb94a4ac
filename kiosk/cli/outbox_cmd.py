"""``kiosk outbox list | retry``: what waits to be sent to the ledger, what it refused, and
sending refused items again.

Reads the kiosk's own store (``[storage] url`` of the configuration) while the kiosk may be
running: the store is WAL SQLite, and each command is one short transaction.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from sqlalchemy.engine.url import make_url

from kiosk.cli import CliError
from kiosk.config import ConfigError, load_config
from kiosk.domain.money import Money
from kiosk.domain.privacy import mask_account
from kiosk.store.db import Store, StoreError
from kiosk.store.records import OutboxEntry, Records

# How an item is named on screen and on the command line, by outbox kind.
_ID_PREFIX = {"payment": "", "encashment": "encashment:", "device_event": "event:"}
_ERROR_CHARS = 120


def register(subparsers: Any) -> None:
    """Add the ``outbox`` command and its ``list`` and ``retry`` actions."""
    parser = subparsers.add_parser(
        "outbox",
        help="what waits to be sent to the ledger; send refused items again",
        description="The kiosk's queue to the ledger: payments, encashments and device "
        "events not yet delivered, and those the ledger refused or holds other "
        "content for. Safe to run while the kiosk runs.",
    )
    actions = parser.add_subparsers(dest="outbox_command", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser(
        "list",
        help="show what waits and what was refused, and why",
        description="One line per item: state, kind, id, amount, account (masked), age, "
        "attempts and the last error. Exit 0.",
    )
    _config_argument(listing)
    listing.add_argument(
        "--json", action="store_true", help="print one JSON document instead of the table"
    )
    listing.set_defaults(handler=_list)
    retry = actions.add_parser(
        "retry",
        help="put refused items back in the queue",
        description="Put a refused item back in the queue so the kiosk sends it again (the "
        "ledger credits an operation id once, so this is safe). ID is as 'list' "
        "shows it: an operation id, encashment:N or event:N.",
    )
    _config_argument(retry)
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", metavar="ID", help="the refused item to send again")
    which.add_argument("--all", action="store_true", help="every refused item")
    retry.set_defaults(handler=_retry)


def _config_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        required=True,
        metavar="FILE",
        help="the kiosk's configuration file (its [storage] url is opened)",
    )


def _open_records(config_file: Path) -> Records:
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        raise CliError(exc.located if exc.key else str(exc)) from exc
    url = config.storage.url
    database = make_url(url).database
    if not database or not Path(database).is_file():
        # Opening would create an empty store: say there is none instead.
        raise CliError(f"no kiosk database at {database} (storage.url of {config_file})")
    try:
        return Records(Store(url))
    except StoreError as exc:
        raise CliError(f"cannot open the kiosk database {database}: {exc}") from exc


def item_id(entry: OutboxEntry) -> str:
    """The id ``list`` shows and ``retry`` takes."""
    return _ID_PREFIX.get(entry.kind, f"{entry.kind}:") + entry.ref


def _parse_id(text: str) -> tuple[str, str]:
    for kind, prefix in _ID_PREFIX.items():
        if prefix and text.startswith(prefix):
            return kind, text[len(prefix) :]
    return "payment", text


def _age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 3600:
        return f"{minutes}m"
    if seconds < 86400:
        return f"{hours}h{minutes % 60:02d}m"
    return f"{days}d{hours % 24:02d}h"


def _as_json(entry: OutboxEntry, now_ms: int) -> dict[str, Any]:
    return {
        "state": entry.state,
        "kind": entry.kind,
        "id": item_id(entry),
        "amount": entry.amount if entry.kind == "payment" else None,
        "account": None if entry.account is None else mask_account(entry.account),
        "age_s": max(0, (now_ms - entry.created_at) // 1000),
        "attempts": entry.attempts,
        "last_error": entry.last_error,
    }


def _list(args: argparse.Namespace) -> int:
    records = _open_records(args.config)
    try:
        entries = records.outbox_entries()
    except StoreError as exc:
        raise CliError(f"cannot read the outbox: {exc}") from exc
    finally:
        records.store.close()
    now_ms = int(time.time() * 1000)
    items = [_as_json(entry, now_ms) for entry in entries]
    waiting = [item for item in items if item["state"] == "waiting"]
    summary = {
        "waiting": len(waiting),
        "waiting_payments": sum(1 for item in waiting if item["kind"] == "payment"),
        "waiting_amount": sum(item["amount"] or 0 for item in waiting),
        "refused": sum(1 for item in items if item["state"] == "refused"),
        "conflict": sum(1 for item in items if item["state"] == "conflict"),
    }
    if args.json:
        print(json.dumps({"summary": summary, "items": items}, ensure_ascii=False))
        return 0
    print(
        f"waiting: {summary['waiting']} ({summary['waiting_payments']} payments, "
        f"{Money(summary['waiting_amount']).format('en')}); refused: {summary['refused']}; "
        f"conflict: {summary['conflict']}"
    )
    if not items:
        return 0
    print(
        f"{'STATE':<9}{'KIND':<13}{'ID':<38}{'AMOUNT':>14}  {'ACCOUNT':<18}{'AGE':>7}"
        f"{'TRIES':>6}  LAST ERROR"
    )
    for item in items:
        amount = "" if item["amount"] is None else Money(item["amount"]).format("en")
        error = " ".join((item["last_error"] or "").split())[:_ERROR_CHARS]
        print(
            f"{item['state']:<9}{item['kind']:<13}{item['id']:<38}{amount:>14}  "
            f"{item['account'] or '':<18}{_age(item['age_s']):>7}{item['attempts']:>6}  "
            f"{error}".rstrip()
        )
    return 0


def _retry(args: argparse.Namespace) -> int:
    records = _open_records(args.config)
    try:
        if args.all:
            requeued = records.requeue_refused()
            print(f"put back in the queue: {len(requeued)} refused item(s)")
            return 0
        kind, ref = _parse_id(args.id)
        requeued = records.requeue_refused(kind, ref)
        if not requeued:
            known = {item_id(entry): entry.state for entry in records.outbox_entries()}
            if args.id in known:
                raise CliError(
                    f"{args.id} is {known[args.id]}, not refused: only a refused "
                    "item can be sent again"
                )
            raise CliError(f"no refused item {args.id} in the outbox (see 'kiosk outbox list')")
        print(f"put back in the queue: {args.id}")
        return 0
    except StoreError as exc:
        raise CliError(f"cannot update the outbox: {exc}") from exc
    finally:
        records.store.close()
