"""Posting payments: credits, commission, suspense, duplicates and conflicts, on SQLite and
on PostgreSQL (the two write paths differ)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from sync.ledger.models import Wallet
from sync.ledger.service import Ledger
from tests.ledger.helpers import TERMINAL, WMK_PURSE, cash, payment

BASIC = "+77011111111"  # qplus basic, balance 100 000 ₸
MINIMAL_MRP = 432_500 * 50  # per-operation limit of a minimal wallet, tiyn


@pytest.fixture
def ledger(make_ledger: Callable[..., Ledger], any_url: str) -> Ledger:
    """A ledger with the test wallets, once on SQLite and once on PostgreSQL."""
    return make_ledger(any_url)


def wallet_balance(ledger: Ledger, service: str, account: str) -> int:
    with ledger.engine.connect() as connection:
        return int(
            connection.execute(
                select(Wallet.balance).where(Wallet.service == service, Wallet.account == account)
            ).scalar_one()
        )


def test_accepted_payment_credits_wallet_and_commission_and_books_balance(ledger: Ledger) -> None:
    [result] = ledger.post_payments(
        TERMINAL, [payment(1, service="qplus", account=BASIC, notes=[500_000, 500_000])]
    )
    assert (result.status, result.payment_status, result.code) == ("accepted", "completed", 0)
    assert wallet_balance(ledger, "qplus", BASIC) == 10_000_000 + 990_000  # 1 % from 5 000 ₸
    books = ledger.audit()
    assert books.balanced
    assert (books.cash_in, books.credited, books.commission, books.suspense) == (
        1_000_000,
        990_000,
        10_000,
        0,
    )
    assert books.debits == books.credits == 1_000_000


def test_repeated_post_answers_duplicate_and_credits_once(ledger: Ledger) -> None:
    first = ledger.post_payments(TERMINAL, [payment(1, service="qplus", account=BASIC)])
    again = ledger.post_payments(TERMINAL, [payment(1, service="qplus", account=BASIC)])
    assert first[0].status == "accepted"
    assert (again[0].status, again[0].first_status, again[0].payment_status) == (
        "duplicate",
        "accepted",
        "completed",
    )
    assert wallet_balance(ledger, "qplus", BASIC) == 10_000_000 + 98_000
    assert ledger.audit().payments == 1


def test_same_operation_id_with_other_content_is_a_conflict_and_changes_nothing(
    ledger: Ledger,
) -> None:
    ledger.post_payments(TERMINAL, [payment(1, service="qplus", account=BASIC)])
    [answer] = ledger.post_payments(
        TERMINAL, [payment(1, service="qplus", account=BASIC, notes=[200_000])]
    )
    assert answer.status == "conflict"
    assert answer.payment_status == "completed"  # the stored payment stands
    assert wallet_balance(ledger, "qplus", BASIC) == 10_000_000 + 98_000
    books = ledger.audit()
    assert books.balanced and books.cash_in == 100_000


def test_same_operation_twice_in_one_batch_is_stored_once(ledger: Ledger) -> None:
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="qplus", account=BASIC),
            payment(1, service="qplus", account=BASIC),
            payment(1, service="qplus", account=BASIC, notes=[50_000]),
        ],
    )
    assert [item.status for item in results] == ["accepted", "duplicate", "conflict"]
    assert wallet_balance(ledger, "qplus", BASIC) == 10_000_000 + 98_000


def test_duplicate_of_a_rejected_payment_is_rejected_again_without_moving_money(
    ledger: Ledger,
) -> None:
    ledger.post_payments(
        TERMINAL, [payment(1, service="wmk", account="K999999999999", notes=[100_000])]
    )
    [again] = ledger.post_payments(
        TERMINAL, [payment(1, service="wmk", account="K999999999999", notes=[100_000])]
    )
    assert (again.status, again.first_status, again.code) == ("duplicate", "rejected", 5)
    assert ledger.audit().suspense == 100_000


def test_over_the_per_operation_limit_goes_to_suspense_with_the_reason(ledger: Ledger) -> None:
    new_phone = "+77019999999"  # not in the registry: QPlus opens it as a minimal wallet
    results = ledger.post_payments(
        TERMINAL,
        [
            # 0.5 % from 50 000 ₸: 200 000 ₸ credits 199 000, 220 000 ₸ would credit 218 900.
            payment(1, service="qplus", account=new_phone, notes=cash(20_000_000)),
            payment(2, service="qplus", account=new_phone, notes=cash(22_000_000)),
        ],
    )
    assert results[0].status == "accepted"
    assert (results[1].status, results[1].code) == ("rejected", 242)
    assert "per-operation limit" in (results[1].reason or "")
    books = ledger.audit()
    assert books.balanced and books.suspense == 22_000_000
    assert wallet_balance(ledger, "qplus", new_phone) == 19_900_000 < MINIMAL_MRP


def test_payment_that_would_overfill_the_wallet_is_rejected_to_suspense(ledger: Ledger) -> None:
    # basic: 300 MRP balance limit = 1 297 500 ₸; the wallet holds 100 000 ₸.
    results = ledger.post_payments(
        TERMINAL,
        [payment(seq, service="qplus", account=BASIC, notes=cash(41_000_000)) for seq in (1, 2, 3)],
    )
    assert [item.status for item in results] == ["accepted", "accepted", "rejected"]
    assert "balance limit" in (results[2].reason or "")
    assert wallet_balance(ledger, "qplus", BASIC) == 10_000_000 + 2 * 40_795_000


def test_daily_limit_binds_within_a_day_and_resets_the_next(
    make_ledger: Callable[..., Ledger], tmp_path: Path, clock: ManualClock
) -> None:
    registry = tmp_path / "pro.json"
    registry.write_text(
        json.dumps(
            {"wallets": [{"service": "wmk", "account": WMK_PURSE, "status": "professional"}]}
        )
    )
    # WMK professional: 3 000 MRP a day; with an MRP of 1 000 ₸ that is 3 000 000 ₸.
    ledger = make_ledger(f"sqlite:///{tmp_path / 'daily.db'}", wallets=registry, mrp=Money(100_000))
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(seq, service="wmk", account=WMK_PURSE, notes=cash(50_000_000))
            for seq in range(1, 8)
        ],
    )
    assert [item.status for item in results] == ["accepted"] * 6 + ["rejected"]
    assert "today's limit" in (results[6].reason or "")
    clock.advance(24 * 3600)
    [tomorrow] = ledger.post_payments(
        TERMINAL, [payment(8, service="wmk", account=WMK_PURSE, notes=cash(50_000_000))]
    )
    assert tomorrow.status == "accepted"


def test_unknown_purse_blocked_and_inactive_wallets_are_rejected_with_their_codes(
    ledger: Ledger,
) -> None:
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="wmk", account="K000000000001"),
            payment(2, service="qplus", account="+77012222222"),
            payment(3, service="qplus", account="+77013333333"),
        ],
    )
    assert [(item.status, item.code) for item in results] == [
        ("rejected", 5),
        ("rejected", 7),
        ("rejected", 79),
    ]
    books = ledger.audit()
    assert books.balanced and books.suspense == 300_000 and books.credited == 0


def test_registry_file_decides_which_services_open_wallets_on_first_payment(
    make_ledger: Callable[..., Ledger], tmp_path: Path
) -> None:
    registry = tmp_path / "closed.json"
    registry.write_text(json.dumps({"open_on_first_payment": ["qplus"], "wallets": []}))
    ledger = make_ledger(f"sqlite:///{tmp_path / 'closed.db'}", wallets=registry)
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="qplus", account="+77015555555"),
            payment(2, service="kaspi", account="+77015555555"),
        ],
    )
    assert [(item.status, item.code) for item in results] == [("accepted", 0), ("rejected", 5)]


def test_any_valid_mobile_number_is_credited_but_a_bad_one_goes_to_suspense(ledger: Ledger) -> None:
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="beeline", account="+77011234567"),  # ported number: still credited
            payment(2, service="beeline", account="+7123"),
        ],
    )
    assert [(item.status, item.code) for item in results] == [("accepted", 0), ("rejected", 4)]
    assert ledger.audit().suspense == 100_000


def test_amounts_that_do_not_add_up_are_rejected_to_suspense(ledger: Ledger) -> None:
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="beeline", account="+77051234567", credited=90_000),
            payment(2, service="beeline", account="+77051234567", inserted=200_000),
            payment(3, service="beeline", account="+77051234567", currency="USD"),
            payment(4, service="nosuch", account="+77051234567"),
        ],
    )
    assert [(item.status, item.code) for item in results] == [("rejected", 300)] * 4
    books = ledger.audit()
    assert books.balanced and books.credited == 0
    assert books.suspense == 100_000 + 200_000 + 100_000 + 100_000


def test_amount_outside_the_service_range_is_rejected(ledger: Ledger) -> None:
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="kaspi", account="+77014444444", notes=[5_000]),
            payment(2, service="kaspi", account="+77014444444", notes=[50_000_001]),
        ],
    )
    assert [item.code for item in results] == [241, 242]
