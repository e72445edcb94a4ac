"""The durable local store: SQLite (WAL, synchronous=FULL) with Alembic migrations."""

from kiosk.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
