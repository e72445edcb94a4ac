"""The account check before cash: OSMP codes, limits headroom, masked holder name."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ledger.helpers import WMK_PURSE, TerminalClient


def check(client: TerminalClient, service: str, account: str,
          amount: int | None = None) -> dict[str, Any]:
    response = client.post("/v1/accounts/check",
                           {"service": service, "account": account, "amount": amount})
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize(("service", "account", "amount", "code"), [
    ("qplus", "8 701 111 11 11", None, 0),  # typed with the trunk 8: normalised and found
    ("qplus", "+7 123", None, 4),
    ("wmk", "K000000000001", None, 5),
    ("qplus", "+77012222222", None, 7),
    ("qplus", "+77013333333", None, 79),
    ("kaspi", "+77014444444", 5_000, 241),
    ("kaspi", "+77014444444", 50_000_001, 242),
    ("nosuch", "+77014444444", None, 300),
    ("beeline", "+77051234567", 100_000, 0),
])
def test_account_check_answers_osmp_codes(client: TerminalClient, service: str, account: str,
                                          amount: int | None, code: int) -> None:
    assert check(client, service, account, amount)["code"] == code


def test_account_check_gives_headroom_and_a_masked_holder(client: TerminalClient) -> None:
    answer = check(client, "qplus", "+77011111111")
    assert answer["account"] == "+77011111111"
    assert answer["holder"] == "Aigerim S."
    limits = answer["limits"]
    mrp = 432_500
    assert limits["status"] == "basic"
    assert limits["per_operation"] == 100 * mrp
    assert limits["balance_room"] == 300 * mrp - 10_000_000
    assert limits["daily_room"] == 300 * mrp
    assert limits["max_inserted"] > limits["per_operation"]  # commission on top of the credit


def test_amount_over_the_wallet_limit_is_242(client: TerminalClient) -> None:
    limits = check(client, "wmk", WMK_PURSE)["limits"]
    assert check(client, "wmk", WMK_PURSE, limits["max_inserted"])["code"] == 0
    over = check(client, "wmk", WMK_PURSE, limits["max_inserted"] + 1)
    assert over["code"] == 242 and "operation_limit" in over["message"]


def test_new_phone_wallet_is_checked_as_an_empty_minimal_wallet(client: TerminalClient) -> None:
    answer = check(client, "qplus", "+77019999999")
    assert answer["code"] == 0 and answer["holder"] is None
    assert answer["limits"]["balance_room"] == 100 * 432_500
