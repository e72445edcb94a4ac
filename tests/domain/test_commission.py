"""Commission: the rounding rule, tiers, validation, and the properties money depends on."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.commission import (
    INSERTED_CEILING,
    CommissionError,
    CommissionProfile,
    Tier,
    percent_of,
)
from kiosk.domain.money import NBSP, Language, Money

from .strategies import (
    amounts,
    invalid_tier_lists,
    reference_commission,
    valid_profiles,
)

T = Money.tenge
WMK = CommissionProfile("wmk", (Tier(Money(0), 200, Money(0), T(50)),))
TIERED = CommissionProfile(
    "tiered",
    (
        Tier(Money(0), 200, Money(0), T(20)),
        Tier(T(5_000), 100, Money(0), Money(0)),
        Tier(T(50_000), 50, Money(0), Money(0)),
    ),
)
FAST = settings(max_examples=150, deadline=None)


def test_percent_part_rounds_half_up_to_the_whole_tiyn() -> None:
    assert percent_of(Money(50), 100) == Money(1)  # 0.50 tiyn -> 1
    assert percent_of(Money(49), 100) == Money(0)  # 0.49 tiyn -> 0
    assert percent_of(Money(33), 150) == Money(0)  # 0.495 tiyn -> 0
    assert percent_of(Money(34), 150) == Money(1)  # 0.51 tiyn -> 1


def test_minimum_commission_applies_to_a_small_wmk_payment() -> None:
    split = WMK.breakdown(T(500))
    assert (split.commission, split.credited) == (T(50), T(450))


def test_percentage_applies_above_the_minimum() -> None:
    split = WMK.breakdown(T(10_000))
    assert (split.commission, split.credited) == (T(200), T(9_800))


def test_fixed_and_percentage_add_up() -> None:
    profile = CommissionProfile("fixed_plus", (Tier(Money(0), 100, T(30), Money(0)),))
    assert profile.breakdown(T(1_000)).commission == T(40)


def test_commission_never_exceeds_the_amount_inserted() -> None:
    split = WMK.breakdown(T(30))
    assert (split.commission, split.credited) == (T(30), Money(0))


def test_tier_is_chosen_by_the_inserted_amount() -> None:
    assert TIERED.breakdown(Money(499_999)).commission == T(100)  # 2 % of 4 999,99
    assert TIERED.breakdown(T(5_000)).commission == T(50)  # 1 %
    assert TIERED.breakdown(T(50_000)).commission == T(250)  # 0.5 %


def test_zero_commission_credits_everything() -> None:
    free = CommissionProfile("free", (Tier(Money(0), 0, Money(0), Money(0)),))
    assert free.breakdown(T(2_000)).credited == T(2_000)


def test_negative_inserted_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        WMK.breakdown(Money(-1))


def test_zero_then_percentage_on_the_whole_amount_is_refused_naming_profile_and_tier() -> None:
    with pytest.raises(CommissionError, match=r"'jump', tier 2 .*credit"):
        CommissionProfile(
            "jump",
            (Tier(Money(0), 0, Money(0), Money(0)), Tier(T(5_000), 100, Money(0), Money(0))),
        )


def test_threshold_may_raise_commission_by_exactly_the_tiyn_added() -> None:
    # credited stays equal across the threshold: allowed.
    profile = CommissionProfile(
        "edge", (Tier(Money(0), 0, Money(0), Money(0)), Tier(Money(1_000), 0, Money(1), Money(0)))
    )
    assert profile.breakdown(Money(999)).credited == profile.breakdown(Money(1_000)).credited


@pytest.mark.parametrize(
    ("tiers", "fragment"),
    [
        ((), "no tiers"),
        ((Tier(Money(1), 0, Money(0), Money(0)),), "must start from 0"),
        ((Tier(Money(0), 10_001, Money(0), Money(0)),), "percent_bp"),
        ((Tier(Money(0), -1, Money(0), Money(0)),), "percent_bp"),
        ((Tier(Money(0), 0, Money(-1), Money(0)),), "fixed must be non-negative"),
        ((Tier(Money(0), 0, Money(0), Money(-5)),), "minimum must be non-negative"),
        (
            (Tier(Money(0), 0, Money(0), Money(0)), Tier(Money(0), 0, Money(0), Money(0))),
            "strictly increasing",
        ),
    ],
)
def test_malformed_profile_is_refused_with_a_reason(tiers: tuple[Tier, ...], fragment: str) -> None:
    with pytest.raises(CommissionError, match=fragment):
        CommissionProfile("broken", tiers)


def test_max_inserted_for_credit_finds_the_exact_boundary_with_a_minimum() -> None:
    assert WMK.max_inserted_for_credit(T(450)) == T(500)


def test_max_inserted_for_credit_of_a_free_profile_is_the_cap_itself() -> None:
    free = CommissionProfile("free", (Tier(Money(0), 0, Money(0), Money(0)),))
    assert free.max_inserted_for_credit(Money(12_345)) == Money(12_345)


def test_max_inserted_for_credit_stops_at_the_ceiling_when_nothing_is_ever_credited() -> None:
    everything = CommissionProfile("all", (Tier(Money(0), 10_000, Money(0), Money(0)),))
    assert everything.max_inserted_for_credit(Money(0)) == INSERTED_CEILING


def test_max_inserted_for_negative_credit_cap_is_refused() -> None:
    with pytest.raises(ValueError, match="negative credit cap"):
        WMK.max_inserted_for_credit(Money(-1))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", f"1,5{NBSP}%, мин. 50{NBSP}₸"),
        ("kk", f"1,5{NBSP}%, кемінде 50{NBSP}₸"),
        ("en", f"1.5{NBSP}%, min. 50{NBSP}₸"),
    ],
)
def test_describe_shows_percent_and_minimum(language: Language, expected: str) -> None:
    profile = CommissionProfile("p", (Tier(Money(0), 150, Money(0), T(50)),))
    assert profile.describe(language) == expected


def test_describe_zero_commission_is_zero_percent() -> None:
    free = CommissionProfile("free", (Tier(Money(0), 0, Money(0), Money(0)),))
    assert [free.describe(lang) for lang in ("kk", "ru", "en")] == [f"0{NBSP}%"] * 3


def test_describe_fixed_only_and_percent_plus_fixed() -> None:
    fixed = CommissionProfile("f", (Tier(Money(0), 0, T(100), Money(0)),))
    both = CommissionProfile("b", (Tier(Money(0), 125, T(100), Money(0)),))
    assert fixed.describe("ru") == f"100{NBSP}₸"
    assert both.describe("en") == f"1.25{NBSP}% + 100{NBSP}₸"


def test_describe_tiered_profile_names_each_threshold() -> None:
    assert TIERED.describe("ru") == (
        f"до 5{NBSP}000{NBSP}₸: 2{NBSP}%, мин. 20{NBSP}₸; от 5{NBSP}000{NBSP}₸: 1{NBSP}%; "
        f"от 50{NBSP}000{NBSP}₸: 0,5{NBSP}%"
    )
    assert TIERED.describe("kk").startswith(f"5{NBSP}000{NBSP}₸\u2011ге дейін: 2{NBSP}%")
    assert f"5{NBSP}000{NBSP}₸\u2011ден бастап: 1{NBSP}%" in TIERED.describe("kk")
    assert TIERED.describe("en").startswith(f"under 5,000{NBSP}₸: 2{NBSP}%")


# --- properties over random valid profiles -------------------------------------------------


@FAST
@given(valid_profiles(), amounts)
def test_inserted_always_splits_into_commission_plus_credited(
    profile: CommissionProfile, inserted: int
) -> None:
    split = profile.breakdown(Money(inserted))
    assert split.inserted == split.commission + split.credited
    assert split.credited.tiyn >= 0 and split.commission.tiyn >= 0


@FAST
@given(valid_profiles(), amounts)
def test_breakdown_matches_the_written_rule(profile: CommissionProfile, inserted: int) -> None:
    assert profile.breakdown(Money(inserted)).commission.tiyn == reference_commission(
        profile.tiers, inserted
    )


@FAST
@given(valid_profiles(), amounts, amounts)
def test_credited_never_falls_when_more_is_inserted(
    profile: CommissionProfile, first: int, second: int
) -> None:
    low, high = sorted((first, second))
    assert profile.credited(Money(low)) <= profile.credited(Money(high))


@FAST
@given(valid_profiles())
def test_credited_never_falls_across_any_threshold(profile: CommissionProfile) -> None:
    for tier in profile.tiers[1:]:
        at = tier.from_inserted
        assert profile.credited(at - Money(1)) <= profile.credited(at)


@FAST
@given(valid_profiles(), amounts)
def test_max_inserted_for_credit_is_the_exact_boundary(
    profile: CommissionProfile, cap: int
) -> None:
    credit_cap = Money(cap)
    found = profile.max_inserted_for_credit(credit_cap)
    assert profile.credited(found) <= credit_cap
    assert found == INSERTED_CEILING or profile.credited(found + Money(1)) > credit_cap


@FAST
@given(valid_profiles(), amounts)
def test_max_inserted_for_a_reached_credit_covers_that_payment(
    profile: CommissionProfile, inserted: int
) -> None:
    credited = profile.credited(Money(inserted))
    assert profile.max_inserted_for_credit(credited) >= Money(inserted)


@FAST
@given(invalid_tier_lists())
def test_every_broken_profile_is_refused(tiers: tuple[Tier, ...]) -> None:
    with pytest.raises(CommissionError, match="commission profile 'broken'"):
        CommissionProfile("broken", tiers)


small = st.integers(0, 300)


@st.composite
def small_sorted_tiers(draw: st.DrawFn) -> tuple[Tier, ...]:
    starts = sorted(draw(st.sets(st.integers(1, 300), max_size=3)))
    return tuple(
        Tier(Money(start), draw(st.integers(0, 10_000)), Money(draw(small)), Money(draw(small)))
        for start in [0, *starts]
    )


@settings(max_examples=300, deadline=None)
@given(small_sorted_tiers())
def test_validation_accepts_exactly_the_profiles_whose_credit_never_falls(
    tiers: tuple[Tier, ...],
) -> None:
    # Brute force over every amount up to past the last threshold: the oracle.
    last = tiers[-1].from_inserted.tiyn
    credited = [n - reference_commission(tiers, n) for n in range(last + 400)]
    monotone = all(a <= b for a, b in zip(credited, credited[1:], strict=False))
    try:
        CommissionProfile("oracle", tiers)
        accepted = True
    except CommissionError:
        accepted = False
    assert accepted == monotone
