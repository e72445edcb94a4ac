"""The ledger client counts only the ledger's signed answers; auth and TLS failures say what
a technician should fix."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from sync.auth import HEADER_REQUEST_ID, HEADER_SIGNATURE
from sync.client import (
    MAX_CATALOG_BYTES,
    AuthFailed,
    CatalogAnswer,
    DownReason,
    LedgerClient,
    LinkRefused,
    Refused,
    TlsFailed,
    Unreachable,
    UnsignedAnswer,
)
from tests.sync.helpers import TERMINAL, Link, Reply, StubLedger

from .tls_certs import TlsFiles, make_tls_files

BATCH = [b'{"operation_id":"op-1","amount":100}']
ACCEPTED = json.dumps(
    {"results": [{"operation_id": "op-1", "status": "accepted", "code": 0}]}
).encode()


def test_a_signed_answer_is_taken_and_the_request_was_signed(stub: StubLedger) -> None:
    stub.routes[("POST", "/v1/payments")] = Reply(body=ACCEPTED)

    answers = stub.client().post_payments(BATCH)

    assert [(a.operation_id, a.status) for a in answers] == [("op-1", "accepted")]
    assert stub.seen[-1].headers[HEADER_SIGNATURE]


@pytest.mark.parametrize("sign", ["none", "wrong", "replayed"])
def test_an_answer_without_the_ledgers_signature_is_no_answer(stub: StubLedger, sign: str) -> None:
    stub.routes[("POST", "/v1/payments")] = Reply(body=ACCEPTED, sign=sign)

    with pytest.raises(UnsignedAnswer) as caught:
        stub.client().post_payments(BATCH)

    assert isinstance(caught.value, Unreachable)  # retried later, as the same bytes
    assert caught.value.down_reason == DownReason.UNSIGNED
    assert "did not come from the ledger" in str(caught.value)


def test_a_wrong_secret_is_an_auth_failure_naming_the_secret_file(stub: StubLedger) -> None:
    with pytest.raises(AuthFailed) as caught:
        stub.client(secret="cd" * 32).post_payments(BATCH)

    error = caught.value
    assert isinstance(error, LinkRefused) and not isinstance(error, Refused)
    assert error.status == 401 and error.down_reason == DownReason.AUTH
    assert str(error).startswith(
        "the ledger does not accept this terminal's signature (HTTP 401: bad signature"
    )
    assert "check [ledger] secret_file" in str(error)


@pytest.mark.parametrize("sign", ["good", "none"])
def test_a_403_signed_or_not_is_an_auth_failure_not_a_refusal(stub: StubLedger, sign: str) -> None:
    stub.routes[("POST", "/v1/payments")] = Reply(
        403, b'{"detail":"terminal KZ-ALA-0001 is disabled"}', sign=sign
    )

    with pytest.raises(AuthFailed) as caught:
        stub.client().post_payments(BATCH)

    assert caught.value.status == 403
    assert "HTTP 403: terminal KZ-ALA-0001 is disabled" in str(caught.value)
    assert ("may come from a proxy" in str(caught.value)) is (sign == "none")


def test_a_signed_4xx_is_a_refusal_and_an_unsigned_one_is_no_answer(stub: StubLedger) -> None:
    stub.routes[("POST", "/v1/payments")] = Reply(422, b'{"detail":"bad amount"}')
    with pytest.raises(Refused) as refused:
        stub.client().post_payments(BATCH)
    assert refused.value.status == 422 and "bad amount" in str(refused.value)

    stub.routes[("POST", "/v1/payments")] = Reply(422, b'{"detail":"bad amount"}', sign="none")
    with pytest.raises(UnsignedAnswer):
        stub.client().post_payments(BATCH)


def test_a_busy_ledger_is_unreachable_with_its_retry_after(stub: StubLedger) -> None:
    stub.routes[("POST", "/v1/payments")] = Reply(503, b"busy", {"Retry-After": "7"}, sign="none")

    with pytest.raises(Unreachable) as caught:
        stub.client().post_payments(BATCH)

    assert caught.value.retry_after == 7.0
    assert caught.value.down_reason == DownReason.UNREACHABLE


def test_a_terminal_clock_off_by_minutes_is_relearnt_from_the_ledgers_date(
    stub: StubLedger,
) -> None:
    stub.clock_offset = 1000.0
    stub.routes[("GET", "/v1/reconciliation")] = Reply(body=b'{"highest_receipt_number":5}')
    client = stub.client(ManualClock(start=time.time()))

    assert client.reconciliation()["highest_receipt_number"] == 5
    assert client.clock_offset == pytest.approx(1000.0, abs=3)
    # The second attempt is a new request: signed again under a new request id.
    ids = [seen.headers[HEADER_REQUEST_ID] for seen in stub.seen]
    assert len(ids) == 2 and len(set(ids)) == 2


def test_every_request_and_every_resend_carries_a_new_signed_request_id(
    stub: StubLedger,
) -> None:
    stub.routes[("POST", "/v1/payments")] = Reply(body=ACCEPTED)
    client = stub.client()

    client.post_payments(BATCH)
    client.post_payments(BATCH)  # the outbox resending the same rows

    ids = [seen.headers[HEADER_REQUEST_ID] for seen in stub.seen]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(len(value) == 32 and set(value) <= set("0123456789abcdef") for value in ids)


def test_the_catalog_comes_with_its_etag_and_is_not_fetched_again_when_unchanged(
    stub: StubLedger,
) -> None:
    def catalog(_body: bytes) -> Reply:
        if stub.seen[-1].headers.get("If-None-Match") == '"v7"':
            return Reply(304, b"", {"ETag": '"v7"'})
        return Reply(body=b'{"version":"7"}', headers={"ETag": '"v7"', "X-Catalog-Version": "7"})

    stub.routes[("GET", "/v1/catalog")] = catalog
    client = stub.client()

    assert client.get_catalog(None) == CatalogAnswer('"v7"', b'{"version":"7"}', "7")
    assert client.get_catalog('"v7"') is None
    assert client.get_catalog('"v6"') is not None


def test_a_catalog_over_one_mebibyte_is_not_taken(stub: StubLedger) -> None:
    stub.routes[("GET", "/v1/catalog")] = Reply(body=b" " * (MAX_CATALOG_BYTES + 1))

    with pytest.raises(Unreachable, match="over 1048576 bytes"):
        stub.client().get_catalog(None)


def test_tls_with_the_private_ca_file_works(tls_stub: StubLedger, tls_files: TlsFiles) -> None:
    tls_stub.routes[("GET", "/v1/reconciliation")] = Reply(body=b'{"highest_receipt_number":0}')

    client = tls_stub.client(ca_file=tls_files.ca_file)

    assert client.reconciliation() == {"highest_receipt_number": 0}


@pytest.mark.parametrize("ca", ["system", "other"])
def test_an_untrusted_ledger_certificate_is_a_tls_failure_naming_the_ca_file(
    tls_stub: StubLedger, tmp_path: Path, ca: str
) -> None:
    ca_file = None if ca == "system" else make_tls_files(tmp_path / "other").ca_file
    tls_stub.routes[("GET", "/v1/reconciliation")] = Reply(body=b'{"highest_receipt_number":0}')

    with pytest.raises(TlsFailed) as caught:
        tls_stub.client(ca_file=ca_file).reconciliation()

    assert isinstance(caught.value, LinkRefused) and caught.value.down_reason == DownReason.TLS
    assert str(caught.value).startswith("TLS: certificate verify failed (")
    assert "check [ledger] ca_file" in str(caught.value)
    assert tls_stub.seen == []  # nothing was sent over an untrusted connection


def test_the_ledger_itself_signs_catalog_and_reconciliation(link: Link) -> None:
    client = LedgerClient(link.proxy.url, TERMINAL, link.secret, ManualClock(time.time()))

    catalog = client.get_catalog(None)
    assert catalog is not None and catalog.etag and json.loads(catalog.body)
    assert client.get_catalog(catalog.etag) is None
    assert client.reconciliation()["highest_receipt_number"] == 0
    with pytest.raises(AuthFailed, match="HTTP 401"):
        LedgerClient(link.proxy.url, TERMINAL, "ef" * 32, ManualClock(time.time())).heartbeat(b"{}")


def test_the_client_never_shows_its_secret(stub: StubLedger) -> None:
    assert stub.secret not in repr(stub.client())


def test_a_clock_the_ledger_still_refuses_points_at_ntp_not_the_secret(
    stub: StubLedger,
) -> None:
    stub.routes[("GET", "/v1/reconciliation")] = Reply(
        401,
        b'{"detail":"clock skew 900 s is over 300 s: set the terminal\'s clock (NTP)"}',
        sign="none",
    )

    with pytest.raises(AuthFailed) as caught:
        stub.client(ManualClock(start=time.time())).reconciliation()

    assert str(caught.value).startswith(
        "the ledger does not accept this terminal's signature (HTTP 401: clock skew 900 s"
    )
    assert "check the terminal's clock (NTP)" in str(caught.value)
    assert len(stub.seen) == 2  # relearnt the clock once, then gave up
