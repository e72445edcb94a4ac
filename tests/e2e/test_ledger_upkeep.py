"""What a production kiosk learns from its ledger: where receipt numbers continue after a
reinstall, and the catalog, changed on the ledger, reaching the kiosk between customers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk.app import Kiosk
from kiosk.catalog_file import load_catalog
from kiosk.domain.money import Money
from kiosk.remote import NUMBERING_REASON, CatalogKeeper
from kiosk.store.models import CashEntry
from sync.client import CatalogAnswer
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.e2e.helpers import NUMBERS, TERMINAL, pay, start, terminal_config, wait_until
from tests.tlsutil import make_ca_and_server_cert


def receipt_of(kiosk: Kiosk, operation_id: str) -> int:
    payment = kiosk.core.records.payment_of(operation_id)
    assert payment is not None
    return int(payment.receipt_number)


def delivered(kiosk: Kiosk) -> bool:
    return (
        kiosk.worker is not None and kiosk.worker.online and kiosk.worker.state().pending_count == 0
    )


def test_a_reinstalled_kiosk_continues_the_receipt_numbers_the_ledger_has(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str]
) -> None:
    books, url, ca, secret = ledger
    config = terminal_config(tmp_path, url, ca, secret)
    kiosk = start(config)
    try:
        first = [pay(kiosk, number, 1000) for number in NUMBERS]
        wait_until(lambda: delivered(kiosk), "the payments to reach the ledger")
        numbers = [receipt_of(kiosk, operation_id) for operation_id in first]
    finally:
        kiosk.stop()
    assert numbers == [1, 2]

    shutil.rmtree(tmp_path / "state")  # the kiosk PC is reinstalled: a new, empty database
    kiosk = start(config)
    try:
        wait_until(lambda: kiosk.core.in_service, "the ledger to confirm the numbering")
        again = pay(kiosk, NUMBERS[0], 500)
        assert receipt_of(kiosk, again) == 3
        wait_until(lambda: delivered(kiosk), "the new payment to reach the ledger")
    finally:
        kiosk.stop()
    assert books.reconciliation(TERMINAL).payments == 3
    assert books.payment(again) is not None and books.audit().balanced


def test_a_new_database_takes_no_cash_until_the_ledger_has_answered(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str]
) -> None:
    _books, url, ca, secret = ledger
    config = terminal_config(tmp_path, "https://127.0.0.1:9", ca, secret)  # nobody there
    kiosk = start(config)
    try:
        assert NUMBERING_REASON in kiosk.core.faults
        assert not kiosk.core.snapshot().in_service
    finally:
        kiosk.stop()
    kiosk = start(terminal_config(tmp_path, url, ca, secret))
    try:
        wait_until(lambda: kiosk.core.in_service, "the numbering to be confirmed")
    finally:
        kiosk.stop()


def cheaper_catalog(path: Path) -> Path:
    data = json.loads(
        (Path(__file__).parents[2] / "kiosk" / "data" / "catalog.json").read_text(encoding="utf-8")
    )
    data["version"] = data["version"] + "-b"
    for service in data["services"]:
        service["commission"] = "free"  # the agent waives commission everywhere
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_catalog_changed_on_the_ledger_reaches_the_kiosk_and_is_kept(tmp_path: Path) -> None:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "pki")
    served = cheaper_catalog(tmp_path / "catalog.json")
    books = Ledger.open(f"sqlite:///{tmp_path / 'ledger.db'}", catalog_path=served)
    secret = books.add_terminal(TERMINAL)
    try:
        with LedgerThread(books, certfile=cert, keyfile=key) as server:
            config = terminal_config(tmp_path, server.url, ca, secret)
            kiosk = start(config)
            try:
                assert load_catalog().get("qplus").commission.breakdown(
                    Money(100_000)
                ).commission > Money(0)
                wait_until(
                    lambda: kiosk.core.catalog.version.endswith("-b"), "the ledger's catalog"
                )
                # The commission waived on the ledger is what the next customer is shown.
                assert kiosk.runner is not None
                kiosk.runner.call(kiosk.core.choose_service, "qplus")
                assert kiosk.core.catalog.get("qplus").commission.breakdown(
                    Money(100_000)
                ).commission == Money(0)
            finally:
                kiosk.stop()
        # The ledger is gone: the next start uses the last good catalog kept on disk.
        kiosk = start(terminal_config(tmp_path, "https://127.0.0.1:9", ca, secret))
        try:
            assert kiosk.core.catalog.version.endswith("-b")
        finally:
            kiosk.stop()
    finally:
        books.close()


class Serving:
    """A client that answers the catalog request with fixed bytes."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get_catalog(self, etag: str | None) -> CatalogAnswer | None:
        return CatalogAnswer("W/1", self.body, None)


