"""Every catalog the ledger served, kept so a payment is checked against the one it names.

The served catalog is recorded when the ledger opens (table ``catalog_versions``, one row
per content). A payment naming a version is checked against that version's catalog (the
served one when the version matches it, else the latest recorded content of that
version); a payment naming none (a kiosk from before the field) against the catalog served
now; a version never served fails the check ``unknown_catalog_version`` (decision 014).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable

from sqlalchemy import Connection, select

from kiosk.domain.catalog import Catalog, CatalogError, parse_catalog
from sync.ledger.bulk import insert_rows
from sync.ledger.models import CatalogVersion

CACHED = 64  # catalogs kept parsed; older versions are read again when a payment names them


class CatalogVersions:
    """The served catalog and the earlier ones payments name, parsed once (thread-safe)."""

    def __init__(self, served: Catalog, etag: str) -> None:
        self.served = served
        self.etag = etag
        self._known: dict[str, Catalog] = {served.version: served}
        self._lock = threading.Lock()

    def record(self, connection: Connection, body: bytes, now_ms: int) -> None:
        """Keep the served catalog's file (once per content)."""
        insert_rows(connection, CatalogVersion, [{
            "etag": self.etag, "version": self.served.version,
            "body": body.decode("utf-8"), "first_served_at": now_ms}], ignore_duplicates=True)

    def missing(self, versions: Iterable[str | None]) -> set[str]:
        """The named versions not parsed yet."""
        with self._lock:
            return {version for version in versions
                    if version is not None and version not in self._known}

    def load(self, connection: Connection, versions: set[str]) -> None:
        """Parse the recorded catalogs of these versions (the latest content of each)."""
        if not versions:
            return
        rows = connection.execute(select(CatalogVersion.version, CatalogVersion.body).where(
            CatalogVersion.version.in_(sorted(versions))).order_by(
            CatalogVersion.first_served_at))
        found: dict[str, Catalog] = {}
        for version, body in rows:
            try:
                catalog = parse_catalog(json.loads(body))
            except (CatalogError, ValueError):
                continue  # cannot happen for a file the ledger served; never trusted if so
            if catalog.version == version:
                found[version] = catalog
        with self._lock:
            for version, catalog in found.items():
                if len(self._known) >= CACHED:
                    self._known = {self.served.version: self.served}
                self._known[version] = catalog

    def for_payment(self, version: str | None) -> Catalog | None:
        """The catalog to check a payment by; None for a version never served."""
        if version is None:
            return self.served
        with self._lock:
            return self._known.get(version)
