"""The service catalog: what the kiosk sells, from a JSON file the central side updates.

File shape (amounts are whole tiyn, integers)::

    {"version": "...",
     "commission_profiles": {"<id>": {"tiers": [{"from_tiyn", "percent_bp",
                                                 "fixed_tiyn", "minimum_tiyn"}, ...]}},
     "services": [{"id", "names": {"kk", "ru", "en"}, "category",
                   "account": {"kind", "operator_prefixes": [...]}, "input_mask",
                   "min_tiyn", "max_tiyn", "commission": "<profile id>", "limit_profile",
                   "operator": {"name": "<one name>" | {"kk", "ru", "en"},
                                "bin": "<12 digits>" | null, "phone",
                                "support_phone": "<technical support>" (optional)}}, ...]}

An operator's name is one string (shown in every language) or an object with its kk, ru
and en names (kiosk.domain.names); screens and receipts show the customer's language.

Unknown keys are ignored so that a newer central side can add fields; every known field
is checked and a :class:`CatalogError` names the service (or profile) and the field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from kiosk.domain.accounts import (
    NATIONAL_DIGITS,
    PURSE_DIGITS,
    AccountKind,
    AccountRule,
    AccountRuleError,
)
from kiosk.domain.commission import CommissionError, CommissionProfile, Tier
from kiosk.domain.limits import LIMIT_PROFILES
from kiosk.domain.money import LANGUAGES, Language, Money
from kiosk.domain.names import LocalName, LocalNameError, read_local_name

_SERVICE_ID = re.compile(r"[a-z0-9][a-z0-9_]*")


class CatalogError(ValueError):
    """A catalog that cannot be used; the message names the service and the field."""


class Category(StrEnum):
    EWALLET = "ewallet"
    MOBILE = "mobile"


@dataclass(frozen=True)
class Operator:
    """Who runs the wallet or network; printed on receipts."""

    name: str  # the one given name (the Russian one of a kk/ru/en object): logs, ledger
    bin: str | None  # None where the catalog does not know it (never guessed)
    phone: str  # operator contact phone, a required receipt field (never empty)
    # The operator's technical support line, where its own documents name one apart from
    # the operator's phone (WMK); printed and shown beside that phone, labelled.
    support_phone: str | None = None
    local_name: LocalName | None = None  # the name per language, when the catalog gives it

    def name_in(self, language: Language) -> str:
        """The operator's name as a customer reading ``language`` sees it."""
        return self.local_name.in_language(language) if self.local_name else self.name


@dataclass(frozen=True)
class Service:
    """One thing the customer can top up."""

    id: str
    names: Mapping[str, str] = field(hash=False)  # "kk", "ru", "en"
    category: Category
    account_rule: AccountRule
    input_mask: str  # "+7 XXX XXX XX XX", "K XXXX XXXX XXXX"
    min_amount: Money
    max_amount: Money
    commission: CommissionProfile
    limit_profile: str
    operator: Operator

    def name(self, language: Language) -> str:
        """The service name in a screen language."""
        return self.names[language]


@dataclass(frozen=True)
class Catalog:
    """A loaded, validated catalog."""

    version: str
    services: tuple[Service, ...]

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for service in self.services:
            if service.id in seen:
                raise CatalogError(f"catalog {self.version}: service {service.id!r} appears twice")
            seen.add(service.id)

    def get(self, service_id: str) -> Service:
        """The service with this id; KeyError naming the known ids otherwise."""
        for service in self.services:
            if service.id == service_id:
                return service
        known = ", ".join(service.id for service in self.services)
        raise KeyError(f"service {service_id!r} is not in catalog {self.version} (it has: {known})")

    def by_category(self, category: Category) -> tuple[Service, ...]:
        """The services of a category, in catalog order."""
        return tuple(service for service in self.services if service.category is category)


