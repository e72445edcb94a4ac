"""Account numbers: what the customer may type, what is refused and how it is explained."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.accounts import (
    AccountKind,
    AccountProblem,
    AccountRule,
    AccountRuleError,
    AccountValidation,
    AccountWarning,
    TypedPhone,
    format_account,
    is_kz_mobile_prefix,
    read_phone_keys,
    validate_account,
    warning_text,
)

ANY_MOBILE = AccountRule(AccountKind.KZ_MOBILE)
BEELINE = AccountRule(AccountKind.KZ_MOBILE, frozenset({"705", "771", "776", "777"}))
PURSE = AccountRule(AccountKind.WMK_PURSE)
KAZAKH_LETTERS = re.compile("[әіңғүұқөһӘІҢҒҮҰҚӨҺ]")
CYRILLIC = re.compile("[а-яА-ЯёЁ]")


@pytest.mark.parametrize(
    "typed",
    [
        "+7 701 123 45 67",
        "+77011234567",
        "87011234567",
        "7011234567",
        "77011234567",
        "8 (701) 123-45-67",
        "+7 (701) 123-45-67",
        "  +7-701-123-45-67  ",
        "8\u00a0701\u00a0123\u00a045\u00a067",
    ],
)
def test_every_usual_way_of_typing_a_phone_gives_one_number(typed: str) -> None:
    result = validate_account(ANY_MOBILE, typed)
    assert (result.ok, result.account, result.problem) == (True, "+77011234567", None)


@pytest.mark.parametrize("prefix", ["700", "705", "708", "747", "771", "775", "778"])
def test_kazakh_mobile_prefixes_are_accepted_including_tele2_747(prefix: str) -> None:
    assert validate_account(ANY_MOBILE, f"+7{prefix}1234567").ok


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", AccountProblem.EMPTY),
        ("   ", AccountProblem.EMPTY),
        ("( ) -", AccountProblem.EMPTY),
        ("701123456", AccountProblem.TOO_SHORT),
        ("+7701123456", AccountProblem.TOO_SHORT),
        ("8701123456", AccountProblem.TOO_SHORT),
        ("870112345678", AccountProblem.TOO_LONG),
        ("+770112345678", AccountProblem.TOO_LONG),
        ("17011234567", AccountProblem.TOO_LONG),
        ("+7 701 ABC 45 67", AccountProblem.BAD_CHARACTERS),
        ("7O11234567", AccountProblem.BAD_CHARACTERS),
        ("+7 701 123 45 67+", AccountProblem.BAD_CHARACTERS),
        ("+7 (916) 123-45-67", AccountProblem.NOT_KZ_MOBILE),
        ("+7 709 123 45 67", AccountProblem.NOT_KZ_MOBILE),
        ("+7 770 123 45 67", AccountProblem.NOT_KZ_MOBILE),
        ("+7 779 123 45 67", AccountProblem.NOT_KZ_MOBILE),
        ("+7 727 356 12 12", AccountProblem.NOT_KZ_MOBILE),
        ("+380 67 123 4567", AccountProblem.NOT_KZ_MOBILE),
    ],
)
def test_bad_phone_numbers_name_the_specific_problem(typed: str, problem: AccountProblem) -> None:
    result = validate_account(ANY_MOBILE, typed)
    assert (result.ok, result.account, result.problem) == (False, None, problem)


def test_number_with_another_operators_prefix_passes_with_a_warning() -> None:
    result = validate_account(BEELINE, "+7 701 123 45 67")
    assert result.ok and result.account == "+77011234567"
    assert result.warning is AccountWarning.OTHER_OPERATOR_PREFIX
    assert "другого оператора" in (result.message("ru") or "")


def test_number_with_the_operators_own_prefix_has_no_warning() -> None:
    result = validate_account(BEELINE, "8 777 123 45 67")
    assert result.ok and result.warning is None and result.message("ru") is None


@pytest.mark.parametrize(
    "typed",
    ["K123456789012", "k123456789012", "К123456789012", "к123456789012", " K 1234-5678-9012 "],
)
def test_wmk_purse_letter_forms_normalise_to_latin_k(typed: str) -> None:
    result = validate_account(PURSE, typed)
    assert (result.ok, result.account) == (True, "K123456789012")


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", AccountProblem.EMPTY),
        ("Z123456789012", AccountProblem.BAD_PURSE_LETTER),
        ("R123456789012", AccountProblem.BAD_PURSE_LETTER),
        ("123456789012", AccountProblem.BAD_PURSE_LETTER),
        ("K12345678901", AccountProblem.TOO_SHORT),
        ("K", AccountProblem.TOO_SHORT),
        ("K1234567890123", AccountProblem.TOO_LONG),
        ("K12345678901O", AccountProblem.BAD_CHARACTERS),
        ("#123456789012", AccountProblem.BAD_CHARACTERS),
    ],
)
def test_bad_purse_numbers_name_the_specific_problem(typed: str, problem: AccountProblem) -> None:
    result = validate_account(PURSE, typed)
    assert (result.ok, result.account, result.problem) == (False, None, problem)


def test_purse_too_short_message_speaks_of_the_purse_not_a_phone() -> None:
    result = validate_account(PURSE, "K1234")
    assert "12" in (result.message("ru") or "") and "+7" not in (result.message("ru") or "")
    assert "K әрпінен кейін 12 цифр" in (result.message("kk") or "")


def test_phone_too_short_message_says_how_many_digits() -> None:
    result = validate_account(ANY_MOBILE, "701 123")
    assert result.message("ru") == "В номере не хватает цифр: после +7 должно быть 10 цифр."
    assert result.message("en") == "The number is too short: it needs 10 digits after +7."


_EXAMPLES = {
    (AccountKind.KZ_MOBILE, AccountProblem.EMPTY): "",
    (AccountKind.KZ_MOBILE, AccountProblem.TOO_SHORT): "701",
    (AccountKind.KZ_MOBILE, AccountProblem.TOO_LONG): "+7701123456789",
    (AccountKind.KZ_MOBILE, AccountProblem.BAD_CHARACTERS): "70a",
    (AccountKind.KZ_MOBILE, AccountProblem.NOT_KZ_MOBILE): "+79161234567",
    (AccountKind.WMK_PURSE, AccountProblem.EMPTY): " ",
    (AccountKind.WMK_PURSE, AccountProblem.TOO_SHORT): "K1",
    (AccountKind.WMK_PURSE, AccountProblem.TOO_LONG): "K1234567890123",
    (AccountKind.WMK_PURSE, AccountProblem.BAD_CHARACTERS): "K12345678901x",
    (AccountKind.WMK_PURSE, AccountProblem.BAD_PURSE_LETTER): "Z123456789012",
}


@pytest.mark.parametrize(("kind", "problem"), sorted(_EXAMPLES))
def test_every_problem_has_a_real_message_in_each_language(
    kind: AccountKind, problem: AccountProblem
) -> None:
    result = validate_account(AccountRule(kind), _EXAMPLES[(kind, problem)])
    assert result.problem is problem
    kk, ru, en = (result.message(lang) for lang in ("kk", "ru", "en"))
    assert kk and ru and en and len({kk, ru, en}) == 3
    assert KAZAKH_LETTERS.search(kk), kk  # Kazakh, not Russian text under a kk label
    assert CYRILLIC.search(ru) and not KAZAKH_LETTERS.search(ru), ru
    assert not CYRILLIC.search(en), en


def test_validation_built_elsewhere_without_kind_still_has_a_message() -> None:
    result = AccountValidation(False, None, AccountProblem.TOO_LONG, None)
    assert result.message("ru") == "В номере лишние цифры."


def test_phone_number_is_displayed_in_groups() -> None:
    assert format_account("+77011234567") == "+7 701 123 45 67"
    assert format_account("K123456789012") == "K 1234 5678 9012"
    assert format_account("garbage") == "garbage"
    assert format_account("K12345678901") == "K12345678901"  # not a purse: as it is


def test_rule_refuses_a_prefix_that_is_not_kazakh_mobile() -> None:
    with pytest.raises(AccountRuleError, match="'916'"):
        AccountRule(AccountKind.KZ_MOBILE, frozenset({"916"}))


def test_rule_refuses_operator_prefixes_for_a_purse() -> None:
    with pytest.raises(AccountRuleError, match="kz_mobile"):
        AccountRule(AccountKind.WMK_PURSE, frozenset({"701"}))


def test_prefix_check_knows_the_ranges() -> None:
    assert [is_kz_mobile_prefix(p) for p in ("700", "708", "709", "747", "770", "778", "7")] == [
        True, True, False, True, False, True, False,
    ]  # fmt: skip


national_numbers = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from([f"70{d}" for d in range(9)] + ["747"] + [f"77{d}" for d in range(1, 9)]),
    st.from_regex(r"[0-9]{7}", fullmatch=True),
)
separators = st.sampled_from(["", " ", "-", "  ", " - ", "(", ")"])


@settings(max_examples=200, deadline=None)
@given(national_numbers, st.sampled_from(["+7", "8", "7", ""]), st.lists(separators, min_size=11))
def test_any_spacing_of_a_valid_number_normalises_to_plus_seven(
    national: str, lead: str, seps: list[str]
) -> None:
    digits = lead.lstrip("+") + national
    typed = ("+" if lead.startswith("+") else "") + "".join(
        sep + digit for sep, digit in zip(seps, digits, strict=False)
    )
    result = validate_account(ANY_MOBILE, typed)
    assert result.ok and result.account == "+7" + national
    assert validate_account(ANY_MOBILE, format_account(result.account)).account == result.account


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([ANY_MOBILE, BEELINE, PURSE]), st.text(max_size=30))
def test_any_text_gives_either_a_number_or_exactly_one_problem(
    rule: AccountRule, typed: str
) -> None:
    result = validate_account(rule, typed)
    assert result.ok == (result.account is not None) == (result.problem is None)
    if result.ok:
        assert result.account is not None
        assert re.fullmatch(r"\+7\d{10}|K\d{12}", result.account)
    else:
        assert result.message("kk") and result.message("ru") and result.message("en")


@pytest.mark.parametrize(
    ("keys", "national", "trunk"),
    [
        ("7711234567", "7711234567", ""),  # the ten digits after +7, digit for digit
        ("7011234567", "7011234567", ""),
        ("87011234567", "7011234567", "8"),  # the 11-digit national form with 8
        ("77011234567", "7011234567", "7"),  # ... and with 7
        ("77771234567", "7771234567", "7"),  # 7 777…: an eleventh digit decides it
        ("7777123456", "7777123456", ""),
        ("770", "70", "7"),  # no number starts 770: the first 7 is the +7
        ("77", "77", ""),  # 77x is a number of its own: read so until a digit says not
        ("8", "", "8"),
        ("123", "123", ""),  # no reading fits: kept as typed, the rules name the problem
        ("", "", ""),
    ],
)
def test_keypad_digits_are_read_as_the_ten_after_plus_seven(
    keys: str, national: str, trunk: str
) -> None:
    assert read_phone_keys(keys) == TypedPhone(national, trunk)


@pytest.mark.parametrize(
    "keys",
    [
        "77112345678",  # ten digits of 771…, then one more: 7 711… is no number
        "70112345678",
        "12345678901",
        "870112345678",  # 8 and eleven digits
        "777712345678",
    ],
)
def test_a_digit_past_the_end_of_the_number_has_no_reading(keys: str) -> None:
    assert read_phone_keys(keys) is None
    assert read_phone_keys(keys[:-1]) is not None  # the key before it was taken


def test_what_is_read_goes_to_the_rules_as_plus_seven_and_the_digits_shown() -> None:
    for keys, account in [
        ("7711234567", "+77711234567"),
        ("87011234567", "+77011234567"),
        ("77011234567", "+77011234567"),
    ]:
        phone = read_phone_keys(keys)
        assert phone is not None and phone.complete
        result = validate_account(ANY_MOBILE, phone.account_text)
        assert result.ok and result.account == account
    short = read_phone_keys("8701")
    assert short is not None and not short.complete
    assert validate_account(ANY_MOBILE, short.account_text).problem is AccountProblem.TOO_SHORT
    assert TypedPhone("").account_text == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", max_size=14))
def test_keys_pressed_one_by_one_lose_no_digit_and_invent_none(presses: str) -> None:
    """Whatever is pressed, each digit is taken or refused whole: the digits after +7 plus
    the one read as +7 are exactly the keys taken, in order, and never more than ten."""
    keys = ""
    for press in presses:
        phone = read_phone_keys(keys + press)
        if phone is None:
            continue  # refused: the keys so far stay as they are
        keys += press
        assert phone.keys == keys
        assert len(phone.national) <= 10
        assert phone.trunk in ("", "8", "7")
        assert phone.trunk == "" or phone.trunk == keys[0]
        assert phone.account_text == "+7" + phone.national


def test_a_mobile_number_that_can_be_typed_is_taken_whole_in_every_form() -> None:
    for prefix in ("700", "701", "705", "708", "747", "771", "777", "778"):
        national = prefix + "1234567"
        for keys in (national, "8" + national, "7" + national):
            phone = read_phone_keys(keys)
            assert phone is not None and phone.national == national, keys


def test_the_wrong_operator_warning_reads_in_each_language() -> None:
    result = validate_account(BEELINE, "+77011234567")
    assert result.ok and result.warning is AccountWarning.OTHER_OPERATOR_PREFIX
    for language in ("kk", "ru", "en"):
        assert warning_text(AccountWarning.OTHER_OPERATOR_PREFIX, language) == result.message(
            language
        )
