"""Every answer to an authenticated request is signed for that request; a 401 is not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from kiosk.domain.clock import ManualClock
from sync.auth import HEADER_SIGNATURE, AuthError, signed_headers, verify_response
from sync.ledger.app import MAX_BODY_BYTES
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger, LedgerBusy
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, payment_dict


@dataclass
class Signed:
    """One answer and the signature of the request it answers."""

    response: requests.Response
    request_signature: str


class Kiosk:
    """Sends signed requests over a real socket, as TERMINAL."""

    def __init__(self, url: str, secret: str, clock: ManualClock) -> None:
        self.url = url
        self.secret = secret
        self.clock = clock
        self.http = requests.Session()

    def send(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Signed:
        content = b"" if body is None else json.dumps(body).encode()
        signed = signed_headers(TERMINAL, self.secret, method, path, content, self.clock.now())
        if content:
            signed["Content-Type"] = "application/json"
        signed.update(headers or {})
        response = self.http.request(
            method, self.url + path, data=content, headers=signed, timeout=30
        )
        return Signed(response, signed[HEADER_SIGNATURE])

    def verify(self, answer: Signed) -> None:
        verify_response(
            self.secret,
            answer.response.status_code,
            answer.request_signature,
            answer.response.content,
            answer.response.headers.get(HEADER_SIGNATURE),
        )


@pytest.fixture
def kiosk(ledger: Ledger, secrets: dict[str, str], clock: ManualClock) -> Iterator[Kiosk]:
    with LedgerThread(ledger) as server:
        terminal = Kiosk(server.url, secrets[TERMINAL], clock)
        yield terminal
        terminal.http.close()


def test_every_kind_of_answer_is_signed_and_verifies(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch, ledger: Ledger
) -> None:
    posted = kiosk.send("POST", "/v1/payments", {"payments": [payment_dict(1)]})
    catalog = kiosk.send("GET", "/v1/catalog")
    answers = {
        "batch": posted,
        "reconciliation": kiosk.send("GET", "/v1/reconciliation"),
        "not modified": kiosk.send(
            "GET", "/v1/catalog", headers={"If-None-Match": catalog.response.headers["ETag"]}
        ),
        "foreign receipt": kiosk.send(
            "GET", f"/v1/terminals/{OTHER_TERMINAL}/receipts/1?amount=100000"
        ),
        "unknown payment": kiosk.send("GET", "/v1/payments/nope"),
        "malformed batch": kiosk.send("POST", "/v1/payments", {"payments": [{"x": 1}]}),
    }

    def busy(_terminal_id: str) -> None:
        raise LedgerBusy("the ledger database refused 8 attempts; try again")

    def broken(_terminal_id: str) -> None:
        raise RuntimeError("a ledger bug")

    monkeypatch.setattr(ledger, "reconciliation", busy)
    answers["busy"] = kiosk.send("GET", "/v1/reconciliation")
    monkeypatch.setattr(ledger, "reconciliation", broken)
    answers["internal error"] = kiosk.send("GET", "/v1/reconciliation")

    statuses = {name: answer.response.status_code for name, answer in answers.items()}
    assert statuses == {
        "batch": 200,
        "reconciliation": 200,
        "not modified": 304,
        "foreign receipt": 403,
        "unknown payment": 404,
        "malformed batch": 422,
        "busy": 503,
        "internal error": 500,
    }
    for answer in answers.values():
        kiosk.verify(answer)
    assert posted.response.json()["results"][0]["status"] == "accepted"


def test_an_answer_does_not_verify_for_another_request(kiosk: Kiosk) -> None:
    first = kiosk.send("GET", "/v1/reconciliation")
    kiosk.clock.advance(1)  # another second: another request signature
    second = kiosk.send("GET", "/v1/reconciliation")
    assert first.response.content == second.response.content
    assert first.request_signature != second.request_signature
    replayed = Signed(first.response, second.request_signature)
    with pytest.raises(AuthError, match="wrong X-Signature"):
        kiosk.verify(replayed)


def test_a_changed_body_or_status_does_not_verify(kiosk: Kiosk) -> None:
    answer = kiosk.send("GET", "/v1/reconciliation")
    signature = answer.response.headers[HEADER_SIGNATURE]
    with pytest.raises(AuthError):
        verify_response(
            kiosk.secret,
            200,
            answer.request_signature,
            answer.response.content.replace(b'"payments":0', b'"payments":1'),
            signature,
        )
    with pytest.raises(AuthError):
        verify_response(
            kiosk.secret, 404, answer.request_signature, answer.response.content, signature
        )


def test_refused_authentication_and_oversized_bodies_are_answered_unsigned(kiosk: Kiosk) -> None:
    kiosk.secret = "0" * 64
    refused = kiosk.send("GET", "/v1/reconciliation")
    assert refused.response.status_code == 401
    assert HEADER_SIGNATURE not in refused.response.headers
    with pytest.raises(AuthError, match="carries no X-Signature"):
        kiosk.verify(refused)
    oversized = kiosk.http.post(
        kiosk.url + "/v1/payments", data=b" " * (MAX_BODY_BYTES + 1), timeout=30
    )
    assert oversized.status_code == 413 and HEADER_SIGNATURE not in oversized.headers


def test_unprotected_paths_stay_unsigned(kiosk: Kiosk) -> None:
    health = kiosk.http.get(kiosk.url + "/health", timeout=30)
    assert health.status_code == 200 and HEADER_SIGNATURE not in health.headers


def test_openapi_documents_the_answer_signature(kiosk: Kiosk) -> None:
    description = kiosk.http.get(kiosk.url + "/openapi.json", timeout=30).json()["info"][
        "description"
    ]
    assert "STATUS \\n REQUEST_SIGNATURE \\n sha256hex(response body)" in description