@pytest.mark.parametrize(
    "body", [b"garbage", b"[]", b'{"version": "x", "services": []}', b'{"version": 1}']
)
def test_a_bad_catalog_from_the_ledger_is_refused_and_the_current_one_stays(
    tmp_path: Path, body: bytes
) -> None:
    keeper = CatalogKeeper(tmp_path)
    assert keeper.fetch(Serving(body)) is None  # type: ignore[arg-type]
    assert not (tmp_path / "catalog.json").exists()
    good = (Path(__file__).parents[2] / "kiosk" / "data" / "catalog.json").read_bytes()
    assert keeper.fetch(Serving(good)) == load_catalog()  # type: ignore[arg-type]
    assert keeper.cached() == load_catalog()
    assert (tmp_path / "catalog.json").stat().st_mode & 0o077 == 0


def test_a_new_catalog_waits_for_the_customer_on_the_screens(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str]
) -> None:
    books, url, ca, secret = ledger
    kiosk = start(terminal_config(tmp_path, url, ca, secret))
    try:
        runner, core = kiosk.runner, kiosk.core
        assert runner is not None
        wait_until(lambda: core.in_service, "the kiosk to open")
        old = core.catalog
        new: Any = type(old)(version=old.version + "-new", services=old.services)
        runner.call(core.choose_service, "kaspi")
        assert runner.call(core.offer_catalog, new) is False  # a customer is on the screens
        assert core.catalog is old
        runner.call(core.cancel)
        runner.call(core.tick)
        assert core.catalog.version == new.version
        assert runner.call(core.snapshot).catalog == new
    finally:
        kiosk.stop()


def test_a_reinstalled_kiosks_device_events_and_encashments_are_not_taken_for_old_ones(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str]
) -> None:
    books, url, ca, secret = ledger
    config = terminal_config(tmp_path, url, ca, secret)

    def report_and_collect() -> None:
        kiosk = start(config)
        try:
            runner = kiosk.runner
            assert runner is not None
            wait_until(lambda: kiosk.core.in_service, "the kiosk to open")
            now_ms = int(kiosk.clock.now() * 1000)
            kiosk.core.records.device_event(now_ms, "validator", "validator_jammed", "test")
            # A note in the cassette: the ledger refuses an empty encashment (decision 014).
            with kiosk.core.records.store.transaction() as s:
                s.add(CashEntry(amount=100_000, bill_type=2, stacked_at=now_ms, source="late"))
            runner.call(kiosk.core.encash, "CAS-1", "tech-1")
            assert kiosk.worker is not None
            kiosk.worker.retry_now()
            wait_until(
                lambda: (
                    not [e for e in kiosk.core.records.outbox_entries() if e.state == "waiting"]
                ),
                "the reports to be sent",
            )
            # Answered "accepted": none was taken for the previous installation's report.
            assert kiosk.core.records.outbox_entries() == []
        finally:
            kiosk.stop()

    report_and_collect()
    shutil.rmtree(tmp_path / "state")  # reinstalled: the local ids start from 1 again
    report_and_collect()
    assert books.audit().balanced
