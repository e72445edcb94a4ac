from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import NBSP, Language, Money, parse_money


@pytest.mark.parametrize(
    ("tiyn", "language", "shown"),
    [
        (100000, "ru", f"1{NBSP}000{NBSP}₸"),
        (100050, "kk", f"1{NBSP}000,50{NBSP}₸"),
        (100050, "en", f"1,000.50{NBSP}₸"),
        (20000000, "ru", f"200{NBSP}000{NBSP}₸"),
        (5, "ru", f"0,05{NBSP}₸"),
        (-150, "en", f"-1.50{NBSP}₸"),
    ],
)
def test_amounts_are_shown_as_customers_read_them(
    tiyn: int, language: Language, shown: str
) -> None:
    assert Money(tiyn).format(language) == shown


def test_receipt_sign_replaces_the_tenge_sign() -> None:
    assert Money(100000).format("ru", sign="тг") == f"1{NBSP}000{NBSP}тг"


def test_floats_are_refused_everywhere() -> None:
    with pytest.raises(TypeError):
        Money(10.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money.tenge(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True)  # a bool is an int to the type checker, refused at run time


@pytest.mark.parametrize(
    ("text", "tiyn"),
    [
        ("1000", 100000),
        ("1 000,50", 100050),
        ("1000.5 ₸", 100050),
        ("1,000", 100000),
        ("1,000.25", 100025),
        ("0,05", 5),
        ("200 тг", 20000),
        ("1\u00a0000 KZT", 100000),
    ],
)
def test_typed_amounts_parse_to_tiyn(text: str, tiyn: int) -> None:
    assert parse_money(text) == Money(tiyn)


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1,2,3", "--5", "10 USD"])
def test_bad_amounts_name_the_input(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_money(text)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["ru", "kk", "en"]))
def test_formatting_round_trips_through_the_parser(tiyn: int, language: Language) -> None:
    shown = Money(tiyn).format(language)
    assert parse_money(shown) == Money(tiyn)
