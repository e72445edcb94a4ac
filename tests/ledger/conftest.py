"""Fixtures for the ledger tests: ledgers on SQLite files and on a private PostgreSQL cluster.

The PostgreSQL tests skip with the reason where the server binaries are missing, except on
CI (CI=true), where a missing PostgreSQL fails them: CI must test the real server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from sync.ledger.app import create_app
from sync.ledger.sealing import KEY_ENV
from sync.ledger.service import Ledger
from tests.ledger.helpers import (
    OTHER_TERMINAL,
    TERMINAL,
    WMK_PURSE,
    TerminalClient,
    require_postgres,
)
from tests.ledger.pgcluster import PrivateCluster, missing_reason

WALLETS = {
    "wallets": [
        {
            "service": "qplus",
            "account": "+77011111111",
            "status": "basic",
            "holder": "Aigerim Seitkali",
            "balance": 10_000_000,
        },
        {"service": "qplus", "account": "+77012222222", "status": "minimal", "state": "blocked"},
        {"service": "qplus", "account": "+77013333333", "status": "minimal", "state": "inactive"},
        {
            "service": "kaspi",
            "account": "+77014444444",
            "status": "professional",
            "holder": "Dias Nurlanov",
        },
        {"service": "wmk", "account": WMK_PURSE, "status": "minimal", "holder": "Erlan"},
    ]
}


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PrivateCluster]:
    require_postgres(missing_reason())
    cluster = PrivateCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=1_767_261_600.0)  # 2026-01-01T10:00:00Z


@pytest.fixture
def wallet_file(tmp_path: Path) -> Path:
    path = tmp_path / "wallets.json"
    path.write_text(json.dumps(WALLETS), "utf-8")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
def pg_secrets_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The secrets key file of this test's PostgreSQL ledgers, named by the environment so
    that ``kiosk ledger`` children started by the test find it too (made on first use)."""
    path = tmp_path / "pg-secrets.key"
    monkeypatch.setenv(KEY_ENV, str(path))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh ledger database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    cluster: PrivateCluster = request.getfixturevalue("pg_cluster")
    request.getfixturevalue("pg_secrets_key")
    return cluster.create_database()


@pytest.fixture
def make_ledger(
    clock: ManualClock, wallet_file: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Ledger]]:
    opened: list[Ledger] = []

    def make(url: str, **kwargs: Any) -> Ledger:
        if url.startswith("postgresql") and "secrets_key_file" not in kwargs:
            request.getfixturevalue("pg_secrets_key")
        kwargs.setdefault("wallets", wallet_file)
        kwargs.setdefault("mrp", Money(432_500))
        ledger = Ledger.open(url, clock=clock, **kwargs)
        opened.append(ledger)
        return ledger

    yield make
    for ledger in opened:
        ledger.close()


@pytest.fixture
def ledger(make_ledger: Callable[..., Ledger], sqlite_url: str) -> Ledger:
    """A ledger on a SQLite file with the test wallets and two terminals."""
    return make_ledger(sqlite_url)


@pytest.fixture
def secrets(ledger: Ledger) -> dict[str, str]:
    return {
        TERMINAL: ledger.add_terminal(TERMINAL),
        OTHER_TERMINAL: ledger.add_terminal(OTHER_TERMINAL),
    }


@pytest.fixture
def client(ledger: Ledger, secrets: dict[str, str], clock: ManualClock) -> Iterator[TerminalClient]:
    """A signed client for TERMINAL over the in-process ASGI app (no sockets)."""
    test_client = TestClient(create_app(ledger))
    terminal = TerminalClient("http://ledger", TERMINAL, secrets[TERMINAL], clock.now)
    terminal.http = test_client  # TestClient is an httpx.Client over the ASGI app
    yield terminal
    test_client.close()


@pytest.fixture
def other_client(
    ledger: Ledger, secrets: dict[str, str], clock: ManualClock
) -> Iterator[TerminalClient]:
    test_client = TestClient(create_app(ledger))
    terminal = TerminalClient("http://ledger", OTHER_TERMINAL, secrets[OTHER_TERMINAL], clock.now)
    terminal.http = test_client
    yield terminal
    test_client.close()
