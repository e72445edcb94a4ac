"""Fixtures for end-to-end tests of a kiosk built as ``kiosk run`` builds it: the configured
ledger over HTTPS (a private CA)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.e2e.helpers import TERMINAL
from tests.tlsutil import make_ca_and_server_cert


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[tuple[Ledger, str, Path, str]]:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "pki")
    books = Ledger.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    secret = books.add_terminal(TERMINAL)
    with LedgerThread(books, certfile=cert, keyfile=key) as server:
        yield books, server.url, ca, secret
    books.close()
