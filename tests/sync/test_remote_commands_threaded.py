"""A production kiosk (its core and outbox threads, a 5 s heartbeat) over HTTPS to a real
ledger: locked from the ledger, out of service after a heartbeat, back after an unlock, and
the lock kept over a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.availability import LOCKED
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.e2e.helpers import TERMINAL, start, terminal_config, wait_until
from tests.tlsutil import make_ca_and_server_cert


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[tuple[Ledger, str, Path, str]]:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "pki")
    books = Ledger.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    secret = books.add_terminal(TERMINAL)
    with LedgerThread(books, certfile=cert, keyfile=key) as server:
        yield books, server.url, ca, secret
    books.close()


def _states(books: Ledger) -> list[str]:
    return [command.state for command in books.commands(TERMINAL)]


def test_a_running_kiosk_is_locked_and_unlocked_from_the_ledger(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str]
) -> None:
    books, url, ca, secret = ledger
    config = terminal_config(tmp_path, url, ca, secret)
    kiosk = start(config)
    try:
        wait_until(lambda: kiosk.core.in_service, "the kiosk to open")
        books.issue_command(TERMINAL, "lock", by="ops", reason="cash audit")
        wait_until(lambda: LOCKED in kiosk.core.faults, "the lock to arrive", timeout=15)
        wait_until(lambda: _states(books) == ["done"], "the lock to be reported done", timeout=15)
    finally:
        kiosk.stop()
    kiosk = start(config)  # a restart: still locked, before any heartbeat says so
    try:
        assert LOCKED in kiosk.core.faults and not kiosk.core.snapshot().in_service
        books.issue_command(TERMINAL, "unlock", by="ops", reason="audit over")
        wait_until(lambda: kiosk.core.in_service, "the unlock to arrive", timeout=15)
    finally:
        kiosk.stop()
