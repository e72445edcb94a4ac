"""Back-office release of suspense: once per rejected payment, balanced, audited, refused
with a reason when it cannot be done."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select, update

import kiosk.cli as cli
from sync.ledger.models import SuspenseRelease, Wallet
from sync.ledger.service import Ledger
from sync.ledger.suspense import ReleaseRefused
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import TERMINAL, payment

UNKNOWN_PURSE = "K000000000001"  # not in the registry: a payment to it is rejected (code 5)
BASIC = "+77011111111"  # qplus basic, balance 100 000 ₸
BLOCKED = "+77012222222"


def reject_one(ledger: Ledger, seq: int = 1) -> str:
    [answer] = ledger.post_payments(TERMINAL, [payment(seq, service="wmk", account=UNKNOWN_PURSE)])
    assert answer.status == "rejected"
    return answer.operation_id


def wallet_balance(ledger: Ledger, account: str) -> int:
    with ledger.engine.connect() as connection:
        return int(
            connection.execute(
                select(Wallet.balance).where(Wallet.service == "qplus", Wallet.account == account)
            ).scalar_one()
        )


def test_refund_moves_the_money_out_of_suspense_once_and_keeps_who_and_why(ledger: Ledger) -> None:
    operation_id = reject_one(ledger)
    [held] = ledger.held_in_suspense()
    assert (held.operation_id, held.amount, held.code) == (operation_id, 100_000, 5)
    assert held.account != UNKNOWN_PURSE  # masked
    done = ledger.release_suspense(operation_id, "refund", "cashier-7", "cash given back")
    assert (done.to, done.amount, done.released_by) == ("refund", 100_000, "cashier-7")
    assert ledger.held_in_suspense() == []
    books = ledger.audit()
    assert books.balanced and books.suspense == 100_000 and books.released == 100_000
    with pytest.raises(ReleaseRefused, match="already released to refunds by cashier-7"):
        ledger.release_suspense(operation_id, "refund", "cashier-8", "again")
    assert ledger.audit().released == 100_000


def test_release_to_the_right_wallet_credits_it_under_the_wallet_rules(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    operation_id = reject_one(ledger)
    with pytest.raises(ReleaseRefused, match="blocked"):
        ledger.release_suspense(operation_id, f"qplus:{BLOCKED}", "op", "customer's number")
    assert ledger.audit().released == 0 and len(ledger.held_in_suspense()) == 1
    done = ledger.release_suspense(
        operation_id, "qplus:8 701 111 11 11", "op", "customer showed the receipt and their number"
    )
    assert done.to.startswith("qplus:") and BASIC not in done.to  # shown masked
    assert wallet_balance(ledger, BASIC) == 10_000_000 + 100_000
    books = ledger.audit()
    assert books.balanced and books.released == 100_000 and books.credited == 0


def test_credited_payment_or_unknown_target_is_refused_and_changes_nothing(ledger: Ledger) -> None:
    [credited] = ledger.post_payments(TERMINAL, [payment(1, service="qplus", account=BASIC)])
    with pytest.raises(ReleaseRefused, match="nothing of it is in suspense"):
        ledger.release_suspense(credited.operation_id, "refund", "op", "why")
    rejected = reject_one(ledger, 2)
    for target, message in [
        ("nosuch:1", "catalog service"),
        ("qplus:+7123", "not a valid"),
        ("refunds", "catalog service"),
    ]:
        with pytest.raises(ReleaseRefused, match=message):
            ledger.release_suspense(rejected, target, "op", "why")
    with pytest.raises(ReleaseRefused, match="--by"):
        ledger.release_suspense(rejected, "refund", " ", "why")
    with pytest.raises(ReleaseRefused, match="no payment"):
        ledger.release_suspense("no-such-id", "refund", "op", "why")
    books = ledger.audit()
    assert books.balanced and books.released == 0 and len(ledger.held_in_suspense()) == 1


def test_two_operators_releasing_the_same_payment_at_once_release_it_once(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    first, second = make_ledger(any_url), make_ledger(any_url)
    operation_id = reject_one(first)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def operator(ledger: Ledger, name: str) -> None:
        barrier.wait(30)
        try:
            ledger.release_suspense(operation_id, "refund", name, "customer came back")
            outcomes.append("released")
        except ReleaseRefused:
            outcomes.append("refused")

    threads = [
        threading.Thread(target=operator, args=(ledger, name))
        for ledger, name in ((first, "op-1"), (second, "op-2"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refused", "released"]
    books = first.audit()
    assert books.balanced and books.released == 100_000


def test_a_release_record_edited_by_hand_unbalances_the_audit(ledger: Ledger) -> None:
    operation_id = reject_one(ledger)
    ledger.release_suspense(operation_id, "refund", "op", "cash given back")
    with ledger.engine.begin() as connection:
        connection.execute(update(SuspenseRelease).values(amount=1))
    books = ledger.audit()
    assert not books.balanced and books.payments_off == [operation_id]


def test_cli_lists_and_releases_and_refuses_with_one_line(
    ledger: Ledger,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    operation_id = reject_one(ledger)
    assert cli.main(["ledger", "suspense", "list", "--db", sqlite_url]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["operation_id"] == operation_id and listed["amount"] == 100_000
    argv = [
        "ledger",
        "suspense",
        "release",
        operation_id,
        "--to",
        "refund",
        "--by",
        "op",
        "--reason",
        "cash given back",
        "--db",
        sqlite_url,
    ]
    assert cli.main(argv) == 0
    assert json.loads(capsys.readouterr().out)["to"] == "refund"
    assert cli.main(argv) == 1
    error = capsys.readouterr().err
    assert "already released" in error and error.count("\n") == 1
