"""The offline policy: the stop rule and the caps on one offline session, at their edges."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.config import LimitsConfig
from kiosk.domain.limits import LimitReason, OfflineCaps
from kiosk.domain.money import Money
from kiosk.domain.offline import DEFAULT_OFFLINE, OfflinePolicy, OfflineStop, Waiting

POLICY = OfflinePolicy(max_payment=1_000, max_total=5_000, max_count=3, max_age_s=60)


def test_the_defaults_are_the_documented_ones() -> None:
    assert DEFAULT_OFFLINE == OfflinePolicy(5_000_000, 50_000_000, 200, 86_400)


def test_the_configuration_takes_its_defaults_from_the_policy() -> None:
    limits = LimitsConfig(mrp=432_500)
    assert limits.offline == DEFAULT_OFFLINE


@pytest.mark.parametrize(
    ("waiting", "stop"),
    [
        (Waiting(0, 0), None),
        (Waiting(2, 4_999, 60.0), None),  # every figure one short of its cap
        (Waiting(3, 0), OfflineStop.TOO_MANY),  # the count reached stops
        (Waiting(2, 5_000), OfflineStop.TOO_MUCH),  # the total reached stops
        (Waiting(2, 4_999, 60.001), OfflineStop.TOO_OLD),  # the age must pass the cap
        (Waiting(3, 5_000, 61.0), OfflineStop.TOO_MANY),  # the count is named first
        (Waiting(0, 5_000, 61.0), OfflineStop.TOO_MUCH),  # then the amount
    ],
)
def test_the_stop_rule_at_its_edges(waiting: Waiting, stop: OfflineStop | None) -> None:
    assert POLICY.stop(waiting) is stop


def test_zero_caps_stop_at_once() -> None:
    none_allowed = OfflinePolicy(max_payment=0, max_total=0, max_count=0, max_age_s=0)
    assert none_allowed.stop(Waiting(0, 0)) is OfflineStop.TOO_MANY
    assert OfflinePolicy(0, 0, 1, 0).stop(Waiting(0, 0)) is OfflineStop.TOO_MUCH


def test_the_caps_of_one_session() -> None:
    assert POLICY.caps(0) == OfflineCaps(Money(1_000), Money(5_000))
    assert POLICY.caps(4_500) == OfflineCaps(Money(1_000), Money(500))
    assert POLICY.caps(5_000) == OfflineCaps(Money(1_000), Money(0))
    assert POLICY.caps(9_000) == OfflineCaps(Money(1_000), Money(0))  # never negative


@pytest.mark.parametrize(
    ("inserted", "note", "waiting", "refusal"),
    [
        (0, 1_000, 0, None),  # exactly the per-payment cap fits
        (500, 500, 0, None),
        (500, 501, 0, LimitReason.OFFLINE_PAYMENT_CAP),  # one tiyn over
        (0, 500, 4_500, None),  # exactly the room left of the total fits
        (0, 501, 4_500, LimitReason.OFFLINE_TOTAL_CAP),
        (0, 1, 5_000, LimitReason.OFFLINE_TOTAL_CAP),  # nothing left of the total
        (0, 1_001, 4_000, LimitReason.OFFLINE_PAYMENT_CAP),  # a tie names the per-payment cap
    ],
)
def test_may_this_note_be_taken(
    inserted: int, note: int, waiting: int, refusal: LimitReason | None
) -> None:
    assert POLICY.note_refusal(inserted, note, waiting) is refusal


@given(inserted=st.integers(0, 6_000), note=st.integers(1, 6_000), waiting=st.integers(0, 6_000))
def test_a_note_fits_exactly_when_it_is_under_both_caps(
    inserted: int, note: int, waiting: int
) -> None:
    caps = POLICY.caps(waiting)
    assert caps.per_payment is not None and caps.total_room is not None
    fits = inserted + note <= min(caps.per_payment.tiyn, caps.total_room.tiyn)
    assert (POLICY.note_refusal(inserted, note, waiting) is None) == fits


def test_the_example_configuration_shows_the_policy_s_defaults() -> None:
    """The shipped example writes each default out: it must say what the policy does."""
    from kiosk.config import example_config_text

    limits = tomllib.loads(example_config_text())["limits"]
    assert (
        LimitsConfig(mrp=limits["mrp"], **{k: v for k, v in limits.items() if k != "mrp"}).offline
        == DEFAULT_OFFLINE
    )
