"""Opening the ledger database: SQLite (default) or PostgreSQL, migrated with Alembic.

SQLite runs in WAL mode with synchronous=FULL, and every write transaction starts with
``BEGIN IMMEDIATE`` so concurrent writers (threads or processes) queue on the lock instead
of failing on an upgrade. PostgreSQL uses ``postgresql+psycopg://`` URLs at READ COMMITTED;
writers lock the rows they change (see :mod:`sync.ledger.posting`); sessions plan with
``random_page_cost=1.1`` (see ``PG_SESSION_OPTIONS``).
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import ArgumentError

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "ledger_alembic_version"
SQLITE_BUSY_TIMEOUT_MS = 30_000
DEFAULT_URL = "sqlite:///ledger.db"
# The batch path looks up ~100 keys per statement. With the default random_page_cost (4,
# spinning disks) the planner prefers a sequential scan up to tens of thousands of rows,
# and a batch's cost grew with the table; 1.1 is the usual value for SSDs and cached data.
PG_SESSION_OPTIONS = "-c random_page_cost=1.1"


class LedgerDatabaseError(Exception):
    """The ledger database URL cannot be used; the message says what to change."""


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's begin event emit BEGIN itself (pysqlite's own handling defers it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Writers take the write lock up front; readers never block a writer (WAL).
    if connection.get_execution_options().get("ledger_read_only"):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def private_database_file(path: Path) -> None:
    """Make the SQLite file (and its journals) readable by its owner only: it holds the
    books and the sealed terminal secrets. Created 0600 before SQLite opens it (SQLite
    gives its WAL and shared-memory files the database file's mode); an older, looser
    file is tightened."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise LedgerDatabaseError(
            f"cannot create the ledger database file {path}: {exc.strerror}"
        ) from exc
    for name in (path, *(path.with_name(path.name + tail) for tail in ("-wal", "-shm"))):
        try:
            if stat.S_IMODE(name.stat().st_mode) & 0o077:
                os.chmod(name, 0o600)
        except OSError:
            pass  # gone, or not ours to change: SQLite reports what it cannot open


def create_ledger_engine(url: str) -> Engine:
    """An engine for ``sqlite:///PATH`` or ``postgresql+psycopg://…`` with the ledger's settings."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise LedgerDatabaseError(f"ledger database URL {url!r} is not a URL: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and "mode=memory" not in url:
            private_database_file(Path(database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise LedgerDatabaseError(
                f"use the psycopg 3 driver: postgresql+psycopg://… (got {parsed.drivername})"
            )
        # Options given in the URL (?options=...) win over the ledger's planner setting.
        connect_args = {} if "options" in parsed.query else {"options": PG_SESSION_OPTIONS}
        # psycopg pipelines a plain executemany; one huge multi-VALUES statement is slower.
        # No pre-ping (a round trip per checkout): a connection found dead is replaced and
        # the work retried (Ledger._retrying, Ledger._reading).
        return create_engine(
            url, pool_size=8, max_overflow=8, use_insertmanyvalues=False, connect_args=connect_args
        )
    raise LedgerDatabaseError(
        f"the ledger runs on SQLite or PostgreSQL, got {backend!r} in {url!r}"
    )


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the ledger schema to ``revision`` (the newest by default), keeping every row."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
