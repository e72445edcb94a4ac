"""The outbox through a broken network: every kiosk payment reaches the ledger exactly once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from tests.sync.helpers import TERMINAL, Kiosk, Link

NUMBERS = ["+77051234567", "+77071234567", "+77771234567", "+77001234567", "+77011234567"]
SERVICES = ["beeline", "tele2", "beeline", "altel", "kcell"]


def pay_some(kiosk: Kiosk, count: int, start: int = 0) -> list[str]:
    return [
        kiosk.pay(SERVICES[(start + i) % 5], NUMBERS[(start + i) % 5], 1000, 500)
        for i in range(count)
    ]


def outbox(kiosk: Kiosk) -> list[tuple[object, ...]]:
    with kiosk.store.reading() as s:
        return [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT local_seq, sent_at IS NOT NULL, result FROM outbox WHERE kind = 'payment' "
                    "ORDER BY local_seq"
                )
            ).all()
        ]


def assert_exactly_once(kiosk: Kiosk, link: Link, operation_ids: list[str]) -> None:
    audit = link.ledger.audit()
    assert audit.balanced
    for operation_id in operation_ids:
        view = link.ledger.payment(operation_id)
        assert view is not None and view.inserted == 150000
    reconciliation = link.ledger.reconciliation(TERMINAL)
    assert reconciliation.payments == len(operation_ids)
    assert reconciliation.missing_local_seq == []
    assert audit.cash_in == 150000 * len(operation_ids)
    assert all(sent for _, sent, _ in outbox(kiosk))
    assert kiosk.worker.state().pending_count == 0


def test_payments_flow_in_local_seq_order_and_are_accepted(kiosk: Kiosk, link: Link) -> None:
    ids = pay_some(kiosk, 5)
    kiosk.drain()
    assert [r[2] for r in outbox(kiosk)] == ["accepted"] * 5
    assert_exactly_once(kiosk, link, ids)


def test_a_long_outage_keeps_every_payment_and_delivers_when_back(kiosk: Kiosk, link: Link) -> None:
    link.proxy.set("down")
    ids = []
    for round_ in range(6):
        ids += pay_some(kiosk, 2, round_)
        kiosk.worker.retry_now()
        assert not kiosk.worker.step()
        assert not kiosk.worker.online
    state = kiosk.worker.state()
    assert state.pending_count == 12 and state.pending_amount == 12 * 150000
    link.proxy.set("pass")
    kiosk.drain()
    assert_exactly_once(kiosk, link, ids)


def test_answer_lost_after_the_ledger_committed_is_resent_and_answered_duplicate(
    kiosk: Kiosk, link: Link
) -> None:
    ids = pay_some(kiosk, 3)
    link.proxy.set("lose_answer")
    assert not kiosk.worker.step()
    assert link.ledger.reconciliation(TERMINAL).payments == 3  # it did commit
    link.proxy.set("pass")
    kiosk.drain()
    assert [r[2] for r in outbox(kiosk)] == ["duplicate"] * 3
    assert_exactly_once(kiosk, link, ids)


def test_slow_answers_past_the_timeout_are_retried_without_double_credit(
    kiosk: Kiosk, link: Link
) -> None:
    ids = pay_some(kiosk, 2)
    link.proxy.set("slow", delay=3.0)  # the client gives up after 2 s
    assert not kiosk.worker.step()
    link.proxy.set("pass")
    kiosk.drain()
    assert_exactly_once(kiosk, link, ids)


@pytest.mark.parametrize("fault", ["reset", "garbage", "error"])
def test_broken_answers_leave_the_payments_queued_then_delivered(
    kiosk: Kiosk, link: Link, fault: str
) -> None:
    ids = pay_some(kiosk, 2)
    link.proxy.set(fault)
    assert not kiosk.worker.step()
    assert kiosk.worker.state().pending_count == 2
    assert kiosk.worker.state().last_error
    link.proxy.set("pass")
    kiosk.drain()
    assert_exactly_once(kiosk, link, ids)


def test_retry_after_is_honoured(kiosk: Kiosk, link: Link) -> None:
    pay_some(kiosk, 1)
    link.proxy.set("error", retry_after=120)
    assert not kiosk.worker.step()
    link.proxy.set("pass")
    kiosk.clock.advance(100)
    assert not kiosk.worker.step()  # too early: nothing is sent
    assert link.ledger.reconciliation(TERMINAL).payments == 0
    kiosk.clock.advance(21)
    assert kiosk.worker.step()
    assert link.ledger.reconciliation(TERMINAL).payments == 1


def test_backoff_grows_with_full_jitter_and_is_capped(kiosk: Kiosk, link: Link) -> None:
    pay_some(kiosk, 1)
    link.proxy.set("down")
    delays = []
    for _ in range(12):
        before = kiosk.clock.monotonic()
        kiosk.worker.retry_now()
        kiosk.worker.step()
        delays.append(kiosk.worker._next_attempt - before)
    assert all(1 <= d <= 300 for d in delays)
    assert max(delays[:3]) <= 8 and max(delays[8:]) > 8


def test_retry_sends_the_same_bytes(kiosk: Kiosk, link: Link) -> None:
    pay_some(kiosk, 3)
    sent: list[bytes] = []
    original = kiosk.client.request

    def recording(method: str, path: str, body: bytes = b"") -> object:
        if path == "/v1/payments":
            sent.append(body)
        return original(method, path, body)

    kiosk.client.request = recording  # type: ignore[method-assign]
    link.proxy.set("reset")
    kiosk.worker.step()
    pay_some(kiosk, 1, 3)  # a new payment must not change the batch in flight
    link.proxy.set("pass")
    kiosk.worker.retry_now()
    kiosk.worker.step()
    assert len(sent) == 2 and sent[0] == sent[1]
    kiosk.drain()
    assert link.ledger.reconciliation(TERMINAL).payments == 4


def test_stale_leases_are_freed_at_start(kiosk: Kiosk, link: Link) -> None:
    pay_some(kiosk, 2)
    link.proxy.set("down")
    kiosk.worker.step()  # rows leased, then the process "dies"
    with kiosk.store.reading() as s:
        assert (
            s.execute(text("SELECT count(*) FROM outbox WHERE leased_until IS NOT NULL")).scalar()
            == 2
        )
    assert kiosk.worker.free_stale_leases() == 2
    link.proxy.set("pass")
    kiosk.drain()
    assert link.ledger.reconciliation(TERMINAL).payments == 2


def test_a_skewed_terminal_clock_is_corrected_from_the_ledger(kiosk: Kiosk, link: Link) -> None:
    import time as wall

    from kiosk.domain.clock import ManualClock

    ids = pay_some(kiosk, 1)
    kiosk.client.clock = ManualClock(start=wall.time() + 3600)  # an hour fast: over 300 s
    kiosk.drain()
    assert abs(kiosk.client.clock_offset + 3600) < 5
    assert_exactly_once(kiosk, link, ids)


def test_online_account_check_gives_limits_and_offline_falls_back_to_rules(
    kiosk: Kiosk, link: Link
) -> None:
    kiosk.worker.step()  # the heartbeat proves the link
    assert kiosk.worker.online
    kiosk.core.choose_service("qplus")
    kiosk.core.enter_account("+77011234567")
    online = kiosk.core.confirm_account()
    assert online.ok and not online.offline and online.headroom is not None
    kiosk.core.cancel()
    link.proxy.set("down")
    kiosk.core.choose_service("qplus")
    kiosk.core.enter_account("+77011234567")
    offline = kiosk.core.confirm_account()
    assert offline.ok and offline.offline


def test_offline_limits_stop_cash_and_the_link_coming_back_restores_it(
    kiosk: Kiosk, link: Link
) -> None:
    import dataclasses

    from kiosk.core import NotAvailable

    availability = kiosk.core.availability  # the part that applies the offline stop rule
    availability.policy = dataclasses.replace(availability.policy, max_count=3)
    link.proxy.set("down")
    kiosk.worker.step()
    pay_some(kiosk, 3)
    with pytest.raises(NotAvailable) as refused:
        kiosk.core.choose_service("beeline")
    assert refused.value.reasons == ("offline_limits",)
    assert kiosk.core.faults["offline_limits"] == "too many payments waiting for the ledger"
    link.proxy.set("pass")
    kiosk.drain()
    kiosk.core.refresh_availability()
    assert kiosk.core.in_service
    pay_some(kiosk, 1)


def test_oldest_waiting_payment_too_old_stops_cash(kiosk: Kiosk, link: Link) -> None:
    from kiosk.core import NotAvailable

    link.proxy.set("down")
    pay_some(kiosk, 1)
    kiosk.clock.advance(kiosk.core.config.limits.offline_max_age_s + 1)
    with pytest.raises(NotAvailable):
        kiosk.core.choose_service("beeline")
    assert kiosk.core.faults["offline_limits"] == "the oldest waiting payment is too old"


def test_encashment_travels_through_the_same_queue(kiosk: Kiosk, link: Link) -> None:
    pay_some(kiosk, 2)
    encashment = kiosk.core.records.encash(
        int(kiosk.clock.now() * 1000), "CAS-7", "tech-3", TERMINAL
    )
    assert encashment.total == 300000 and encashment.notes == 4
    kiosk.drain()
    kiosk.worker.retry_now()
    kiosk.worker.step()
    with kiosk.store.reading() as s:
        assert (
            s.execute(text("SELECT result FROM outbox WHERE kind = 'encashment'")).scalar()
            == "accepted"
        )


def test_worker_thread_drains_the_queue_and_stops_on_request(
    kiosk: Kiosk, link: Link, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = pay_some(kiosk, 4)
    drained = threading.Event()
    step = kiosk.worker.step

    def step_and_tell() -> bool:
        """The worker's own step, telling the test (from the worker thread) once the queue
        is empty."""
        delivered = step()
        if kiosk.worker.state().pending_count == 0:
            drained.set()
        return delivered

    monkeypatch.setattr(kiosk.worker, "step", step_and_tell)
    stop = threading.Event()
    thread = threading.Thread(target=kiosk.worker.run, args=(stop, 0.05))
    thread.start()
    assert drained.wait(20), f"the worker thread did not drain the queue: {kiosk.worker.state()}"
    stop.set()
    kiosk.worker.wake.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert_exactly_once(kiosk, link, ids)


def test_device_faults_travel_through_the_same_queue_once(kiosk: Kiosk, link: Link) -> None:
    at = int(kiosk.clock.now() * 1000)
    kiosk.core.records.device_event(at, "validator", "validator_jammed", "Jammed(where='acceptor')")
    kiosk.core.records.device_event(at + 5, "validator", "cleared", None)
    kiosk.drain()
    kiosk.worker.retry_now()
    kiosk.worker.step()
    with kiosk.store.reading() as s:
        rows = s.execute(
            text("SELECT result FROM outbox WHERE kind = 'device_event' ORDER BY id")
        ).all()
        bodies = [
            bytes(b)
            for (b,) in s.execute(
                text("SELECT body FROM outbox WHERE kind = 'device_event' ORDER BY id")
            ).all()
        ]
    assert [r[0] for r in rows] == ["accepted", "accepted"]
    # Sent again (an answer lost on the way): the ledger keeps one of each.
    assert kiosk.worker.client.post_device_events(bodies) == ["duplicate", "duplicate"]
