"""Replay-proof requests over a real ledger on loopback, on SQLite and on PostgreSQL: a
captured signed request sent again is refused and changes nothing, the request id is
checked and signed, old heartbeats and device events never move state backwards, and a
payment re-posted under a new request id is still one payment."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy import func, select, text

from kiosk.domain.clock import ManualClock
from sync.auth import (
    HEADER_REQUEST_ID,
    HEADER_SIGNATURE,
    MAX_SKEW_SECONDS,
    new_request_id,
    signed_headers,
    verify_response,
)
from sync.ledger.models import DeviceEvent, SeenRequest, Transfer
from sync.ledger.replay import KEEP_S, PRUNE_EVERY_S
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, beat, payment_dict

WAIT = 30.0


@dataclass(frozen=True)
class Captured:
    """A signed request exactly as it went over the wire: what an eavesdropper keeps."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]


@dataclass
class Served:
    ledger: Ledger
    url: str
    secrets: dict[str, str]
    clock: ManualClock

    def sign(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        terminal: str = TERMINAL,
        request_id: str | None = None,
    ) -> Captured:
        content = b"" if body is None else json.dumps(body).encode()
        headers = signed_headers(
            terminal, self.secrets[terminal], method, path, content, self.clock.now(), request_id
        )
        if content:
            headers["Content-Type"] = "application/json"
        return Captured(method, path, content, headers)

    def send(self, request: Captured) -> requests.Response:
        return requests.request(
            request.method,
            self.url + request.path,
            data=request.body,
            headers=request.headers,
            timeout=WAIT,
        )

    def post(self, path: str, body: Any, **kwargs: Any) -> requests.Response:
        return self.send(self.sign("POST", path, body, **kwargs))

    def seen(self) -> int:
        with self.ledger.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(SeenRequest)).scalar_one()
            )


@pytest.fixture
def served(
    any_url: str, make_ledger: Callable[..., Ledger], clock: ManualClock
) -> Iterator[Served]:
    ledger = make_ledger(any_url)
    secrets = {
        TERMINAL: ledger.add_terminal(TERMINAL),
        OTHER_TERMINAL: ledger.add_terminal(OTHER_TERMINAL),
    }
    with LedgerThread(ledger) as server:
        yield Served(ledger, server.url, secrets, clock)


def latest(ledger: Ledger, terminal_id: str = TERMINAL) -> Any:
    [state] = [state for state in ledger.terminal_states() if state.terminal_id == terminal_id]
    return state


def test_a_captured_request_replayed_byte_for_byte_is_refused_and_changes_nothing(
    served: Served,
) -> None:
    captured = served.sign("POST", "/v1/heartbeat", beat("2026-01-01T10:00:00.000+00:00"))
    assert served.send(captured).status_code == 200
    first_seen = latest(served.ledger).last_seen
    served.clock.advance(10)  # within the window: the timestamp alone would let it pass

    replayed = served.send(captured)

    assert replayed.status_code == 401
    assert "replayed request" in replayed.json()["detail"]
    assert HEADER_SIGNATURE not in replayed.headers  # refused unauthenticated, like any 401
    assert latest(served.ledger).last_seen == first_seen  # the kept heartbeat is untouched
    assert served.seen() == 1


def test_a_replayed_payment_post_is_refused_and_credited_once(served: Served) -> None:
    captured = served.sign("POST", "/v1/payments", {"payments": [payment_dict(1)]})
    assert served.send(captured).json()["results"][0]["status"] == "accepted"
    assert served.send(captured).status_code == 401
    books = served.ledger.audit()
    assert books.balanced and books.payments == 1


def test_a_payment_re_posted_under_a_new_request_id_stays_one_payment(served: Served) -> None:
    payment = payment_dict(1)

    def transfers() -> int:
        with served.ledger.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(Transfer)
                    .where(Transfer.operation_id == payment["operation_id"])
                ).scalar_one()
            )

    first = served.post("/v1/payments", {"payments": [payment]})
    posted = transfers()
    again = served.post("/v1/payments", {"payments": [payment]})  # a retry: a new request id

    assert [first.status_code, again.status_code] == [200, 200]
    assert first.json()["results"][0]["status"] == "accepted"
    assert again.json()["results"][0]["status"] == "duplicate"
    assert posted >= 1 and transfers() == posted
    books = served.ledger.audit()
    assert books.balanced and books.payments == 1 and books.credited == payment["credited"]


@pytest.mark.parametrize(
    ("request_id", "reason"),
    [
        (None, f"missing {HEADER_REQUEST_ID} header"),
        ("", f"missing {HEADER_REQUEST_ID} header"),
        ("0123456789abcde", "16 to 64 lowercase hex digits"),  # 15: too short
        ("0" * 65, "16 to 64 lowercase hex digits"),
        ("0123456789ABCDEF", "16 to 64 lowercase hex digits"),
        ("0123456789abcdeg", "16 to 64 lowercase hex digits"),
    ],
)
def test_a_missing_or_malformed_request_id_is_refused(
    served: Served, request_id: str | None, reason: str
) -> None:
    # Signed correctly over the bad id: the id itself is what the ledger refuses.
    request = served.sign("GET", "/v1/reconciliation", request_id=request_id)
    headers = dict(request.headers)
    if request_id is None:
        del headers[HEADER_REQUEST_ID]
    answer = served.send(Captured(request.method, request.path, request.body, headers))
    assert answer.status_code == 401
    assert reason in answer.json()["detail"]
    assert served.seen() == 0


