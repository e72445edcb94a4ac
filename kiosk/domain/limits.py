"""How much cash a session may still take: wallet limits, service maximum, offline caps.

Wallet limits (QPlus offer §4.3, WMK FAQ) are in MRP and cap the amount CREDITED; the
service maximum and the offline caps are in inserted terms. :func:`max_acceptable`
turns every cap into an inserted amount and reports the one that binds
(docs/decisions/003-commission-and-limits.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain.money import Money

if TYPE_CHECKING:
    from kiosk.domain.catalog import Service


class WalletStatus(StrEnum):
    MINIMAL = "minimal"  # unidentified
    BASIC = "basic"  # simplified identification
    PROFESSIONAL = "professional"  # full identification


class LimitProfileError(ValueError):
    """A limit profile name the kiosk does not know."""


@dataclass(frozen=True)
class WalletLimits:
    """Caps on the credited amount; None = no limit."""

    per_operation: Money | None
    balance: Money | None
    daily: Money | None


# (per operation, balance, per day) in MRP; None = no limit.
_MrpRow = tuple[int | None, int | None, int | None]
_LIMITS_IN_MRP: dict[str, dict[WalletStatus, _MrpRow]] = {
    "e_money": {
        WalletStatus.MINIMAL: (50, 100, 100),
        WalletStatus.BASIC: (100, 300, 300),
        WalletStatus.PROFESSIONAL: (None, None, None),
    },
    "wmk": {
        WalletStatus.MINIMAL: (50, 100, 100),
        WalletStatus.BASIC: (100, 300, 300),
        WalletStatus.PROFESSIONAL: (1000, None, 3000),
    },
    "none": {status: (None, None, None) for status in WalletStatus},
}
LIMIT_PROFILES: frozenset[str] = frozenset(_LIMITS_IN_MRP)


def wallet_limits(limit_profile: str, status: WalletStatus, mrp: Money) -> WalletLimits:
    """The limits of a wallet of this status under this profile, for the configured MRP."""
    table = _LIMITS_IN_MRP.get(limit_profile)
    if table is None:
        raise LimitProfileError(
            f"unknown limit profile {limit_profile!r}; known: {', '.join(sorted(LIMIT_PROFILES))}"
        )
    if mrp.tiyn <= 0:
        raise ValueError(f"MRP must be a positive amount, got {mrp}; check the kiosk configuration")
    per_operation, balance, daily = table[WalletStatus(status)]

    def in_money(multiple: int | None) -> Money | None:
        return None if multiple is None else Money(mrp.tiyn * multiple)

    return WalletLimits(in_money(per_operation), in_money(balance), in_money(daily))


class LimitReason(StrEnum):
    NONE = "none"  # nothing checked yet; max_acceptable always names a rule
    SERVICE_MAX = "service_max"
    OPERATION_LIMIT = "operation_limit"
    BALANCE_LIMIT = "balance_limit"
    DAILY_LIMIT = "daily_limit"
    WALLET_LIMIT = "wallet_limit"  # the ledger's room for this wallet, whichever limit binds
    OFFLINE_PAYMENT_CAP = "offline_payment_cap"
    OFFLINE_TOTAL_CAP = "offline_total_cap"


@dataclass(frozen=True)
class AccountHeadroom:
    """What an online account check told us (credited terms)."""

    status: WalletStatus | None  # None = unknown -> the strictest status (MINIMAL) is assumed
    balance_room: Money | None  # how much more the wallet may hold
    daily_room: Money | None  # how much more it may receive today
    # What a kiosk is told: the most the wallet may receive now, whichever of its limits
    # binds, never more than the per-operation limit (docs/decisions/016); None = unknown.
    room: Money | None = None


# Caps that come from this wallet's balance or turnover: the screen never shows them
# (docs/decisions/016-private-look-ups-and-limits.md).
PRIVATE_REASONS = frozenset(
    {LimitReason.BALANCE_LIMIT, LimitReason.DAILY_LIMIT, LimitReason.WALLET_LIMIT}
)


@dataclass(frozen=True)
class OfflineCaps:
    """Set only while the kiosk is offline (inserted terms)."""

    per_payment: Money | None  # max inserted per payment while offline
    total_room: Money | None  # what is left of the max total pending amount, this session excluded


@dataclass(frozen=True)
class Acceptable:
    """How much more cash a session may take, and why not more."""

    more: Money  # how much more cash (inserted terms) may still be taken, >= 0
    max_inserted: Money  # the cap on the session's total inserted amount
    reason: LimitReason  # which rule binds (why a note is returned)
    # The same from public rules only (service, status limits, offline caps): what the
    # screen says. Never below ``more``; a wallet's room would show through anything else.
    shown_more: Money
    shown_max: Money
    shown_reason: LimitReason

    @property
    def wallet_bound(self) -> bool:
        """A cap from the wallet's balance or turnover is tighter than what the screen says."""
        return self.reason in PRIVATE_REASONS and self.max_inserted < self.shown_max


