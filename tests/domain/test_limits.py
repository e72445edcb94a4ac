"""Wallet limits and how much cash a session may still take."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.catalog import Service
from kiosk.domain.commission import CommissionProfile, Tier
from kiosk.domain.limits import (
    AccountHeadroom,
    LimitProfileError,
    LimitReason,
    OfflineCaps,
    WalletLimits,
    WalletStatus,
    max_acceptable,
    notes_that_fit,
    wallet_limits,
)
from kiosk.domain.money import Money
from tests.domain.strategies import MRP_2026

from .strategies import valid_profiles

T = Money.tenge
MIN, BASIC, PRO = WalletStatus.MINIMAL, WalletStatus.BASIC, WalletStatus.PROFESSIONAL
ONE_PERCENT = CommissionProfile("one", (Tier(Money(0), 100, Money(0), Money(0)),))
WMK_LIKE = CommissionProfile("wmk", (Tier(Money(0), 200, Money(0), T(50)),))
BANKNOTES = [T(n).tiyn for n in (200, 500, 1_000, 2_000, 5_000, 10_000, 20_000)]
MakeService = Callable[..., Service]
NOTHING = Money(0)


@pytest.mark.parametrize(
    ("profile", "status", "expected"),
    [
        ("e_money", MIN, WalletLimits(T(216_250), T(432_500), T(432_500))),
        ("e_money", BASIC, WalletLimits(T(432_500), T(1_297_500), T(1_297_500))),
        ("e_money", PRO, WalletLimits(None, None, None)),
        ("wmk", MIN, WalletLimits(T(216_250), T(432_500), T(432_500))),
        ("wmk", BASIC, WalletLimits(T(432_500), T(1_297_500), T(1_297_500))),
        ("wmk", PRO, WalletLimits(T(4_325_000), None, T(12_975_000))),
        ("none", MIN, WalletLimits(None, None, None)),
        ("none", BASIC, WalletLimits(None, None, None)),
        ("none", PRO, WalletLimits(None, None, None)),
    ],
)
def test_wallet_limits_follow_the_status_table_in_mrp(
    profile: str, status: WalletStatus, expected: WalletLimits
) -> None:
    assert wallet_limits(profile, status, MRP_2026) == expected


def test_wallet_limits_use_the_configured_mrp_not_a_constant() -> None:
    assert wallet_limits("e_money", MIN, T(3_932)).per_operation == T(196_600)


def test_unknown_limit_profile_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(LimitProfileError, match="'bank'.*e_money, none, wmk"):
        wallet_limits("bank", MIN, MRP_2026)


def test_non_positive_mrp_is_refused() -> None:
    with pytest.raises(ValueError, match="MRP"):
        wallet_limits("e_money", MIN, Money(0))


def accept(
    service: Service,
    inserted: Money = NOTHING,
    headroom: AccountHeadroom | None = None,
    offline: OfflineCaps | None = None,
) -> tuple[Money, Money, LimitReason]:
    result = max_acceptable(service, inserted, mrp=MRP_2026, headroom=headroom, offline=offline)
    return result.more, result.max_inserted, result.reason


def test_service_maximum_binds_for_a_phone_top_up(make_service: MakeService) -> None:
    phone = make_service(limit_profile="none", max_amount=T(100_000))
    assert accept(phone) == (T(100_000), T(100_000), LimitReason.SERVICE_MAX)


def test_per_operation_limit_binds_for_an_unidentified_wallet(make_service: MakeService) -> None:
    assert accept(make_service()) == (T(216_250), T(216_250), LimitReason.OPERATION_LIMIT)


def test_commission_raises_the_cash_cap_above_the_credit_limit(make_service: MakeService) -> None:
    # 218 434,34 ₸ inserted at 1 % credits exactly 216 250 ₸; one tiyn more credits too much.
    more, cap, reason = accept(make_service(commission=ONE_PERCENT))
    assert (cap, reason) == (Money(21_843_434), LimitReason.OPERATION_LIMIT)
    assert ONE_PERCENT.credited(cap) == T(216_250)
    assert ONE_PERCENT.credited(cap + Money(1)) > T(216_250)


def test_balance_room_binds_when_the_wallet_is_nearly_full(make_service: MakeService) -> None:
    headroom = AccountHeadroom(BASIC, balance_room=T(10_000), daily_room=None)
    assert accept(make_service(), headroom=headroom) == (
        T(10_000),
        T(10_000),
        LimitReason.BALANCE_LIMIT,
    )


def test_daily_room_binds_after_payments_earlier_today(make_service: MakeService) -> None:
    headroom = AccountHeadroom(BASIC, balance_room=T(50_000), daily_room=T(20_000))
    assert accept(make_service(), headroom=headroom)[1:] == (T(20_000), LimitReason.DAILY_LIMIT)


def test_minimum_commission_is_added_on_top_of_a_small_room(make_service: MakeService) -> None:
    headroom = AccountHeadroom(BASIC, balance_room=None, daily_room=T(450))
    service = make_service(commission=WMK_LIKE, limit_profile="wmk")
    assert accept(service, headroom=headroom)[1:] == (T(500), LimitReason.DAILY_LIMIT)


def test_offline_payment_cap_binds_while_offline(make_service: MakeService) -> None:
    phone = make_service(limit_profile="none", max_amount=T(100_000))
    offline = OfflineCaps(per_payment=T(30_000), total_room=None)
    assert accept(phone, offline=offline)[1:] == (T(30_000), LimitReason.OFFLINE_PAYMENT_CAP)


def test_offline_total_cap_binds_when_little_pending_room_is_left(
    make_service: MakeService,
) -> None:
    phone = make_service(limit_profile="none", max_amount=T(100_000))
    offline = OfflineCaps(per_payment=T(30_000), total_room=T(7_000))
    assert accept(phone, offline=offline)[1:] == (T(7_000), LimitReason.OFFLINE_TOTAL_CAP)


def test_tie_is_reported_as_the_earlier_rule(make_service: MakeService) -> None:
    same_as_operation = make_service(max_amount=T(216_250))
    assert accept(same_as_operation)[2] is LimitReason.SERVICE_MAX
    headroom = AccountHeadroom(MIN, balance_room=T(216_250), daily_room=T(216_250))
    assert accept(make_service(), headroom=headroom)[2] is LimitReason.OPERATION_LIMIT


def test_unknown_status_is_treated_as_minimal(make_service: MakeService) -> None:
    unknown = AccountHeadroom(None, balance_room=None, daily_room=None)
    minimal = AccountHeadroom(MIN, balance_room=None, daily_room=None)
    professional = AccountHeadroom(PRO, balance_room=None, daily_room=None)
    service = make_service()
    assert accept(service, headroom=unknown) == accept(service, headroom=minimal)
    assert accept(service, headroom=professional)[2] is LimitReason.SERVICE_MAX


def test_more_is_what_is_left_under_the_cap(make_service: MakeService) -> None:
    assert accept(make_service(), inserted=T(200_000))[0] == T(16_250)


def test_more_is_zero_not_negative_when_already_over_the_cap(make_service: MakeService) -> None:
    headroom = AccountHeadroom(MIN, balance_room=T(1_000), daily_room=None)
    assert accept(make_service(), inserted=T(5_000), headroom=headroom)[:2] == (Money(0), T(1_000))


def test_negative_rooms_mean_no_more_cash_at_all(make_service: MakeService) -> None:
    headroom = AccountHeadroom(MIN, balance_room=T(-500), daily_room=None)
    assert accept(make_service(), headroom=headroom) == (
        Money(0),
        Money(0),
        LimitReason.BALANCE_LIMIT,
    )
    offline = OfflineCaps(per_payment=None, total_room=T(-1))
    assert accept(make_service(), offline=offline)[:2] == (Money(0), Money(0))


optional_money = st.one_of(st.none(), st.integers(-10_000, 60_000_000).map(Money))


@settings(max_examples=150, deadline=None)
@given(
    valid_profiles(max_tiers=3),
    st.sampled_from(["e_money", "wmk", "none"]),
    st.integers(0, 60_000_000).map(Money),
    st.one_of(
        st.none(),
        st.builds(
            AccountHeadroom, st.sampled_from([None, *WalletStatus]), optional_money, optional_money
        ),
    ),
    st.one_of(st.none(), st.builds(OfflineCaps, optional_money, optional_money)),
)
def test_cash_cap_respects_every_rule_and_more_is_never_negative(
    make_service: MakeService,
    profile: CommissionProfile,
    limit_profile: str,
    inserted: Money,
    headroom: AccountHeadroom | None,
    offline: OfflineCaps | None,
) -> None:
    service = make_service(commission=profile, limit_profile=limit_profile)
    result = max_acceptable(service, inserted, mrp=MRP_2026, headroom=headroom, offline=offline)
    assert result.more.tiyn >= 0
    assert result.more == max(Money(0), result.max_inserted - inserted)
    assert result.max_inserted <= service.max_amount
    status = headroom.status if headroom and headroom.status else MIN
    limits = wallet_limits(limit_profile, status, MRP_2026)
    rooms = [limits.per_operation, limits.balance, limits.daily]
    if headroom is not None:
        rooms += [headroom.balance_room, headroom.daily_room]
    for room in rooms:
        if room is not None:
            assert profile.credited(result.max_inserted) <= max(room, Money(0))
    if offline is not None:
        for cap in (offline.per_payment, offline.total_room):
            if cap is not None:
                assert result.max_inserted <= max(cap, Money(0))


def test_only_notes_that_fit_are_enabled() -> None:
    assert notes_that_fit(BANKNOTES, T(7_000)) == {
        T(n).tiyn for n in (200, 500, 1_000, 2_000, 5_000)
    }


def test_note_equal_to_what_is_left_fits() -> None:
    assert notes_that_fit(BANKNOTES, T(500)) == {T(200).tiyn, T(500).tiyn}


def test_no_note_fits_when_nothing_more_may_be_taken() -> None:
    assert notes_that_fit(BANKNOTES, Money(0)) == frozenset()


def test_a_room_below_the_operation_limit_binds_but_is_never_the_shown_figure(
    make_service: MakeService,
) -> None:
    service = make_service()
    near_full = AccountHeadroom(BASIC, balance_room=None, daily_room=None, room=T(5_000))
    result = max_acceptable(service, NOTHING, mrp=MRP_2026, headroom=near_full, offline=None)
    empty = max_acceptable(
        service, NOTHING, mrp=MRP_2026, headroom=AccountHeadroom(BASIC, None, None), offline=None
    )
    assert (result.max_inserted, result.reason) == (T(5_000), LimitReason.WALLET_LIMIT)
    assert result.wallet_bound and not empty.wallet_bound
    # What the screen may say is the same for a nearly full wallet and an empty one.
    assert (result.shown_more, result.shown_reason) == (empty.shown_more, empty.shown_reason)
    assert result.shown_reason is LimitReason.OPERATION_LIMIT


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([None, *WalletStatus]),
    st.integers(0, 60_000_000).map(Money),
    optional_money,
    optional_money,
    optional_money,
)
def test_the_shown_cap_never_depends_on_the_rooms_and_never_undercuts_the_true_one(
    make_service: MakeService,
    status: WalletStatus | None,
    inserted: Money,
    balance: Money | None,
    daily: Money | None,
    room: Money | None,
) -> None:
    service = make_service(commission=ONE_PERCENT)
    with_rooms = max_acceptable(
        service,
        inserted,
        mrp=MRP_2026,
        offline=None,
        headroom=AccountHeadroom(status, balance, daily, room),
    )
    without = max_acceptable(
        service, inserted, mrp=MRP_2026, offline=None, headroom=AccountHeadroom(status, None, None)
    )
    assert (with_rooms.shown_more, with_rooms.shown_max, with_rooms.shown_reason) == (
        without.shown_more,
        without.shown_max,
        without.shown_reason,
    )
    assert with_rooms.max_inserted <= with_rooms.shown_max
    assert with_rooms.more <= with_rooms.shown_more
    if room is not None:
        assert ONE_PERCENT.credited(with_rooms.max_inserted) <= max(room, Money(0))
