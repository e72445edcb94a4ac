"""The wallet registry and the rules a payment must pass at the operator.

Result codes follow the OSMP convention terminals already speak (:class:`Code`). Limits are
DOMAIN.md's, in MRP of the configured value, and cap the amount CREDITED
(:func:`kiosk.domain.limits.wallet_limits`).

Unknown accounts (docs/decisions/006-ledger.md): a mobile subscriber is known when the number
is a valid Kazakh mobile number (numbers are portable; the operator has the last word and
this ledger stands in for it); a wallet is known when it is in the registry, except that
services in ``open_on_first_payment`` (by default the phone-number wallets, e.g. QPlus) open
a MINIMAL wallet on the first top-up, as phone-number wallet operators do. A WMK purse is
never opened by a payment: the owner creates it, so an unknown purse is "not found".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from kiosk.domain.accounts import AccountKind, validate_account
from kiosk.domain.catalog import Catalog, Category, Service
from kiosk.domain.limits import WalletLimits, WalletStatus, wallet_limits
from kiosk.domain.money import Money
from sync.ledger.models import Wallet

DEFAULT_MRP = Money(432_500)
# Kazakhstan keeps one time zone, UTC+5: a "day" of turnover is a local calendar day.
KZ_UTC_OFFSET_S = 5 * 3600


class Code(IntEnum):
    """OSMP-style result codes of an account check or a payment."""

    OK = 0
    BAD_FORMAT = 4
    NOT_FOUND = 5
    FORBIDDEN = 7
    INACTIVE = 79
    TOO_SMALL = 241
    TOO_LARGE = 242
    OTHER = 300
    RECEIPT_TAKEN = 301  # the terminal's receipt number is held by another operation


class WalletState(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"  # dormant: the operator takes no money until the owner revives it
    BLOCKED = "blocked"  # the operator forbids payments to it


class WalletFileError(ValueError):
    """A wallet registry file that cannot be loaded; the message names the entry and field."""


@dataclass(frozen=True, slots=True)
class WalletSeed:
    """One registry entry as read from a wallet file."""

    service: str
    account: str
    status: WalletStatus
    state: WalletState
    holder: str | None
    balance: int


@dataclass(frozen=True, slots=True)
class WalletRegistry:
    """What a wallet file says: the wallets and which services open wallets on first payment."""

    wallets: tuple[WalletSeed, ...]
    open_on_first_payment: frozenset[str] | None  # None: the default policy


@dataclass(frozen=True, slots=True)
class WalletPolicy:
    """How the ledger judges wallets: the MRP and the services that open wallets themselves."""

    mrp: Money
    open_on_first_payment: frozenset[str]


@dataclass(slots=True)
class WalletRow:
    """A wallet as the posting path sees it (mutable within one transaction)."""

    id: int
    status: WalletStatus
    state: WalletState
    holder: str | None
    balance: int
    turnover_day: str
    day_turnover: int

    def turnover_on(self, day: str) -> int:
        return self.day_turnover if self.turnover_day == day else 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one account or payment: a code and, when not OK, why."""

    code: Code
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.code is Code.OK


VERDICT_OK = Verdict(Code.OK)


@dataclass(frozen=True, slots=True)
class Headroom:
    """How much more a wallet may receive (credited tiyn); None = no limit."""

    per_operation: int | None
    balance_room: int | None
    daily_room: int | None

    def smallest(self) -> int | None:
        """The most one payment may credit now: what a kiosk is told (``max_credit``).
        Never above the per-operation limit, so a wallet's balance or turnover shows only
        where it binds, and never which of the two (docs/decisions/016)."""
        rooms = [
            room
            for room in (self.per_operation, self.balance_room, self.daily_room)
            if room is not None
        ]
        return min(rooms) if rooms else None


def default_open_services(catalog: Catalog) -> frozenset[str]:
    """Phone-number e-wallets open on first top-up; purses and mobile services do not."""
    return frozenset(
        service.id
        for service in catalog.services
        if service.category is Category.EWALLET
        and service.account_rule.kind is AccountKind.KZ_MOBILE
    )


def business_day(unix_seconds: float) -> str:
    """The Kazakhstan calendar day (UTC+5) a moment falls on, as YYYY-MM-DD."""
    return datetime.fromtimestamp(unix_seconds + KZ_UTC_OFFSET_S, UTC).date().isoformat()


def mask_holder(holder: str | None) -> str | None:
    """``Aigerim Seitkali`` → ``Aigerim S.``: enough for the customer to recognise the owner."""
    if not holder or not holder.strip():
        return None
    first, *others = holder.split()
    return " ".join([first, *(f"{word[0]}." for word in others)])


def normalise_account(service: Service, account: str) -> str | None:
    """The account in stored form, or None when it is not a valid account of the service."""
    checked = validate_account(service.account_rule, account)
    return checked.account if checked.ok else None


@functools.lru_cache(maxsize=64)
def _limits(limit_profile: str, status: WalletStatus, mrp: Money) -> WalletLimits:
    # A handful of (profile, status, MRP) triples; judged for every payment of a batch.
    return wallet_limits(limit_profile, status, mrp)