def _non_negative(amount: Money) -> Money:
    return amount if amount.tiyn > 0 else Money(0)


def max_acceptable(
    service: Service,
    inserted: Money,
    *,
    mrp: Money,
    headroom: AccountHeadroom | None,
    offline: OfflineCaps | None,
) -> Acceptable:
    """The cap on the session's inserted total and how much more cash fits under it.

    Credited caps (per operation; balance and daily room, each no more than the status's
    limit; the ledger's combined room) become inserted caps through the service's
    commission profile. Ties go to the first reason in LimitReason order. ``shown_*`` is
    the same from public caps only: what a screen may say.
    """
    status = headroom.status if headroom is not None else None
    # An unknown status gets the strictest limits.
    limits = wallet_limits(service.limit_profile, status or WalletStatus.MINIMAL, mrp)
    balance_room = headroom.balance_room if headroom is not None else None
    daily_room = headroom.daily_room if headroom is not None else None
    room = headroom.room if headroom is not None else None
    # Public caps: what anyone can know from the service, the wallet's status and the
    # kiosk's own state. An unknown room is at most the whole limit (an empty wallet,
    # nothing paid today), so the status limits are public caps too.
    public_credit: list[tuple[LimitReason, Money | None]] = [
        (LimitReason.OPERATION_LIMIT, limits.per_operation),
        (LimitReason.BALANCE_LIMIT, limits.balance),
        (LimitReason.DAILY_LIMIT, limits.daily),
    ]
    private_credit: list[tuple[LimitReason, Money | None]] = [
        (LimitReason.BALANCE_LIMIT, balance_room),
        (LimitReason.DAILY_LIMIT, daily_room),
        (LimitReason.WALLET_LIMIT, room),
    ]
    public: list[tuple[LimitReason, Money]] = [(LimitReason.SERVICE_MAX, service.max_amount)]
    private: list[tuple[LimitReason, Money]] = []
    for target, caps in ((public, public_credit), (private, private_credit)):
        for reason, credit_cap in caps:
            if credit_cap is not None:
                inserted_cap = service.commission.max_inserted_for_credit(_non_negative(credit_cap))
                target.append((reason, inserted_cap))
    if offline is not None:
        if offline.per_payment is not None:
            public.append((LimitReason.OFFLINE_PAYMENT_CAP, offline.per_payment))
        if offline.total_room is not None:
            public.append((LimitReason.OFFLINE_TOTAL_CAP, offline.total_room))
    shown_reason, shown_cap = _smallest(public)
    reason, cap = _smallest(public + private)
    return Acceptable(
        more=_non_negative(cap - inserted),
        max_inserted=cap,
        reason=reason,
        shown_more=_non_negative(shown_cap - inserted),
        shown_max=shown_cap,
        shown_reason=shown_reason,
    )


def _smallest(candidates: list[tuple[LimitReason, Money]]) -> tuple[LimitReason, Money]:
    """The tightest cap (never negative); a tie keeps the reason listed first, and public
    caps are listed before private ones, so a room equal to a public cap stays unsaid."""
    ordered = sorted(
        range(len(candidates)), key=lambda i: (list(LimitReason).index(candidates[i][0]), i)
    )
    reason, cap = candidates[ordered[0]]
    for index in ordered[1:]:
        candidate_reason, candidate_cap = candidates[index]
        if candidate_cap < cap:  # strict: a tie keeps the earlier reason
            reason, cap = candidate_reason, candidate_cap
    return reason, _non_negative(cap)


def notes_that_fit(notes: Iterable[int], more: Money) -> frozenset[int]:
    """The note amounts (tiyn, as drivers report them) that do not exceed ``more``."""
    return frozenset(note for note in notes if 0 < note <= more.tiyn)
