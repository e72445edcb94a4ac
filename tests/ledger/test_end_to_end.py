"""A kiosk's day against a real ledger server on loopback, a lost answer, a lost race, and
secrets kept out of the logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from kiosk.domain.clock import ManualClock
from sync.ledger import posting
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.ledger.helpers import TERMINAL, TerminalClient, payment, payment_dict


@pytest.fixture
def served(ledger: Ledger, secrets: dict[str, str], clock: ManualClock) -> Iterator[TerminalClient]:
    """TERMINAL talking to the ledger over a real socket (uvicorn on a thread, port 0)."""
    with LedgerThread(ledger) as server:
        client = TerminalClient(server.url, TERMINAL, secrets[TERMINAL], clock.now)
        yield client
        client.close()


def test_kiosk_day_over_loopback_agrees_with_the_audit(
    served: TerminalClient, ledger: Ledger
) -> None:
    check = served.post(
        "/v1/accounts/check", {"service": "qplus", "account": "+77011111111", "amount": 500_000}
    ).json()
    assert check["code"] == 0 and check["holder"] == "Aigerim S."
    sent = [
        payment_dict(1, service="qplus", account="+77011111111", notes=[500_000]),
        payment_dict(2, service="beeline", account="+77051234567", notes=[200_000]),
        payment_dict(3, service="wmk", account="K000000000001", notes=[100_000]),
    ]
    first = served.post_payments(sent)
    # The answer was lost on the way back: the kiosk sends the same bytes again.
    again = served.post_payments(sent)
    assert [item["status"] for item in first] == ["accepted", "accepted", "rejected"]
    assert [item["status"] for item in again] == ["duplicate"] * 3
    assert served.get("/v1/reconciliation").json()["highest_local_seq"] == 3
    books = ledger.audit()
    assert books.balanced
    assert (books.cash_in, books.credited, books.commission, books.suspense) == (
        800_000,
        695_000,
        5_000,
        100_000,
    )  # qplus: 1 % from 5 000 ₸


def test_payment_stored_by_another_writer_between_read_and_insert_is_credited_once(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.post_payments(TERMINAL, [payment(1)])
    real_load = posting._load_stored
    reads: list[int] = []

    def stale_first_read(connection: object, operation_ids: object) -> object:
        reads.append(1)
        if len(reads) == 1:
            return {}  # as if our read ran just before the other writer committed
        return real_load(connection, operation_ids)  # type: ignore[arg-type]

    monkeypatch.setattr(posting, "_load_stored", stale_first_read)
    [answer] = ledger.post_payments(TERMINAL, [payment(1)])
    assert answer.status == "duplicate" and len(reads) == 2  # judged again after the race
    books = ledger.audit()
    assert books.balanced and books.credited == 100_000


def test_secrets_never_reach_the_logs(
    ledger: Ledger, served: TerminalClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = ledger.add_terminal("KZ-NEW-0003")
    served.secret = "f" * 64
    assert served.get("/v1/reconciliation").status_code == 401
    text = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert "request refused" in text
    assert secret not in text and "f" * 64 not in text
