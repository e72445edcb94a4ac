"""Fixtures for the domain tests: the shipped catalog, a small catalog document, services."""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.domain.accounts import AccountKind, AccountRule
from kiosk.domain.catalog import Catalog, Category, Operator, Service
from kiosk.domain.commission import CommissionProfile, Tier
from kiosk.domain.money import Money

SERVICE_MAX = Money.tenge(500_000)
SERVICE_MIN = Money.tenge(100)

FREE = CommissionProfile("free", (Tier(Money(0), 0, Money(0), Money(0)),))

_SMALL_CATALOG: dict[str, Any] = {
    "version": "test.1",
    "commission_profiles": {
        "free": {"tiers": [{"from_tiyn": 0, "percent_bp": 0, "fixed_tiyn": 0, "minimum_tiyn": 0}]},
        "two_percent": {
            "tiers": [{"from_tiyn": 0, "percent_bp": 200, "fixed_tiyn": 0, "minimum_tiyn": 5000}]
        },
    },
    "services": [
        {
            "id": "qplus",
            "names": {"kk": "QPlus әмияны", "ru": "Кошелёк QPlus", "en": "QPlus wallet"},
            "category": "ewallet",
            "account": {"kind": "kz_mobile", "operator_prefixes": []},
            "input_mask": "+7 (7XX) XXX-XX-XX",
            "min_tiyn": 10_000,
            "max_tiyn": 50_000_000,
            "commission": "two_percent",
            "limit_profile": "e_money",
            "operator": {
                "name": "QIWI Kazakhstan LLP",
                "bin": "060640010247",
                "phone": "+7 (727) 356-12-12",
            },
        },
        {
            "id": "beeline",
            "names": {
                "kk": "Beeline ұялы байланысы",
                "ru": "Мобильная связь Beeline",
                "en": "Beeline mobile",
            },
            "category": "mobile",
            "account": {"kind": "kz_mobile", "operator_prefixes": ["705", "771", "776", "777"]},
            "input_mask": "+7 (7XX) XXX-XX-XX",
            "min_tiyn": 5_000,
            "max_tiyn": 10_000_000,
            "commission": "free",
            "limit_profile": "none",
            "operator": {"name": "KaR-Tel LLP", "bin": None, "phone": "0611"},
        },
    ],
}


@pytest.fixture
def catalog_data() -> dict[str, Any]:
    """A small valid catalog document; each test may break its own copy."""
    return copy.deepcopy(_SMALL_CATALOG)


@pytest.fixture(scope="session")
def shipped_catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def make_service() -> Callable[..., Service]:
    """Build a Service with only the fields a limits test cares about."""

    def build(
        *,
        commission: CommissionProfile = FREE,
        limit_profile: str = "e_money",
        max_amount: Money = SERVICE_MAX,
        min_amount: Money = SERVICE_MIN,
    ) -> Service:
        return Service(
            id="wallet",
            names=MappingProxyType({"kk": "Әмиян", "ru": "Кошелёк", "en": "Wallet"}),
            category=Category.EWALLET,
            account_rule=AccountRule(AccountKind.KZ_MOBILE),
            input_mask="+7 (7XX) XXX-XX-XX",
            min_amount=min_amount,
            max_amount=max_amount,
            commission=commission,
            limit_profile=limit_profile,
            operator=Operator("Test Operator LLP", None, "+7 (727) 000-00-00"),
        )

    return build
