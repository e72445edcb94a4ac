"""Hypothesis strategies and an independent reference for commission profiles."""

from __future__ import annotations

from fractions import Fraction
from math import floor

from hypothesis import strategies as st

from kiosk.domain.commission import CommissionProfile, Tier
from kiosk.domain.money import Money

MRP_2026 = Money.tenge(4_325)  # the monthly calculation index of 2026 (DOMAIN.md)

MAX_THRESHOLD = 50_000_000  # 500 000 ₸ in tiyn
amounts = st.integers(min_value=0, max_value=2 * MAX_THRESHOLD)
profile_ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
percents = st.one_of(st.integers(0, 1_000), st.integers(0, 10_000))  # mostly realistic


def reference_commission(tiers: tuple[Tier, ...], inserted: int) -> int:
    """The commission rule written out again with exact fractions (the test oracle)."""
    tier = [t for t in tiers if t.from_inserted.tiyn <= inserted][-1]
    percent_part = floor(Fraction(inserted * tier.percent_bp, 10_000) + Fraction(1, 2))
    commission = max(tier.minimum.tiyn, tier.fixed.tiyn + percent_part)
    return min(commission, inserted)


def reference_credited(tiers: tuple[Tier, ...], inserted: int) -> int:
    return inserted - reference_commission(tiers, inserted)


@st.composite
def tiers_from(draw: st.DrawFn, start: int) -> Tier:
    return Tier(
        from_inserted=Money(start),
        percent_bp=draw(percents),
        fixed=Money(draw(st.integers(0, 100_000))),
        minimum=Money(draw(st.integers(0, 200_000))),
    )


@st.composite
def valid_tiers(draw: st.DrawFn, max_tiers: int = 4) -> tuple[Tier, ...]:
    """Sorted tiers from 0 whose credited amount never falls at a threshold."""
    count = draw(st.integers(1, max_tiers))
    thresholds = sorted(
        draw(st.sets(st.integers(1, MAX_THRESHOLD), min_size=count - 1, max_size=count - 1))
    )
    tiers = [draw(tiers_from(0))]
    for threshold in thresholds:
        candidate = draw(tiers_from(threshold))
        credited_before = reference_credited(tuple(tiers), threshold - 1)
        if reference_credited((*tiers, candidate), threshold) < credited_before:
            # Repair: a pure percentage whose commission at the threshold fits the room left.
            allowed = threshold - credited_before  # >= 1
            top = min(10_000, ((allowed + 1) * 10_000 - 5_000 - 1) // threshold)
            candidate = Tier(Money(threshold), draw(st.integers(0, top)), Money(0), Money(0))
        tiers.append(candidate)
    return tuple(tiers)


@st.composite
def valid_profiles(draw: st.DrawFn, max_tiers: int = 4) -> CommissionProfile:
    return CommissionProfile(id=draw(profile_ids), tiers=draw(valid_tiers(max_tiers)))


def _replace(tier: Tier, **changes: object) -> Tier:
    fields = {
        "from_inserted": tier.from_inserted,
        "percent_bp": tier.percent_bp,
        "fixed": tier.fixed,
        "minimum": tier.minimum,
    }
    fields.update(changes)
    return Tier(**fields)  # type: ignore[arg-type]


@st.composite
def invalid_tier_lists(draw: st.DrawFn) -> tuple[Tier, ...]:
    """Valid tiers broken in one of the ways the rules forbid."""
    tiers = list(draw(valid_tiers()))
    breakage = draw(
        st.sampled_from(
            ["no_tiers", "not_from_zero", "unsorted", "percent", "negative", "credit_drop"]
        )
    )
    if breakage == "no_tiers":
        return ()
    if breakage == "not_from_zero":
        first_end = tiers[1].from_inserted.tiyn if len(tiers) > 1 else MAX_THRESHOLD
        start = draw(st.integers(1, max(1, first_end - 1)))
        tiers[0] = _replace(tiers[0], from_inserted=Money(start))
    elif breakage == "unsorted":
        if len(tiers) == 1:
            tiers.append(_replace(tiers[0]))  # the same threshold twice
        else:
            index = draw(st.integers(1, len(tiers) - 1))
            earlier = tiers[draw(st.integers(0, index - 1))].from_inserted
            tiers[index] = _replace(tiers[index], from_inserted=earlier)
    elif breakage == "percent":
        index = draw(st.integers(0, len(tiers) - 1))
        bad = draw(st.one_of(st.integers(10_001, 10**6), st.integers(-(10**6), -1)))
        tiers[index] = _replace(tiers[index], percent_bp=bad)
    elif breakage == "negative":
        index = draw(st.integers(0, len(tiers) - 1))
        name = draw(st.sampled_from(["fixed", "minimum", "from_inserted"]))
        tiers[index] = _replace(tiers[index], **{name: Money(-draw(st.integers(1, 10**6)))})
    else:
        threshold = tiers[-1].from_inserted.tiyn + draw(st.integers(1, MAX_THRESHOLD))
        credited_before = reference_credited(tuple(tiers), threshold - 1)
        if credited_before == 0:
            # Nothing to lose at this threshold (all taken as commission): break the percent.
            tiers[-1] = _replace(tiers[-1], percent_bp=10_001)
        else:
            allowed = threshold - credited_before
            fixed = allowed + draw(st.integers(1, 100_000))
            tiers.append(Tier(Money(threshold), 0, Money(fixed), Money(0)))
    return tuple(tiers)
