"""The service catalog: the shipped file, and broken files refused with a usable message."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.domain.accounts import AccountKind, validate_account
from kiosk.domain.catalog import (
    Catalog,
    CatalogError,
    Category,
    bin_is_valid,
    parse_catalog,
    parse_catalog_text,
)
from kiosk.domain.money import Money

KAZAKH_LETTERS = re.compile("[әіңғүұқөһ]")
EXPECTED_PREFIXES = {
    "beeline": {"705", "771", "776", "777"},
    "kcell": {"701", "702", "775", "778"},
    "activ": {"701", "702", "775", "778"},
    "tele2": {"707", "747"},
    "altel": {"700", "708"},
}


def test_shipped_catalog_offers_the_wallets_and_operators(shipped_catalog: Catalog) -> None:
    wallets = [s.id for s in shipped_catalog.by_category(Category.EWALLET)]
    phones = [s.id for s in shipped_catalog.by_category(Category.MOBILE)]
    assert wallets == ["qplus", "kaspi", "wmk"]
    assert phones == ["beeline", "kcell", "activ", "tele2", "altel"]


def test_shipped_qplus_carries_the_operator_details_for_the_receipt(
    shipped_catalog: Catalog,
) -> None:
    qplus = shipped_catalog.get("qplus")
    assert qplus.operator.name == "ТОО «QIWI Kazakhstan»"  # the Russian name is the given one
    assert qplus.operator.name_in("kk") == "«QIWI Kazakhstan» ЖШС"
    assert qplus.operator.name_in("en") == "QIWI Kazakhstan LLP"
    assert qplus.operator.bin == "060640010247"
    assert qplus.operator.phone == "+7 (727) 356-12-12"
    assert qplus.limit_profile == "e_money"


def test_shipped_mobile_services_know_their_operator_prefixes(shipped_catalog: Catalog) -> None:
    for service_id, prefixes in EXPECTED_PREFIXES.items():
        service = shipped_catalog.get(service_id)
        assert service.account_rule.operator_prefixes == prefixes, service_id
        assert service.limit_profile == "none"


def test_shipped_wmk_takes_purses_with_its_own_limits(shipped_catalog: Catalog) -> None:
    wmk = shipped_catalog.get("wmk")
    assert wmk.account_rule.kind is AccountKind.WMK_PURSE
    assert wmk.limit_profile == "wmk" and wmk.min_amount == Money.tenge(500)
    assert validate_account(wmk.account_rule, "к123456789012").account == "K123456789012"


def test_shipped_names_are_real_in_every_language(shipped_catalog: Catalog) -> None:
    for service in shipped_catalog.services:
        kk, ru, en = service.name("kk"), service.name("ru"), service.name("en")
        assert KAZAKH_LETTERS.search(kk), kk
        assert ru != kk and ru != en and re.search("[а-яё]", ru), ru


def test_shipped_catalog_has_a_tiered_profile_and_credits_the_minimum(
    shipped_catalog: Catalog,
) -> None:
    assert any(len(s.commission.tiers) > 1 for s in shipped_catalog.services)
    for service in shipped_catalog.services:
        assert service.commission.credited(service.min_amount) > Money(0), service.id


def test_shipped_bins_are_valid_or_unknown(shipped_catalog: Catalog) -> None:
    for service in shipped_catalog.services:
        assert service.operator.bin is None or bin_is_valid(service.operator.bin)


def test_catalog_from_a_path_matches_the_packaged_one(
    tmp_path: Path, shipped_catalog: Catalog
) -> None:
    packaged = Path(__file__).parents[2] / "kiosk" / "data" / "catalog.json"
    copy = tmp_path / "catalog.json"
    copy.write_text(packaged.read_text("utf-8"), "utf-8")
    assert load_catalog(copy) == shipped_catalog


def test_unknown_service_id_raises_key_error_listing_known_ones(shipped_catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="'payme'.*qplus, kaspi"):
        shipped_catalog.get("payme")


def test_small_catalog_parses(catalog_data: dict[str, Any]) -> None:
    catalog = parse_catalog(catalog_data)
    assert catalog.version == "test.1"
    assert catalog.get("qplus").commission.breakdown(Money.tenge(500)).credited == Money.tenge(450)


def _service(data: dict[str, Any], service_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in data["services"] if s["id"] == service_id)
    return found


def _refused(data: dict[str, Any]) -> str:
    with pytest.raises(CatalogError) as raised:
        parse_catalog(data)
    return str(raised.value)


def test_unknown_commission_profile_names_service_and_field(catalog_data: dict[str, Any]) -> None:
    _service(catalog_data, "qplus")["commission"] = "gold"
    message = _refused(catalog_data)
    assert "'qplus'" in message and "'commission'" in message and "'gold'" in message


def test_minimum_above_maximum_names_service_and_field(catalog_data: dict[str, Any]) -> None:
    _service(catalog_data, "beeline")["min_tiyn"] = 20_000_000
    message = _refused(catalog_data)
    assert "'beeline'" in message and "'min_tiyn'" in message and "max_tiyn" in message


@pytest.mark.parametrize(
    ("service_id", "mask"),
    [
        ("qplus", "+7 (7XX) XXX-XX"),
        ("qplus", "8 (7XX) XXX-XX-XX"),
        ("qplus", "+7 (7XX) XXX-XX-XY"),
        ("beeline", "K XXXXXXXXXXXX"),
    ],
)
def test_bad_input_mask_names_service_and_field(
    catalog_data: dict[str, Any], service_id: str, mask: str
) -> None:
    _service(catalog_data, service_id)["input_mask"] = mask
    message = _refused(catalog_data)
    assert f"'{service_id}'" in message and "'input_mask'" in message


def test_purse_mask_must_have_twelve_places(catalog_data: dict[str, Any]) -> None:
    qplus = _service(catalog_data, "qplus")
    qplus["account"] = {"kind": "wmk_purse", "operator_prefixes": []}
    qplus["input_mask"] = "K XXXXXXXXXXX"
    assert "'input_mask'" in _refused(catalog_data)
    qplus["input_mask"] = "K XXXXXXXXXXXX"
    assert parse_catalog(catalog_data).get("qplus").account_rule.kind is AccountKind.WMK_PURSE


@pytest.mark.parametrize("prefix", ["916", "77", "7051", "770"])
def test_bad_operator_prefix_names_service_and_field(
    catalog_data: dict[str, Any], prefix: str
) -> None:
    _service(catalog_data, "beeline")["account"]["operator_prefixes"].append(prefix)
    message = _refused(catalog_data)
    assert "'beeline'" in message and "'operator_prefixes'" in message and prefix in message


def test_invalid_bin_is_refused_but_unknown_bin_is_allowed(catalog_data: dict[str, Any]) -> None:
    _service(catalog_data, "qplus")["operator"]["bin"] = "060640010248"
    message = _refused(catalog_data)
    assert "'qplus'" in message and "'bin'" in message
    _service(catalog_data, "qplus")["operator"]["bin"] = None
    assert parse_catalog(catalog_data).get("qplus").operator.bin is None


def test_broken_commission_profile_names_profile_and_tier(catalog_data: dict[str, Any]) -> None:
    catalog_data["commission_profiles"]["two_percent"]["tiers"].append(
        {"from_tiyn": 500_000, "percent_bp": 500, "fixed_tiyn": 0, "minimum_tiyn": 0}
    )
    message = _refused(catalog_data)
    assert "'two_percent'" in message and "tier 2" in message


def test_commission_that_eats_the_minimum_payment_is_refused(
    catalog_data: dict[str, Any],
) -> None:
    _service(catalog_data, "qplus")["min_tiyn"] = 5_000  # 50 ₸, and the minimum fee is 50 ₸
    message = _refused(catalog_data)
    assert "'qplus'" in message and "'min_tiyn'" in message


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("max_tiyn", 1000.5, "expected int"),
        ("max_tiyn", True, "expected int"),
        ("min_tiyn", -1, "negative"),
        ("min_tiyn", 0, "more than 0"),
        ("category", "bank", "'bank'"),
        ("limit_profile", "gold", "unknown limit profile"),
        ("names", {"kk": "Әмиян", "ru": "Кошелёк"}, "'en'"),
        ("id", "Q Plus", "lower-case"),
    ],
)
def test_wrong_field_values_name_the_field(
    catalog_data: dict[str, Any], field: str, value: object, fragment: str
) -> None:
    _service(catalog_data, "qplus")[field] = value
    message = _refused(catalog_data)
    assert field in message and fragment in message


def test_missing_field_is_named(catalog_data: dict[str, Any]) -> None:
    del _service(catalog_data, "qplus")["operator"]
    assert _refused(catalog_data) == "catalog service 'qplus', field 'operator': missing"


def test_duplicate_service_id_is_refused(catalog_data: dict[str, Any]) -> None:
    _service(catalog_data, "beeline")["id"] = "qplus"
    assert "appears twice" in _refused(catalog_data)


def test_mobile_service_must_take_phone_numbers(catalog_data: dict[str, Any]) -> None:
    beeline = _service(catalog_data, "beeline")
    beeline["account"] = {"kind": "wmk_purse", "operator_prefixes": []}
    beeline["input_mask"] = "K XXXXXXXXXXXX"
    assert "'account'" in _refused(catalog_data)


def test_empty_catalog_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"] = []
    assert "no services" in _refused(catalog_data)


def test_file_that_is_not_json_is_refused_with_its_position(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.json"
    broken.write_text('{"version": "1",\n "services": [,]}', "utf-8")
    with pytest.raises(CatalogError, match=r"not valid JSON.*line 2"):
        load_catalog(broken)


def test_missing_file_is_refused_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="nowhere.json"):
        load_catalog(tmp_path / "nowhere.json")


def test_catalog_round_trips_through_a_file(tmp_path: Path, catalog_data: dict[str, Any]) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_data, ensure_ascii=False), "utf-8")
    assert load_catalog(path) == parse_catalog(catalog_data)


def test_catalog_text_is_parsed_without_a_file(catalog_data: dict[str, Any]) -> None:
    """The domain takes the text; the message names where it came from."""
    text = json.dumps(catalog_data, ensure_ascii=False)
    assert parse_catalog_text(text, "from the ledger") == parse_catalog(catalog_data)
    with pytest.raises(CatalogError, match="catalog file from the ledger: the top level"):
        parse_catalog_text("[]", "from the ledger")
    with pytest.raises(CatalogError, match="from the ledger is not valid JSON.*line 1"):
        parse_catalog_text("{", "from the ledger")


@pytest.mark.parametrize("phone", [None, "", "   "])
def test_a_service_whose_receipt_would_lack_the_operator_phone_is_refused(
    catalog_data: dict[str, Any], phone: str | None
) -> None:
    catalog_data["services"][0]["operator"]["phone"] = phone
    expected = "required: the operator's phone is printed" if phone is None else "must not be empty"
    with pytest.raises(CatalogError, match=f"field 'phone': {expected}"):
        parse_catalog(catalog_data)


def test_the_wmk_operator_is_the_one_the_wmk_faq_names() -> None:
    # DOMAIN.md, from the WMK FAQ: operator ТОО «Гермес Гарант Групп», phone +7 777 715 9510.
    operator = load_catalog().get("wmk").operator
    assert (operator.name, operator.phone) == ("ТОО «Гермес Гарант Групп»", "+7 777 715 9510")
    # … and its technical support line, as the FAQ writes it.
    assert operator.support_phone == "+7 777 715 95 11"
    assert operator.name_in("kk") == "«Гермес Гарант Групп» ЖШС"


def test_an_operator_name_is_one_string_or_kk_ru_and_en(catalog_data: dict[str, Any]) -> None:
    operator = catalog_data["services"][0]["operator"]
    operator["name"] = "Old Catalog LLP"  # an older file: one name for every language
    old = parse_catalog(catalog_data).services[0].operator
    assert [old.name_in(lang) for lang in ("kk", "ru", "en")] == ["Old Catalog LLP"] * 3
    assert old.support_phone is None  # optional: most operators name one phone
    operator["name"] = {"kk": "«Мысал» ЖШС", "ru": "ТОО «Пример»", "en": "Example LLP"}
    new = parse_catalog(catalog_data).services[0].operator
    assert (new.name_in("kk"), new.name_in("ru"), new.name_in("en")) == (
        "«Мысал» ЖШС",
        "ТОО «Пример»",
        "Example LLP",
    )


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ({"kk": "«Мысал» ЖШС", "ru": "ТОО «Пример»"}, "the en name is missing or empty"),
        ({"kk": "a", "ru": "b", "en": " "}, "the en name is missing or empty"),
        ({"kk": "a", "ru": "b", "en": "c", "de": "d"}, "unknown language 'de'"),
        (42, "expected a string or an object"),
        ("  ", "must not be empty"),
    ],
)
def test_a_half_given_operator_name_is_refused_naming_the_field(
    catalog_data: dict[str, Any], name: object, problem: str
) -> None:
    catalog_data["services"][0]["operator"]["name"] = name
    with pytest.raises(CatalogError, match=f"field 'name': {re.escape(problem)}"):
        parse_catalog(catalog_data)


def test_an_empty_operator_support_phone_is_refused(catalog_data: dict[str, Any]) -> None:
    catalog_data["services"][0]["operator"]["support_phone"] = ""
    with pytest.raises(CatalogError, match="field 'support_phone': must not be empty"):
        parse_catalog(catalog_data)