@pytest.mark.parametrize("length", [16, 64])
def test_request_ids_of_16_and_64_hex_digits_are_accepted(served: Served, length: int) -> None:
    request = served.sign("GET", "/v1/reconciliation", request_id="a1" * (length // 2))
    assert served.send(request).status_code == 200


def test_a_request_id_swapped_after_signing_is_a_bad_signature(served: Served) -> None:
    request = served.sign("GET", "/v1/reconciliation")
    headers = {**request.headers, HEADER_REQUEST_ID: new_request_id()}
    answer = served.send(Captured(request.method, request.path, request.body, headers))
    assert answer.status_code == 401 and "bad signature" in answer.json()["detail"]
    assert served.seen() == 0


def test_the_same_request_id_from_two_terminals_is_two_requests(served: Served) -> None:
    shared = new_request_id()
    mine = served.sign("GET", "/v1/reconciliation", request_id=shared)
    theirs = served.sign("GET", "/v1/reconciliation", terminal=OTHER_TERMINAL, request_id=shared)
    assert served.send(mine).json()["terminal_id"] == TERMINAL
    assert served.send(theirs).json()["terminal_id"] == OTHER_TERMINAL
    assert served.seen() == 2


def test_two_identical_requests_at_once_pass_exactly_once(served: Served) -> None:
    for seq in range(1, 6):
        captured = served.sign("POST", "/v1/payments", {"payments": [payment_dict(seq)]})
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def send(
            request: Captured = captured,
            gate: threading.Barrier = barrier,
            seen: list[int] = statuses,
        ) -> None:
            gate.wait(WAIT)
            seen.append(served.send(request).status_code)

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT)
        assert sorted(statuses) == [200, 401], f"payment {seq}"
    books = served.ledger.audit()
    assert books.balanced and books.payments == 5


def test_a_request_whose_id_cannot_be_recorded_is_answered_503_and_not_handled(
    served: Served,
) -> None:
    with served.ledger.engine.begin() as connection:
        connection.execute(text("DROP TABLE seen_requests"))
    request = served.sign("POST", "/v1/heartbeat", beat())

    answer = served.send(request)

    assert answer.status_code == 503
    verify_response(
        served.secrets[TERMINAL],
        503,
        request.headers[HEADER_SIGNATURE],
        answer.content,
        answer.headers.get(HEADER_SIGNATURE),
    )
    assert latest(served.ledger).last_seen is None  # the heartbeat was not handled


def test_ids_are_pruned_after_twice_the_window_and_not_at_every_request(served: Served) -> None:
    assert KEEP_S == 2 * MAX_SKEW_SECONDS
    first = served.sign("GET", "/v1/reconciliation")
    assert served.send(first).status_code == 200  # the first request of the process prunes
    served.clock.advance(KEEP_S)
    assert served.post("/v1/heartbeat", beat()).status_code == 200  # prunes: nothing old yet
    assert served.seen() == 2
    served.clock.advance(1)
    assert served.send(served.sign("GET", "/v1/reconciliation")).status_code == 200
    assert served.seen() == 3  # the first is past KEEP_S, but the last prune was 1 s ago
    served.clock.advance(PRUNE_EVERY_S)
    assert served.send(served.sign("GET", "/v1/reconciliation")).status_code == 200
    assert served.seen() == 3  # the first went; the rest are younger than KEEP_S
    late = served.send(first)
    assert late.status_code == 401 and "clock skew" in late.json()["detail"]


def test_an_old_heartbeat_after_a_newer_one_does_not_overwrite_it(served: Served) -> None:
    newer = served.post(
        "/v1/heartbeat",
        beat("2026-01-01T10:05:00.000+00:00", cassette={"notes": 20, "amount": 2_000_000}),
    )
    older = served.post(
        "/v1/heartbeat",
        beat("2026-01-01T10:04:00.000+00:00", cassette={"notes": 19, "amount": 1_900_000}),
    )
    assert newer.status_code == 200 and "stale" not in newer.json()
    assert older.status_code == 200 and older.json()["stale"] is True  # answered normally
    state = latest(served.ledger)
    assert (state.reported_at, state.cassette_notes) == ("2026-01-01T10:05:00.000+00:00", 20)


def test_an_old_device_event_is_history_and_changes_no_current_state(served: Served) -> None:
    assert (
        served.post(
            "/v1/heartbeat",
            beat(
                "2026-01-01T10:05:00.000+00:00",
                devices={
                    "validator": {"state": "idle", "connected": True},
                    "printer": {"state": "ok"},
                },
            ),
        ).status_code
        == 200
    )
    event = {
        "event_id": "ev-1",
        "at": "2026-01-01T09:00:00.000+00:00",
        "device": "printer",
        "kind": "no_paper",
        "detail": "out of paper",
    }
    answer = served.post("/v1/device-events", {"events": [event]})
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "accepted"
    state = latest(served.ledger)
    assert (state.reported_at, state.printer_state, state.validator_state) == (
        "2026-01-01T10:05:00.000+00:00",
        "ok",
        "idle",
    )
    with served.ledger.engine.connect() as connection:
        kept = connection.execute(select(DeviceEvent.at, DeviceEvent.kind)).all()
    assert [tuple(row) for row in kept] == [("2026-01-01T09:00:00.000+00:00", "no_paper")]