def parse_catalog_text(text: str, where: str) -> Catalog:
    """Validate a catalog file's text; ``where`` names the file in every error.

    The domain does no I/O: the kiosk reads its files in :mod:`kiosk.catalog_file`, the
    ledger in :mod:`sync.ledger.catalogs`, and both hand the text here."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogError(
            f"catalog file {where} is not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}"
        ) from error
    if not isinstance(data, Mapping):
        raise CatalogError(f"catalog file {where}: the top level must be a JSON object")
    return parse_catalog(data)


def parse_catalog(data: Mapping[str, Any]) -> Catalog:
    """Validate already-parsed catalog JSON and build the catalog."""
    top = _Fields("catalog", data)
    version = top.text("version")
    profiles_data = top.mapping("commission_profiles")
    profiles = {
        str(profile_id): _parse_profile(str(profile_id), profile_data)
        for profile_id, profile_data in profiles_data.items()
    }
    services_data = top.get("services", list)
    if not services_data:
        raise CatalogError("catalog, field 'services': the catalog has no services")
    services: list[Service] = []
    seen: set[str] = set()
    for index, service_data in enumerate(services_data):
        service = _parse_service(index, service_data, profiles)
        if service.id in seen:
            raise CatalogError(f"catalog service {service.id!r}, field 'id': appears twice")
        seen.add(service.id)
        services.append(service)
    return Catalog(version=version, services=tuple(services))


class _Fields:
    """Typed access to one JSON object; errors say where and which field."""

    def __init__(self, where: str, data: object) -> None:
        if not isinstance(data, Mapping):
            raise CatalogError(f"{where}: expected a JSON object, got {type(data).__name__}")
        self.where = where
        self.data: Mapping[str, Any] = data

    def fail(self, key: str, problem: str) -> CatalogError:
        return CatalogError(f"{self.where}, field {key!r}: {problem}")

    def get(self, key: str, kind: type, *, nullable: bool = False) -> Any:
        if key not in self.data:
            raise self.fail(key, "missing")
        value = self.data[key]
        if value is None and nullable:
            return None
        # bool is an int in Python; an amount of true is always a typing slip.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"expected {kind.__name__}, got {json.dumps(value)}")
        return value

    def text(self, key: str, *, nullable: bool = False) -> Any:
        value = self.get(key, str, nullable=nullable)
        if value is not None and not value.strip():
            raise self.fail(key, "must not be empty")
        return value

    def mapping(self, key: str) -> Mapping[str, Any]:
        value: Mapping[str, Any] = self.get(key, dict)
        return value

    def money(self, key: str) -> Money:
        value = self.get(key, int)
        if value < 0:
            raise self.fail(key, f"must not be negative, got {value}")
        return Money(value)


def _parse_profile(profile_id: str, data: object) -> CommissionProfile:
    fields = _Fields(f"catalog commission profile {profile_id!r}", data)
    tiers_data = fields.get("tiers", list)
    tiers: list[Tier] = []
    for number, tier_data in enumerate(tiers_data, start=1):
        tier = _Fields(f"catalog commission profile {profile_id!r}, tier {number}", tier_data)
        tiers.append(
            Tier(
                from_inserted=tier.money("from_tiyn"),
                percent_bp=tier.get("percent_bp", int),
                fixed=tier.money("fixed_tiyn"),
                minimum=tier.money("minimum_tiyn"),
            )
        )
    try:
        return CommissionProfile(id=profile_id, tiers=tuple(tiers))
    except CommissionError as error:
        raise CatalogError(f"catalog: {error}") from error


def _parse_service(index: int, data: object, profiles: Mapping[str, CommissionProfile]) -> Service:
    fields = _Fields(f"catalog service #{index + 1}", data)
    service_id = fields.text("id")
    if not _SERVICE_ID.fullmatch(service_id):
        raise fields.fail("id", f"{service_id!r} must be lower-case letters, digits and _")
    fields.where = f"catalog service {service_id!r}"

    names_data = fields.mapping("names")
    names = _Fields(f"{fields.where}, field 'names'", names_data)
    names_by_language: dict[str, str] = {language: names.text(language) for language in LANGUAGES}

    category_text = fields.text("category")
    try:
        category = Category(category_text)
    except ValueError:
        raise fields.fail(
            "category", f"{category_text!r} is not one of {', '.join(Category)}"
        ) from None

    account_rule = _parse_account_rule(
        _Fields(f"{fields.where}, field 'account'", fields.mapping("account"))
    )
    if category is Category.MOBILE and account_rule.kind is not AccountKind.KZ_MOBILE:
        raise fields.fail("account", f"a mobile service takes {AccountKind.KZ_MOBILE} accounts")

    input_mask = fields.text("input_mask")
    mask_problem = _mask_problem(account_rule.kind, input_mask)
    if mask_problem:
        raise fields.fail("input_mask", f"{input_mask!r} {mask_problem}")

    min_amount, max_amount = fields.money("min_tiyn"), fields.money("max_tiyn")
    if min_amount.tiyn <= 0:
        raise fields.fail("min_tiyn", "must be more than 0")
    if min_amount > max_amount:
        raise fields.fail("min_tiyn", f"{min_amount} is more than max_tiyn {max_amount}")

    profile_id = fields.text("commission")
    commission = profiles.get(profile_id)
    if commission is None:
        known = ", ".join(sorted(profiles)) or "none"
        raise fields.fail(
            "commission", f"unknown commission profile {profile_id!r} (known: {known})"
        )
    if not commission.credited(min_amount):
        raise fields.fail(
            "min_tiyn", f"the commission takes all of the minimum payment {min_amount}"
        )

    limit_profile = fields.text("limit_profile")
    if limit_profile not in LIMIT_PROFILES:
        raise fields.fail(
            "limit_profile",
            f"unknown limit profile {limit_profile!r} (known: {', '.join(sorted(LIMIT_PROFILES))})",
        )

    operator = _parse_operator(
        _Fields(f"{fields.where}, field 'operator'", fields.mapping("operator"))
    )
    return Service(
        id=service_id,
        names=MappingProxyType(names_by_language),
        category=category,
        account_rule=account_rule,
        input_mask=input_mask,
        min_amount=min_amount,
        max_amount=max_amount,
        commission=commission,
        limit_profile=limit_profile,
        operator=operator,
    )


def _parse_account_rule(fields: _Fields) -> AccountRule:
    kind_text = fields.text("kind")
    try:
        kind = AccountKind(kind_text)
    except ValueError:
        raise fields.fail("kind", f"{kind_text!r} is not one of {', '.join(AccountKind)}") from None
    prefixes = fields.get("operator_prefixes", list)
    for prefix in prefixes:
        if not isinstance(prefix, str):
            raise fields.fail("operator_prefixes", f"expected strings, got {json.dumps(prefix)}")
    try:
        return AccountRule(kind=kind, operator_prefixes=frozenset(prefixes))
    except AccountRuleError as error:
        raise fields.fail("operator_prefixes", str(error)) from error


def _mask_problem(kind: AccountKind, mask: str) -> str | None:
    """Why an input mask does not fit the account kind, or None when it does."""
    if kind is AccountKind.KZ_MOBILE:
        if not mask.startswith("+7"):
            return "must start with +7"
        body = mask[2:]
        if any(ch not in "X0123456789 -()" for ch in body):
            return "may hold only X, digits, spaces, '-', '(' and ')' after +7"
        positions = sum(ch == "X" or ch.isdigit() for ch in body)
        if positions != NATIONAL_DIGITS or "X" not in body:
            return f"must have {NATIONAL_DIGITS} digit places after +7, has {positions}"
        return None
    if not mask.startswith("K"):
        return "must start with K"
    body = mask[1:]
    if any(ch not in "X -" for ch in body):
        return "may hold only X, spaces and '-' after K"
    if body.count("X") != PURSE_DIGITS:
        return f"must have {PURSE_DIGITS} digit places X after K, has {body.count('X')}"
    return None


def _parse_operator(fields: _Fields) -> Operator:
    if "name" not in fields.data:
        raise fields.fail("name", "missing")
    try:
        local_name = read_local_name(fields.data["name"])
    except LocalNameError as error:
        raise fields.fail("name", str(error)) from None
    bin_ = fields.text("bin", nullable=True)
    if bin_ is not None and not bin_is_valid(bin_):
        raise fields.fail("bin", f"{bin_!r} is not a valid BIN (12 digits, control digit)")
    phone = fields.text("phone", nullable=True)
    if phone is None or not phone.strip():
        # The operator's phone is a required receipt field (DOMAIN.md): a service whose
        # receipt would lack it cannot be sold.
        raise fields.fail("phone", "required: the operator's phone is printed on every receipt")
    support = (
        fields.text("support_phone", nullable=True) if "support_phone" in fields.data else None
    )
    return Operator(
        name=local_name.given,
        bin=bin_,
        phone=phone.strip(),
        support_phone=support.strip() if support else None,
        local_name=local_name,
    )


def bin_is_valid(number: str) -> bool:
    """True for a 12-digit IIN/BIN whose control digit checks out (DOMAIN.md)."""
    if not re.fullmatch(r"\d{12}", number):
        return False
    digits = [int(ch) for ch in number]
    control = _weighted(range(1, 12), digits) % 11
    if control == 10:
        control = _weighted((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), digits) % 11
        if control == 10:
            return False
    return control == digits[11]


def _weighted(weights: Iterable[int], digits: list[int]) -> int:
    return sum(weight * digit for weight, digit in zip(weights, digits[:11], strict=True))
