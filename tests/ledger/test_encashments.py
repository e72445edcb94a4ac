"""Encashments: impossible reports are refused (422) with a reason; accepted ones are
reconciled with the notes of the terminal's payments since its previous encashment."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import kiosk.cli as cli
from kiosk.domain.clock import ManualClock
from sync.ledger.app import create_app
from sync.ledger.schema import MAX_TIYN
from sync.ledger.service import Ledger
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import TERMINAL, TerminalClient, payment_dict

GOOD = {
    "encashment_id": "E-1",
    "at": "2026-01-01T18:00:00.000+00:00",
    "cassette_id": "C-7",
    "technician_id": "tech-3",
    "notes": 2,
    "total": 700_000,
    "counts": {"200000": 1, "500000": 1},
}


@pytest.fixture
def ledger(any_url: str, make_ledger: Callable[..., Ledger]) -> Ledger:
    return make_ledger(any_url)


@pytest.fixture
def terminal(ledger: Ledger, clock: ManualClock) -> Iterator[TerminalClient]:
    secret = ledger.add_terminal(TERMINAL)
    http = TestClient(create_app(ledger))
    client = TerminalClient("http://ledger", TERMINAL, secret, clock.now)
    client.http = http
    yield client
    http.close()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"notes": 0, "total": 0, "counts": {}}, "empty_encashment"),
        ({"notes": 3}, "counts_mismatch"),
        ({"notes": 2, "total": 700_001, "counts": {"200000": 1, "500000": 1}}, "total_mismatch"),
        ({"notes": 1, "total": 1, "counts": {"1": 1}}, "not_a_banknote"),
        ({"notes": 1, "total": 10**17, "counts": {"200000": 1}}, "less_than_equal"),
        ({"notes": 1, "total": MAX_TIYN, "counts": {"200000": 1}}, "total_mismatch"),
    ],
)
def test_an_impossible_encashment_is_refused_with_its_reason(
    terminal: TerminalClient, ledger: Ledger, change: dict[str, Any], reason: str
) -> None:
    answer = terminal.post("/v1/encashments", {**GOOD, **change})
    assert answer.status_code == 422 and reason in answer.text
    assert ledger.audit().transfers == 0 and ledger.list_encashments() == []


def test_encashments_are_reconciled_with_the_payments_since_the_last_one(
    terminal: TerminalClient, ledger: Ledger, capsys: Any
) -> None:
    terminal.post_payments(
        [
            payment_dict(1, notes=[500_000, 200_000], created_at="2026-01-01T10:00:00.000+00:00"),
            payment_dict(2, notes=[200_000], created_at="2026-01-01T19:00:00.000+00:00"),
        ]
    )
    report = GOOD
    first = terminal.post("/v1/encashments", report).json()
    assert (first["status"], first["counted"], first["counted_difference"]) == (
        "accepted",
        700_000,
        0,
    )
    # The second collection: the payment of 19:00 only; one 2 000 ₸ note is missing.
    second = terminal.post(
        "/v1/encashments",
        {
            **report,
            "encashment_id": "E-2",
            "at": "2026-01-02T09:00:00.000+00:00",
            "technician_id": "tech-4",
            "notes": 1,
            "total": 500_000,
            "counts": {"500000": 1},
        },
    ).json()
    assert (second["counted"], second["counted_difference"]) == (200_000, 300_000)
    newest, oldest = ledger.list_encashments(TERMINAL)
    assert (newest.technician_id, newest.cassette_id, newest.difference) == (
        "tech-4",
        "C-7",
        300_000,
    )
    assert newest.counts_difference() == {"200000": -1, "500000": 1}
    assert oldest.difference == 0 and oldest.counts_difference() == {}
    assert ledger.audit().balanced
    ensure_ledger_command()
    url = ledger.engine.url.render_as_string(hide_password=False)
    assert cli.main(["ledger", "encashments", "--db", url, "--terminal", TERMINAL, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [
        (
            item["encashment_id"],
            item["expected"]["total"],
            item["reported"]["total"],
            item["difference"]["total"],
        )
        for item in listed
    ] == [("E-2", 200_000, 500_000, 300_000), ("E-1", 700_000, 700_000, 0)]
    assert cli.main(["ledger", "encashments", "--db", url]) == 0
    assert "difference 3,000" in capsys.readouterr().out


def test_an_encashment_stored_before_revision_0006_is_listed_unreconciled(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    from sync.ledger.db import create_ledger_engine, migrate

    engine = create_ledger_engine(any_url)
    try:
        migrate(engine, "0004")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO encashments (terminal_id, encashment_id, at, cassette_id, "
                "technician_id, notes, total, counts, expected, content_hash, received_at) "
                "VALUES ('KZ-OLD-0001', 'E-0', '2025-12-31T10:00:00.000+00:00', 'C-1', 't-1', "
                "1, 200000, '{\"200000\": 1}', 200000, 'h', 1)"
            )
    finally:
        engine.dispose()
    [old] = make_ledger(any_url).list_encashments()
    assert (old.encashment_id, old.reported_total, old.expected_total, old.difference) == (
        "E-0",
        200_000,
        None,
        None,
    )
    assert old.to_json()["difference"] is None
