"""The ledger checks the money itself: a payment that fails a check goes to suspense with
a machine-readable fault; amounts are bounded and every total stays an exact integer."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

import kiosk.cli as cli
from sync.ledger.schema import MAX_TIYN, PaymentIn
from sync.ledger.service import Ledger
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import TERMINAL, TerminalClient, cash, payment, payment_dict

BASIC = "+77011111111"  # qplus (tiered commission), basic wallet
KASPI = "+77014444444"  # kaspi (free), professional wallet


@pytest.fixture
def ledger(any_url: str, make_ledger: Callable[..., Ledger]) -> Ledger:
    return make_ledger(any_url)


def faults(ledger: Ledger) -> dict[str, str | None]:
    return {held.operation_id: held.fault for held in ledger.held_in_suspense()}


def test_each_failed_check_books_the_cash_to_suspense_with_its_fault(ledger: Ledger) -> None:
    version = ledger.catalog.version
    sent = [
        payment(1, service="qplus", account=BASIC, commission=0),  # rule: 20 ₸
        payment(2, service="kaspi", account=KASPI, commission=100_000),  # free: 100 %
        payment(3, service="kaspi", account=KASPI, notes=[1, 99_999]),
        payment(4, service="kaspi", account=KASPI, inserted=200_000, credited=200_000),
        payment(5, service="kaspi", account=KASPI, notes=cash(50_200_000)),  # max 500 000 ₸
        payment(6, service="kaspi", account=KASPI, catalog_version="1999.01"),
        payment(7, service="qplus", account=BASIC, catalog_version=version),  # all right
        payment(8, service="qplus", account=BASIC, credited=1),
    ]
    results = ledger.post_payments(TERMINAL, sent)
    assert [item.status for item in results] == ["rejected"] * 6 + ["accepted", "rejected"]
    assert (results[4].code, results[0].code) == (242, 300)
    assert results[0].reason is not None and results[0].reason.startswith("commission_mismatch")
    assert faults(ledger) == {
        sent[0].operation_id: "commission_mismatch",
        sent[1].operation_id: "commission_mismatch",
        sent[2].operation_id: "not_a_banknote",
        sent[3].operation_id: "notes_sum_mismatch",
        sent[4].operation_id: "over_service_max",
        sent[5].operation_id: "unknown_catalog_version",
        sent[7].operation_id: "credited_mismatch",
    }  # the commission by the rule, credited 1
    books = ledger.audit()
    assert books.balanced and books.completed == 1 and books.credited == 98_000
    assert books.suspense == sum(item.inserted for item in sent) - 100_000


def test_a_wallet_refusal_names_its_fault_too(ledger: Ledger) -> None:
    [answer] = ledger.post_payments(TERMINAL, [payment(1, service="qplus", account="+77012222222")])
    assert answer.code == 7 and faults(ledger) == {answer.operation_id: "wallet_blocked"}


def test_without_a_catalog_version_the_hash_is_unchanged_and_a_resend_is_a_duplicate(
    ledger: Ledger,
) -> None:
    old = payment(1, service="kaspi", account=KASPI)
    fields = {key: value for key, value in old.model_dump().items() if key != "catalog_version"}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    import hashlib

    assert old.content_hash() == hashlib.sha256(canonical.encode()).hexdigest()
    named = payment(1, service="kaspi", account=KASPI, catalog_version=ledger.catalog.version)
    assert named.content_hash() != old.content_hash()
    assert ledger.post_payments(TERMINAL, [old])[0].status == "accepted"
    assert ledger.post_payments(TERMINAL, [old])[0].status == "duplicate"


def test_a_payment_is_checked_by_the_catalog_it_names_even_after_a_new_one_is_served(
    any_url: str, make_ledger: Callable[..., Ledger], tmp_path: Any
) -> None:
    first = make_ledger(any_url)
    old_version = first.catalog.version
    first.close()
    data = json.loads(first.catalog_file.body)
    data["version"] = "2026.02"
    data["commission_profiles"]["free"]["tiers"][0]["percent_bp"] = 100  # kaspi now 1 %
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), "utf-8")
    ledger = make_ledger(any_url, catalog_path=path)
    results = ledger.post_payments(
        TERMINAL,
        [
            payment(1, service="kaspi", account=KASPI, catalog_version=old_version),
            payment(2, service="kaspi", account=KASPI, catalog_version="2026.02", commission=1_000),
            payment(3, service="kaspi", account=KASPI),
        ],
    )  # no version: today's catalog (1 %)
    assert [item.status for item in results] == ["accepted", "accepted", "rejected"]
    assert faults(ledger) == {results[2].operation_id: "commission_mismatch"}


def test_amounts_are_bounded_below_int64(ledger: Ledger) -> None:
    PaymentIn.model_validate(payment_dict(1, notes=[MAX_TIYN]))
    for amount in (MAX_TIYN + 1, 2**63 - 1, 2**63):
        with pytest.raises(ValidationError):
            PaymentIn.model_validate(payment_dict(1, notes=[amount]))


def test_extremes_are_booked_exactly_and_the_audit_reports(
    ledger: Ledger, secrets: Any, client: TerminalClient, capsys: Any
) -> None:
    # The ceiling and many payments near it: all rejected (over the service maximum and
    # not banknotes), all in suspense, every total exact.
    sent = [
        payment_dict(seq, notes=[MAX_TIYN - seq], service="kaspi", account=KASPI)
        for seq in range(1, 201)
    ]
    answers = client.post_payments(sent[:100]) + client.post_payments(sent[100:])
    assert {item["status"] for item in answers} == {"rejected"}
    over = client.post(
        "/v1/payments",
        {"payments": [payment_dict(300, notes=[2**63 - 1], service="kaspi", account=KASPI)]},
    )
    assert over.status_code == 422
    books = ledger.audit()
    expected = sum(MAX_TIYN - seq for seq in range(1, 201))
    assert books.balanced and books.suspense == books.cash_in == expected
    assert isinstance(books.debits, int) and books.debits == expected
    url = str(ledger.engine.url.render_as_string(hide_password=False))
    ensure_ledger_command()
    assert cli.main(["ledger", "audit", "--db", url]) == 0
    assert json.loads(capsys.readouterr().out)["suspense"] == expected
