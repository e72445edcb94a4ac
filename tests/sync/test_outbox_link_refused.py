"""The outbox when the ledger does not trust the terminal (secret, TLS) or an answer is not
the ledger's: the link is down for a reason the service screen shows, nothing is marked, and
the same rows are credited once after the fix. And what the heartbeat reports."""

from __future__ import annotations

import json
import random

from sqlalchemy import text

from kiosk.domain.clock import SystemClock
from sync.client import DownReason, LedgerClient
from sync.outbox import OutboxWorker
from tests.sync.helpers import TERMINAL, Kiosk, Link, Reply, StubLedger, accept_payments

from .tls_certs import TlsFiles

NUMBERS = ["+77051234567", "+77071234567", "+77771234567"]


def pay_three(kiosk: Kiosk) -> list[str]:
    return [kiosk.pay("beeline", number, 1000, 500) for number in NUMBERS]


def queued(kiosk: Kiosk) -> list[tuple[object, ...]]:
    """(sent, result) of every payment row."""
    with kiosk.store.reading() as s:
        return [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT sent_at IS NOT NULL, result FROM outbox WHERE kind = 'payment' "
                    "ORDER BY local_seq"
                )
            ).all()
        ]


def assert_down_and_untouched(kiosk: Kiosk, reason: DownReason) -> None:
    kiosk.worker.retry_now()
    assert not kiosk.worker.step()
    state = kiosk.worker.state()
    assert not state.online and state.down_reason == reason
    assert state.pending_count == 3 and state.flagged == 0
    assert queued(kiosk) == [(False, None)] * 3


def test_a_wrong_secret_takes_the_link_down_and_the_fixed_secret_drains_each_payment_once(
    kiosk: Kiosk, link: Link
) -> None:
    ids = pay_three(kiosk)
    good = kiosk.worker.client
    kiosk.worker.client = LedgerClient(link.proxy.url, TERMINAL, "00" * 32, SystemClock())

    for _ in range(3):
        assert_down_and_untouched(kiosk, DownReason.AUTH)
    last_error = kiosk.worker.state().last_error
    assert last_error is not None and "check [ledger] secret_file" in last_error
    assert link.ledger.reconciliation(TERMINAL).payments == 0

    kiosk.worker.client = good
    kiosk.drain()
    assert queued(kiosk) == [(True, "accepted")] * 3
    assert kiosk.worker.state().down_reason is None
    assert link.ledger.reconciliation(TERMINAL).payments == 3
    assert all(link.ledger.payment(op) is not None for op in ids)
    assert link.ledger.audit().cash_in == 3 * 150000


def test_an_auth_failure_backs_off_like_any_other(kiosk: Kiosk, link: Link) -> None:
    pay_three(kiosk)
    kiosk.worker.client = LedgerClient(link.proxy.url, TERMINAL, "00" * 32, SystemClock())
    kiosk.worker.retry_now()
    kiosk.worker.step()
    attempts_before = link_attempts(kiosk)

    assert not kiosk.worker.step()  # inside the back-off: no request at all
    assert link_attempts(kiosk) == attempts_before


def link_attempts(kiosk: Kiosk) -> int:
    with kiosk.store.reading() as s:
        return int(s.scalar(text("SELECT sum(attempts) FROM outbox WHERE kind = 'payment'")))


def test_an_untrusted_certificate_takes_the_link_down_until_the_ca_file_is_given(
    kiosk: Kiosk, tls_stub: StubLedger, tls_files: TlsFiles
) -> None:
    pay_three(kiosk)
    tls_stub.routes[("POST", "/v1/payments")] = accept_payments
    tls_stub.routes[("POST", "/v1/heartbeat")] = Reply(body=b'{"server_time":0}')
    kiosk.worker.client = tls_stub.client()

    assert_down_and_untouched(kiosk, DownReason.TLS)
    last_error = kiosk.worker.state().last_error
    assert last_error is not None and last_error.startswith("TLS: certificate verify failed")

    kiosk.worker.client = tls_stub.client(ca_file=tls_files.ca_file)
    kiosk.drain()
    assert queued(kiosk) == [(True, "accepted")] * 3


def test_an_unsigned_accepted_is_not_taken_for_delivery(kiosk: Kiosk, stub: StubLedger) -> None:
    pay_three(kiosk)
    stub.routes[("POST", "/v1/payments")] = lambda body: Reply(
        body=accept_payments(body).body, sign="none"
    )
    kiosk.worker.client = stub.client()

    assert_down_and_untouched(kiosk, DownReason.UNSIGNED)
    last_error = kiosk.worker.state().last_error
    assert last_error is not None and last_error.startswith(
        "the answer (HTTP 200) carries no X-Signature"
    )


def test_the_heartbeat_reports_uptime_cassette_last_payment_and_free_disk(
    kiosk: Kiosk, stub: StubLedger
) -> None:
    pay_three(kiosk)
    stub.routes[("POST", "/v1/payments")] = accept_payments
    stub.routes[("POST", "/v1/heartbeat")] = Reply(body=b'{"server_time":0}')
    started = kiosk.clock.monotonic()
    kiosk.clock.advance(125)
    worker = OutboxWorker(
        kiosk.store,
        stub.client(),
        kiosk.clock,
        random.Random(1),
        started_at=started,
        devices=lambda: {"validator": {"state": "ok"}},
    )

    assert worker.step()

    sent = [json.loads(seen.body) for seen in stub.seen if seen.path == "/v1/heartbeat"]
    assert len(sent) == 1
    beat = sent[0]
    assert beat["uptime_s"] == 125
    assert beat["cassette"] == {"notes": 6, "amount": 3 * 150000}
    assert beat["last_payment_at"] is not None and beat["last_payment_at"].endswith("+00:00")
    assert isinstance(beat["free_disk_bytes"], int) and beat["free_disk_bytes"] > 0
    assert beat["devices"] == {"validator": {"state": "ok"}}
    assert beat["queue"]["depth"] == 0  # the payments went first, in the same step
    assert worker.online and worker.state().down_reason is None


def test_the_heartbeat_of_a_kiosk_without_payments_says_so(kiosk: Kiosk, stub: StubLedger) -> None:
    stub.routes[("POST", "/v1/heartbeat")] = Reply(body=b'{"server_time":0}')
    worker = OutboxWorker(kiosk.store, stub.client(), kiosk.clock, random.Random(1))

    worker.step()

    beat = json.loads(stub.seen[-1].body)
    assert beat["last_payment_at"] is None and beat["cassette"] == {"notes": 0, "amount": 0}
    assert beat["uptime_s"] == 0


def test_a_refused_batch_is_split_at_once_not_after_its_lease(
    kiosk: Kiosk, stub: StubLedger
) -> None:
    ids = pay_three(kiosk)

    def refuse_second(body: bytes) -> Reply:
        sent = [p["operation_id"] for p in json.loads(body)["payments"]]
        return Reply(422, b'{"detail":"no"}') if ids[1] in sent else accept_payments(body)

    stub.routes[("POST", "/v1/payments")] = refuse_second
    stub.routes[("POST", "/v1/heartbeat")] = Reply(body=b"{}")
    kiosk.worker.client = stub.client()
    for _ in range(5):  # the clock stands still: no lease can expire
        kiosk.worker.retry_now()
        kiosk.worker.step()

    assert queued(kiosk) == [(True, "accepted"), (False, "refused"), (True, "accepted")]
    assert kiosk.worker.state().flagged == 1
