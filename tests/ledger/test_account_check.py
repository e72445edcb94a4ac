"""The account check before cash: OSMP codes, what cash needs and no balance, masked holder
name; the receipt look-up needs the amount; both are rationed per terminal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kiosk.domain.clock import ManualClock
from sync.ledger.app import create_app
from sync.ledger.ration import ACCOUNT_CHECKS, RECEIPT_LOOKUPS
from sync.ledger.service import Ledger
from tests.ledger.helpers import (
    OTHER_TERMINAL,
    TERMINAL,
    WMK_PURSE,
    TerminalClient,
    payment_dict,
)


def check(
    client: TerminalClient, service: str, account: str, amount: int | None = None
) -> dict[str, Any]:
    response = client.post(
        "/v1/accounts/check", {"service": service, "account": account, "amount": amount}
    )
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


@pytest.mark.parametrize(
    ("service", "account", "amount", "code"),
    [
        ("qplus", "8 701 111 11 11", None, 0),  # typed with the trunk 8: normalised and found
        ("qplus", "+7 123", None, 4),
        ("wmk", "K000000000001", None, 5),
        ("qplus", "+77012222222", None, 7),
        ("qplus", "+77013333333", None, 79),
        ("kaspi", "+77014444444", 5_000, 241),
        ("kaspi", "+77014444444", 50_000_001, 242),
        ("nosuch", "+77014444444", None, 300),
        ("beeline", "+77051234567", 100_000, 0),
    ],
)
def test_account_check_answers_osmp_codes(
    client: TerminalClient, service: str, account: str, amount: int | None, code: int
) -> None:
    assert check(client, service, account, amount)["code"] == code


def test_account_check_gives_what_cash_needs_and_a_masked_holder(client: TerminalClient) -> None:
    answer = check(client, "qplus", "+77011111111")
    assert answer["account"] == "+77011111111"
    assert answer["holder"] == "Aigerim S."
    limits = answer["limits"]
    mrp = 432_500
    assert limits["status"] == "basic"
    assert limits["per_operation"] == 100 * mrp
    # 200 MRP of balance room and 300 MRP of daily room: the per-operation limit binds, so
    # nothing about the balance (100 000 tenge) or the day shows.
    assert limits["max_credit"] == 100 * mrp
    assert set(limits) == {"status", "per_operation", "max_credit", "max_inserted"}
    assert limits["max_inserted"] > limits["per_operation"]  # commission on top of the credit


def test_amount_over_the_wallet_limit_is_242_without_a_figure(client: TerminalClient) -> None:
    limits = check(client, "wmk", WMK_PURSE)["limits"]
    assert check(client, "wmk", WMK_PURSE, limits["max_inserted"])["code"] == 0
    over = check(client, "wmk", WMK_PURSE, limits["max_inserted"] + 1)
    assert over["code"] == 242
    assert not any(ch.isdigit() for ch in over["message"]), over["message"]


def test_new_phone_wallet_is_checked_as_an_empty_minimal_wallet(client: TerminalClient) -> None:
    answer = check(client, "qplus", "+77019999999")
    assert answer["code"] == 0 and answer["holder"] is None
    assert answer["limits"]["max_credit"] == 50 * 432_500  # the per-operation limit


@pytest.fixture
def nearly_full(
    make_ledger: Callable[..., Ledger], any_url: str, tmp_path: Path, clock: ManualClock
) -> Iterator[TerminalClient]:
    """A ledger (SQLite and PostgreSQL) with a basic Kaspi wallet 5 000 tenge under its
    balance limit of 300 MRP."""
    wallets = tmp_path / "full.json"
    wallets.write_text(
        json.dumps(
            {
                "wallets": [
                    {
                        "service": "kaspi",
                        "account": NEARLY_FULL,
                        "status": "basic",
                        "balance": 300 * 432_500 - 500_000,
                    }
                ]
            }
        ),
        "utf-8",
    )
    ledger = make_ledger(any_url, wallets=wallets)
    app = TestClient(create_app(ledger))
    terminal = TerminalClient("http://ledger", TERMINAL, ledger.add_terminal(TERMINAL), clock.now)
    terminal.http = app
    yield terminal
    app.close()


NEARLY_FULL = "+77015550000"


def test_a_binding_room_is_the_most_one_payment_may_credit_never_the_rooms(
    nearly_full: TerminalClient,
) -> None:
    limits = check(nearly_full, "kaspi", NEARLY_FULL)["limits"]
    assert limits["max_credit"] == 500_000
    assert "balance_room" not in limits and "daily_room" not in limits


def test_account_checks_are_rationed_per_terminal_with_retry_after(
    client: TerminalClient, secrets: dict[str, str], clock: ManualClock
) -> None:
    other_client = TerminalClient(
        "http://ledger", OTHER_TERMINAL, secrets[OTHER_TERMINAL], clock.now
    )
    other_client.http = client.http  # the same ledger process, so the same rations
    for _ in range(ACCOUNT_CHECKS.burst):
        check(client, "qplus", "+77011111111")
    refused = client.post("/v1/accounts/check", {"service": "qplus", "account": "+77011111111"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == ACCOUNT_CHECKS.every_s
    # Another terminal has its own ration; this one's comes back as time passes.
    assert check(other_client, "qplus", "+77011111111")["code"] == 0
    clock.advance(ACCOUNT_CHECKS.every_s)
    assert check(client, "qplus", "+77011111111")["code"] == 0
    assert (
        client.post(
            "/v1/accounts/check", {"service": "qplus", "account": "+77011111111"}
        ).status_code
        == 429
    )


def test_receipt_lookup_needs_the_amount_and_a_wrong_one_is_unknown(
    nearly_full: TerminalClient,
) -> None:
    nearly_full.post_payments([payment_dict(1, notes=[100_000, 50_000])])
    receipts = f"/v1/terminals/{TERMINAL}/receipts"
    assert nearly_full.get(f"{receipts}/1").status_code == 422  # a bare number: no answer
    right = nearly_full.get(f"{receipts}/1?amount=150000")
    assert right.status_code == 200 and right.json()["status"] == "completed"
    wrong = nearly_full.get(f"{receipts}/1?amount=100000")
    unknown = nearly_full.get(f"{receipts}/9?amount=150000")
    assert (wrong.status_code, unknown.status_code) == (404, 404)
    assert "payment" not in wrong.text
    for bad in ("0?amount=1", "1?amount=0", f"{10**20}?amount=1", "1?amount=-5"):
        assert nearly_full.get(f"{receipts}/{bad}").status_code == 422


def test_receipt_lookups_are_rationed(client: TerminalClient, clock: ManualClock) -> None:
    receipts = f"/v1/terminals/{TERMINAL}/receipts"
    answers = [
        client.get(f"{receipts}/{n}?amount=100000").status_code
        for n in range(1, RECEIPT_LOOKUPS.burst + 2)
    ]
    assert answers == [404] * RECEIPT_LOOKUPS.burst + [429]
    clock.advance(RECEIPT_LOOKUPS.every_s)
    assert client.get(f"{receipts}/1?amount=100000").status_code == 404
