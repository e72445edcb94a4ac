"""``kiosk ledger terminal add | audit | serve`` errors, the migrations, and the PostgreSQL
fixture's rule (skip locally, fail on CI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from _pytest.outcomes import Failed, Skipped
from sqlalchemy import inspect, update

import kiosk.cli as cli
from sync.ledger.db import create_ledger_engine, migrate
from sync.ledger.models import LedgerAccount
from sync.ledger.service import Ledger
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import TERMINAL, payment, require_postgres


@pytest.fixture
def kiosk_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    return cli.main


def test_terminal_add_prints_a_secret_the_ledger_accepts(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    make_ledger: Callable[..., Ledger],
) -> None:
    assert kiosk_main(["ledger", "terminal", "add", TERMINAL, "--db", sqlite_url]) == 0
    secret = capsys.readouterr().out.strip()
    assert len(secret) == 64
    assert make_ledger(sqlite_url).terminal_secret(TERMINAL) == secret
    assert kiosk_main(["ledger", "terminal", "add", TERMINAL, "--db", sqlite_url]) == 2
    assert "already exists" in capsys.readouterr().err


def test_audit_prints_json_and_exits_1_when_the_books_do_not_balance(
    kiosk_main: Callable[[list[str]], int],
    ledger: Ledger,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger.post_payments(TERMINAL, [payment(1)])
    assert kiosk_main(["ledger", "audit", "--db", sqlite_url]) == 0
    assert '"balanced": true' in capsys.readouterr().out
    with ledger.engine.begin() as connection:  # someone edits a balance by hand
        connection.execute(
            update(LedgerAccount)
            .where(LedgerAccount.kind == "wallet")
            .values(credits_posted=LedgerAccount.credits_posted + 1)
        )
    assert kiosk_main(["ledger", "audit", "--db", sqlite_url]) == 1
    output = capsys.readouterr().out
    assert '"balanced": false' in output and "wallet:kaspi:+77011234567" in output


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--listen", "nowhere"], "HOST:PORT"),
        (["--db", "mysql://x/y"], "SQLite or PostgreSQL"),
        (["--db", "postgresql+psycopg2://x/y"], "psycopg 3"),
        (["--mrp", "0"], "--mrp"),
        (["--max-body", "10"], "--max-body"),
        (["--max-connections", "0"], "--max-connections"),
    ],
)
def test_serve_refuses_bad_arguments_with_one_line(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert kiosk_main(["ledger", "serve", "--db", sqlite_url, *argv]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1


def test_serve_names_a_broken_wallet_file(
    kiosk_main: Callable[[list[str]], int],
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = tmp_path / "w.json"
    broken.write_text(
        '{"wallets": [{"service": "qplus", "account": "+77011111111", "status": "gold"}]}'
    )
    assert kiosk_main(["ledger", "serve", "--db", sqlite_url, "--wallets", str(broken)]) == 2
    assert "wallet #1" in capsys.readouterr().err


def test_migrations_create_the_schema_and_run_again_harmlessly(any_url: str) -> None:
    engine = create_ledger_engine(any_url)
    try:
        migrate(engine)
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {
        "payments",
        "transfers",
        "ledger_accounts",
        "wallets",
        "terminals",
        "heartbeats",
        "encashments",
        "device_events",
        "ledger_alembic_version",
    } <= tables


def test_missing_postgresql_skips_locally_but_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped):
        require_postgres("initdb not found")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed):
        require_postgres("initdb not found")
    require_postgres(None)  # available: neither


def test_a_ledger_of_the_first_schema_upgrades_keeping_its_rows(any_url: str) -> None:
    engine = create_ledger_engine(any_url)
    try:
        migrate(engine, "0001")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO terminals (id, secret, created_at, active) "
                "VALUES ('KZ-OLD-0001', 'abc', 1, true)"
            )
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as connection:
            kept = connection.exec_driver_sql("SELECT id FROM terminals").scalars().all()
    finally:
        engine.dispose()
    assert "device_events" in tables and kept == ["KZ-OLD-0001"]
