"""A kiosk in the field upgrades in place: reopening migrates and keeps every row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import inspect, text

from kiosk.store.db import Store


def test_first_open_creates_the_schema_at_head_with_durable_settings(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/k.db")
    with store.reading() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "sessions",
        "cash_journal",
        "payments",
        "receipts",
        "outbox",
        "encashments",
        "device_events",
        "stack_orders",
        "session_transitions",
        "counters",
    } <= tables
    store.close()


def test_reopening_keeps_money_rows_and_counters(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/k.db"
    store = Store(url)
    with store.transaction() as s:
        s.execute(
            text(
                "INSERT INTO sessions (operation_id, opened_at, state, language, offline) "
                "VALUES ('op-1', 1, 'done', 'ru', 0)"
            )
        )
        s.execute(
            text(
                "INSERT INTO cash_journal (operation_id, amount, bill_type, stacked_at, "
                "source) VALUES ('op-1', 100000, 2, 1, 'stacked')"
            )
        )
        s.execute(text("UPDATE counters SET value = 41 WHERE name = 'receipt_number'"))
    store.close()
    reopened = Store(url)
    with reopened.reading() as s:
        assert s.execute(text("SELECT amount FROM cash_journal")).scalars().all() == [100000]
        assert (
            s.execute(text("SELECT value FROM counters WHERE name = 'receipt_number'")).scalar()
            == 41
        )
    reopened.close()


def test_a_note_cannot_reference_a_missing_session(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/k.db")
    connection = sqlite3.connect(tmp_path / "k.db")
    connection.execute("PRAGMA foreign_keys = ON")
    try:
        connection.execute(
            "INSERT INTO cash_journal (operation_id, amount, bill_type, stacked_at, "
            "source) VALUES ('nope', 100, 0, 1, 'stacked')"
        )
        connection.commit()
        raised = False
    except sqlite3.IntegrityError:
        raised = True
    assert raised
    store.close()