def headroom(service: Service, wallet: WalletRow | None, mrp: Money, day: str) -> Headroom:
    """The room left under the wallet's limits (a wallet not in the registry is MINIMAL, empty)."""
    status = wallet.status if wallet is not None else WalletStatus.MINIMAL
    limits = _limits(service.limit_profile, status, mrp)
    balance = wallet.balance if wallet is not None else 0
    turnover = wallet.turnover_on(day) if wallet is not None else 0

    def room(limit: Money | None, used: int) -> int | None:
        return None if limit is None else max(0, limit.tiyn - used)

    per_operation = None if limits.per_operation is None else limits.per_operation.tiyn
    return Headroom(per_operation, room(limits.balance, balance), room(limits.daily, turnover))


def wallet_verdict(
    service: Service, wallet: WalletRow | None, credited: int, mrp: Money, day: str, *, opens: bool
) -> Verdict:
    """Whether ``credited`` tiyn may go to this wallet now (state, then each limit)."""
    if wallet is None and not opens:
        return Verdict(Code.NOT_FOUND, f"no {service.id} wallet with this number")
    if wallet is not None and wallet.state is WalletState.BLOCKED:
        return Verdict(Code.FORBIDDEN, "the operator has blocked payments to this wallet")
    if wallet is not None and wallet.state is WalletState.INACTIVE:
        return Verdict(Code.INACTIVE, "the wallet is inactive")
    room = headroom(service, wallet, mrp, day)
    status = wallet.status if wallet is not None else WalletStatus.MINIMAL
    if room.per_operation is not None and credited > room.per_operation:
        return Verdict(
            Code.TOO_LARGE,
            f"{Money(credited)} is over the per-operation limit "
            f"{Money(room.per_operation)} of a {status} wallet",
        )
    if room.balance_room is not None and credited > room.balance_room:
        return Verdict(
            Code.TOO_LARGE,
            f"{Money(credited)} would take the wallet over the "
            f"balance limit of a {status} wallet (room "
            f"{Money(room.balance_room)})",
        )
    if room.daily_room is not None and credited > room.daily_room:
        return Verdict(
            Code.TOO_LARGE,
            f"{Money(credited)} is over today's limit of a {status} "
            f"wallet (room {Money(room.daily_room)})",
        )
    return VERDICT_OK


def load_wallet_file(path: Path) -> WalletRegistry:
    """Read a registry file: ``{"open_on_first_payment": [...]?, "wallets": [...]}``.

    Each wallet: ``service``, ``account``, ``status`` (minimal/basic/professional), and
    optionally ``state`` (active/inactive/blocked), ``holder``, ``balance`` (tiyn).
    """
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WalletFileError(f"wallet file {path} cannot be read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise WalletFileError(
            f"wallet file {path} is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("wallets"), list):
        raise WalletFileError(f"wallet file {path}: expected an object with a 'wallets' list")
    opens = data.get("open_on_first_payment")
    if opens is not None and (
        not isinstance(opens, list) or not all(isinstance(item, str) for item in opens)
    ):
        raise WalletFileError(
            f"wallet file {path}: 'open_on_first_payment' must be a list of service ids"
        )
    seeds = tuple(_seed(path, index, entry) for index, entry in enumerate(data["wallets"]))
    return WalletRegistry(seeds, None if opens is None else frozenset(opens))


def _seed(path: Path, index: int, entry: Any) -> WalletSeed:
    where = f"wallet file {path}, wallet #{index + 1}"
    if not isinstance(entry, Mapping):
        raise WalletFileError(f"{where}: expected an object")
    for key in ("service", "account", "status"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise WalletFileError(f"{where}, field {key!r}: missing or not a string")
    balance = entry.get("balance", 0)
    if not isinstance(balance, int) or isinstance(balance, bool) or balance < 0:
        raise WalletFileError(f"{where}, field 'balance': must be whole tiyn >= 0")
    holder = entry.get("holder")
    if holder is not None and not isinstance(holder, str):
        raise WalletFileError(f"{where}, field 'holder': must be a string")
    try:
        status = WalletStatus(entry["status"])
        state = WalletState(entry.get("state", WalletState.ACTIVE))
    except ValueError as exc:
        raise WalletFileError(f"{where}: {exc}") from exc
    return WalletSeed(entry["service"], entry["account"], status, state, holder, balance)


def seed_wallets(connection: Connection, catalog: Catalog, seeds: Iterable[WalletSeed]) -> int:
    """Add the registry's wallets; an existing wallet gets the file's status, state and holder
    but keeps its live balance. Returns how many wallets were added."""
    added = 0
    for seed in seeds:
        try:
            service = catalog.get(seed.service)
        except KeyError as exc:
            raise WalletFileError(f"wallet {seed.account!r}: {exc.args[0]}") from exc
        account = normalise_account(service, seed.account)
        if account is None:
            raise WalletFileError(f"wallet {seed.account!r} is not a valid {service.id} account")
        existing = connection.execute(
            select(Wallet.id).where(Wallet.service == service.id, Wallet.account == account)
        ).scalar_one_or_none()
        if existing is None:
            connection.execute(
                insert(Wallet).values(
                    service=service.id,
                    account=account,
                    status=seed.status,
                    state=seed.state,
                    holder=seed.holder,
                    balance=seed.balance,
                    turnover_day="",
                    day_turnover=0,
                )
            )
            added += 1
        else:
            connection.execute(
                update(Wallet)
                .where(Wallet.id == existing)
                .values(status=seed.status, state=seed.state, holder=seed.holder)
            )
    return added
