"""Opening the kiosk database: SQLite in WAL mode with synchronous=FULL, migrated in place.

Every write transaction starts with ``BEGIN IMMEDIATE`` so the core and the sync worker
never deadlock upgrading a read lock, and commits are durable when ``commit()`` returns.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 2000
# Room for one customer session (transitions, orders, notes, payment, receipt, outbox).
PROBE_BYTES = 16 * 1024


class StoreError(Exception):
    """The local store cannot record money. ``kind`` is what a technician checks."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


def classify(exc: BaseException) -> StoreError:
    """Turn a database failure into a StoreError naming the cause (locked, read-only, full)."""
    text_ = str(getattr(exc, "orig", exc) or exc).lower()
    if "locked" in text_ or "busy" in text_:
        return StoreError("database locked", text_)
    if "readonly" in text_ or "read-only" in text_ or "read only" in text_:
        return StoreError("database read-only", text_)
    if "full" in text_ or "no space" in text_:
        return StoreError("disk full", text_)
    if "disk i/o" in text_ or "malformed" in text_ or "unable to open" in text_:
        return StoreError("storage failure", text_)
    return StoreError("database error", text_)


def _pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    return on_connect


def _on_begin(connection: Any) -> None:
    # Writers take the write lock up front; readers never block a writer (WAL).
    if connection.get_execution_options().get("kiosk_read_only"):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_store_engine(url: str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine for a ``sqlite:///PATH`` URL with the kiosk's durability settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise StoreError("bad storage url", f"the kiosk store is SQLite, got {url!r}")
    database = parsed.database
    if database and database != ":memory:":
        # Money records are the kiosk user's alone: directory 0700, file 0600 (SQLite gives
        # its -wal and -shm files the database file's mode).
        Path(database).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _pragmas(busy_timeout_ms))
    event.listen(engine, "begin", _on_begin)
    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, keeping every row (upgrade in place)."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """The database handle shared by the core and the sync worker (one Session each)."""

    def __init__(self, url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.url = url
        database = make_url(url).database
        # Where the kiosk keeps its other state files (the last good catalog).
        self.directory = (
            Path(database).resolve().parent if database and database != ":memory:" else Path.cwd()
        )
        self.engine = create_store_engine(url, busy_timeout_ms)
        try:
            migrate(self.engine)
        except (OperationalError, DBAPIError) as exc:
            raise classify(exc) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(
            self.engine.execution_options(kiosk_read_only=True), expire_on_commit=False
        )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One durable write transaction; database failures surface as StoreError."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (OperationalError, DBAPIError) as exc:
            raise classify(exc) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        try:
            with self._readers() as session:
                yield session
        except (OperationalError, DBAPIError) as exc:
            raise classify(exc) from exc

    def quick_check(self) -> None:
        """``PRAGMA quick_check`` at start: a damaged database stops the kiosk before it
        takes cash (StoreError kind "database damaged", with what to do)."""
        try:
            with self.engine.connect() as connection:
                rows = [
                    str(row[0])
                    for row in connection.exec_driver_sql("PRAGMA quick_check").fetchmany(5)
                ]
        except (OperationalError, DBAPIError) as exc:
            failure = classify(exc)
            if failure.kind != "storage failure":
                raise failure from exc
            rows = [failure.args[0]]
        if rows != ["ok"]:
            raise StoreError(
                "database damaged",
                f"{self.url} fails its integrity check ({'; '.join(rows)[:200]}): "
                "stop the kiosk, keep the file for the payment agent, and restore "
                "it from backup or move it aside to start a new one (receipt "
                "numbers continue from the ledger)",
            )

    def check_writable(self) -> None:
        """Prove a session's worth of writes has room now (used before taking cash): write a
        few pages and roll them back. Raises StoreError when locked, read-only or full."""
        try:
            with self.engine.connect() as connection, connection.begin() as transaction:
                connection.execute(
                    text(
                        "INSERT INTO device_events (at, device, kind, detail) "
                        "VALUES (0, 'store', 'probe', :filler)"
                    ),
                    {"filler": "x" * PROBE_BYTES},
                )
                transaction.rollback()
        except (OperationalError, DBAPIError) as exc:
            raise classify(exc) from exc

    def close(self) -> None:
        self.engine.dispose()
