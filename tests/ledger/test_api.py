"""The HTTP API: terminal signatures, own-payments-only, endpoints and their answers."""

from __future__ import annotations

import json

from kiosk.domain.clock import ManualClock
from sync.auth import new_request_id, sign
from sync.ledger.service import Ledger
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, TerminalClient, payment_dict


def test_signed_batch_is_accepted_and_answered_per_item(client: TerminalClient) -> None:
    results = client.post_payments(
        [payment_dict(1), payment_dict(2, service="wmk", account="K000000000009")]
    )
    assert [(item["status"], item["code"]) for item in results] == [
        ("accepted", 0),
        ("rejected", 5),
    ]


def test_bad_signature_is_refused_with_401(client: TerminalClient) -> None:
    client.secret = "0" * 64
    response = client.post("/v1/payments", {"payments": [payment_dict(1)]})
    assert response.status_code == 401
    assert "bad signature" in response.json()["detail"]


def test_body_changed_after_signing_is_refused(
    client: TerminalClient, clock: ManualClock, secrets: dict[str, str]
) -> None:
    signed_body = json.dumps({"payments": [payment_dict(1)]}).encode()
    timestamp, request_id = int(clock.now()), new_request_id()
    signature = sign(
        secrets[TERMINAL], "POST", "/v1/payments", timestamp, signed_body, request_id=request_id
    )
    tampered = signed_body.replace(b"100000", b"900000")
    response = client.http.post(
        "/v1/payments",
        content=tampered,
        headers={
            "X-Terminal-Id": TERMINAL,
            "X-Timestamp": str(timestamp),
            "X-Request-Id": request_id,
            "X-Signature": signature,
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 401


def test_clock_skew_over_five_minutes_is_refused_and_within_is_accepted(
    client: TerminalClient, clock: ManualClock
) -> None:
    start = clock.now()
    client.now = lambda: start - 301
    assert client.get("/v1/reconciliation").status_code == 401
    client.now = lambda: start + 299
    assert client.get("/v1/reconciliation").status_code == 200


def test_missing_headers_and_unknown_terminal_are_refused(client: TerminalClient) -> None:
    assert client.http.get("/v1/reconciliation").status_code == 401
    client.terminal_id = "KZ-NOPE-0000"
    response = client.get("/v1/reconciliation")
    assert response.status_code == 401 and "unknown terminal" in response.json()["detail"]


def test_query_string_is_part_of_what_is_signed(
    client: TerminalClient, secrets: dict[str, str], clock: ManualClock
) -> None:
    timestamp, request_id = int(clock.now()), new_request_id()
    signature = sign(
        secrets[TERMINAL], "GET", "/v1/reconciliation", timestamp, b"", request_id=request_id
    )
    response = client.http.get(
        "/v1/reconciliation?x=1",
        headers={
            "X-Terminal-Id": TERMINAL,
            "X-Timestamp": str(timestamp),
            "X-Request-Id": request_id,
            "X-Signature": signature,
        },
    )
    assert response.status_code == 401
    assert client.get("/v1/reconciliation?x=1").status_code == 200


def test_terminal_cannot_post_another_terminals_payment(
    client: TerminalClient, ledger: Ledger
) -> None:
    response = client.post(
        "/v1/payments", {"payments": [payment_dict(1), payment_dict(2, terminal_id=OTHER_TERMINAL)]}
    )
    assert response.status_code == 403
    assert ledger.audit().payments == 0  # the whole batch was refused


def test_terminal_reads_only_its_own_payments(
    client: TerminalClient, other_client: TerminalClient
) -> None:
    client.post_payments([payment_dict(1)])
    operation_id = payment_dict(1)["operation_id"]
    own = client.get(f"/v1/payments/{operation_id}")
    assert own.status_code == 200
    assert own.json()["status"] == "completed"
    assert own.json()["account"] == "+7 701 *** ** 67"  # masked
    assert other_client.get(f"/v1/payments/{operation_id}").status_code == 404
    assert other_client.get(f"/v1/terminals/{TERMINAL}/receipts/1?amount=100000").status_code == 403


def test_unknown_operation_id_is_404(client: TerminalClient) -> None:
    assert client.get("/v1/payments/0190a0b0-0000-7000-8000-999999999999").status_code == 404


def test_malformed_batch_is_refused_whole_with_422(client: TerminalClient, ledger: Ledger) -> None:
    float_amount = payment_dict(2, inserted=1000.5)
    extra_field = payment_dict(3, tip=5)
    for bad in (float_amount, extra_field, {"operation_id": "x"}):
        response = client.post("/v1/payments", {"payments": [payment_dict(1), bad]})
        assert response.status_code == 422
    assert ledger.audit().payments == 0


def test_receipt_lookup_completed_rejected_processing_and_unknown(client: TerminalClient) -> None:
    client.post_payments([payment_dict(1), payment_dict(2, service="wmk", account="K000000000009")])
    receipts = f"/v1/terminals/{TERMINAL}/receipts"
    completed = client.get(f"{receipts}/1?amount=100000").json()
    rejected = client.get(f"{receipts}/2?amount=100000").json()
    assert completed["status"] == "completed"
    assert (rejected["status"], rejected["payment"]["reason"]) == (
        "rejected",
        "no wmk wallet with this number",
    )
    assert client.get(f"{receipts}/3?amount=100000").status_code == 404
    client.post(
        "/v1/heartbeat",
        {
            "at": "2026-01-01T10:00:00Z",
            "software_version": "0.1.0",
            "devices": {"validator": "ok"},
            "queue": {"depth": 1, "amount": 100_000, "oldest_age_s": 60},
        },
    )
    queued = client.get(f"{receipts}/3?amount=100000").json()
    assert queued["status"] == "processing"


def test_heartbeat_answers_server_time_and_catalog_version(
    client: TerminalClient, clock: ManualClock
) -> None:
    response = client.post(
        "/v1/heartbeat",
        {
            "at": "2026-01-01T10:00:00Z",
            "software_version": "0.1.0",
            "devices": {"validator": "ok", "printer": "no_paper"},
            "queue": {"depth": 0, "amount": 0, "oldest_age_s": None},
        },
    )
    assert response.status_code == 200
    assert response.json() == {"server_time": int(clock.now()), "catalog_version": "2026.01"}


def test_catalog_is_served_with_version_and_etag(client: TerminalClient) -> None:
    first = client.get("/v1/catalog")
    assert first.status_code == 200
    assert first.headers["X-Catalog-Version"] == first.json()["version"] == "2026.01"
    again = client.get("/v1/catalog", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_reconciliation_reports_highest_local_seq_and_the_missing_ones(
    client: TerminalClient,
) -> None:
    client.post_payments([payment_dict(seq) for seq in (2, 3, 6, 10)])
    answer = client.get("/v1/reconciliation").json()
    assert answer["highest_local_seq"] == 10
    assert answer["missing_local_seq"] == [1, 4, 5, 7, 8, 9]
    assert answer["missing_count"] == 6


def test_encashment_moves_cash_out_once_and_reports_the_difference(
    client: TerminalClient, ledger: Ledger
) -> None:
    client.post_payments([payment_dict(1, notes=[500_000, 200_000])])
    report = {
        "encashment_id": "E-1",
        "at": "2026-01-01T18:00:00Z",
        "cassette_id": "C-7",
        "technician_id": "tech-3",
        "notes": 2,
        "total": 600_000,
        "counts": {"500000": 1, "100000": 1},
    }
    first = client.post("/v1/encashments", report).json()
    again = client.post("/v1/encashments", report).json()
    changed = client.post("/v1/encashments", {**report, "cassette_id": "C-8"}).json()
    assert (first["status"], first["expected"], first["difference"]) == (
        "accepted",
        700_000,
        -100_000,
    )
    assert again["status"] == "duplicate" and changed["status"] == "conflict"
    books = ledger.audit()
    assert books.balanced and books.transfers == 2


def test_openapi_lists_the_endpoints_without_auth(client: TerminalClient) -> None:
    paths = client.http.get("/openapi.json").json()["paths"]
    assert {
        "/v1/payments",
        "/v1/accounts/check",
        "/v1/payments/{operation_id}",
        "/v1/heartbeat",
        "/v1/encashments",
        "/v1/catalog",
        "/v1/device-events",
        "/v1/reconciliation",
    } <= set(paths)


def test_device_events_are_stored_once_per_event_id_and_terminal(
    client: TerminalClient, other_client: TerminalClient, ledger: Ledger
) -> None:
    fault = {
        "event_id": "17",
        "at": "2026-01-01T10:00:00.000+00:00",
        "device": "bill",
        "kind": "jam",
        "detail": "note jammed in the transport",
    }
    first = client.post(
        "/v1/device-events", {"events": [fault, {**fault, "event_id": "18", "kind": "cleared"}]}
    )
    again = client.post("/v1/device-events", {"events": [fault]})  # the answer was lost
    changed = client.post("/v1/device-events", {"events": [{**fault, "kind": "cassette_full"}]})
    elsewhere = other_client.post("/v1/device-events", {"events": [fault]})
    assert [item["status"] for item in first.json()["results"]] == ["accepted", "accepted"]
    assert again.json()["results"] == [{"event_id": "17", "status": "duplicate"}]
    assert changed.json()["results"] == [{"event_id": "17", "status": "conflict"}]
    assert elsewhere.json()["results"] == [{"event_id": "17", "status": "accepted"}]
    with ledger.engine.connect() as connection:
        kinds = connection.exec_driver_sql(
            "SELECT terminal_id, event_id, kind FROM device_events ORDER BY id"
        ).all()
    assert [tuple(row) for row in kinds] == [
        (TERMINAL, "17", "jam"),
        (TERMINAL, "18", "cleared"),
        (OTHER_TERMINAL, "17", "jam"),
    ]
