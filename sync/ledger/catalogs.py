"""Every catalog the ledger served, kept so a payment is checked against the one it names.

The served catalog is recorded when the ledger opens (table ``catalog_versions``, one row
per content). A payment naming a version is checked against that version's catalog (the
served one when the version matches it, else the latest recorded content of that
version); a payment naming none (a kiosk from before the field) against the catalog served
now; a version never served fails the check ``unknown_catalog_version`` (decision 014).

The ledger reads the catalog file it serves here (:class:`CatalogFile`); the rules of a
catalog are the domain's (:mod:`kiosk.domain.catalog`, which does no I/O).

An admin uploads a new catalog (:func:`upload`, ``kiosk ledger catalog upload``): checked
by the same rules, kept with who and when, and served from then on, newer than the file
the ledger was started with (:func:`newest_upload`). A version names one content: a changed
catalog needs a new version.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from kiosk.domain.catalog import Catalog, CatalogError, parse_catalog, parse_catalog_text
from sync.ledger.bulk import insert_rows
from sync.ledger.models import CatalogVersion

CACHED = 64  # catalogs kept parsed; older versions are read again when a payment names them
PACKAGED = "data/catalog.json"  # the catalog shipped inside the kiosk package


@dataclass(frozen=True, slots=True)
class CatalogFile:
    """The catalog served to kiosks: the file's bytes, its version and its ETag."""

    catalog: Catalog
    body: bytes
    etag: str

    @classmethod
    def read(cls, path: Path | None) -> CatalogFile:
        """Read ``path`` (None: the kiosk package's shipped file) once: the bytes served
        are the bytes validated."""
        where = "packaged kiosk/data/catalog.json" if path is None else str(path)
        try:
            if path is None:
                body = resources.files("kiosk").joinpath(PACKAGED).read_bytes()
            else:
                body = path.read_bytes()
            text = body.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CatalogError(
                f"catalog file {path or 'kiosk/data/catalog.json'} cannot be read: {error}"
            ) from error
        catalog = parse_catalog_text(text, where)
        return cls(catalog, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')

    @classmethod
    def parse(cls, body: bytes, where: str) -> CatalogFile:
        """Bytes an admin uploaded, checked by the kiosk's rules."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CatalogError(f"{where} is not UTF-8: {error}") from error
        try:
            catalog = parse_catalog_text(text, where)
        except CatalogError as error:
            if where in str(error):
                raise
            raise CatalogError(f"{where}: {error}") from error
        return cls(catalog, body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


@dataclass(frozen=True, slots=True)
class Upload:
    """A catalog uploaded (or uploaded again: ``new`` False)."""

    version: str
    etag: str
    uploaded_by: str
    uploaded_at: int
    new: bool


def upload(connection: Connection, served: CatalogFile, by: str, now_ms: int) -> Upload:
    """Keep an uploaded catalog as the newest upload. The same content again is uploaded
    again (served once more, e.g. to go back to it); a version already kept with other
    content is refused."""
    if not by.strip() or len(by) > 64:
        raise CatalogError("--by must name who uploads the catalog (1..64 characters)")
    version = served.catalog.version
    rows = connection.execute(
        select(CatalogVersion.etag).where(CatalogVersion.version == version)
    ).all()
    if any(row.etag != served.etag for row in rows):
        raise CatalogError(
            f"catalog version {version!r} is already kept with other content: "
            "give the changed catalog a new version"
        )
    values = {"uploaded_by": by.strip(), "uploaded_at": now_ms}
    if rows:
        connection.execute(
            update(CatalogVersion).where(CatalogVersion.etag == served.etag).values(values)
        )
    else:
        connection.execute(
            insert(CatalogVersion).values(
                etag=served.etag,
                version=version,
                body=served.body.decode("utf-8"),
                first_served_at=now_ms,
                **values,
            )
        )
    return Upload(version, served.etag, by.strip(), now_ms, new=not rows)


def newest_upload(connection: Connection, after_ms: int) -> tuple[CatalogFile, int] | None:
    """The newest catalog uploaded at or after ``after_ms``, with its upload time."""
    row = connection.execute(
        select(CatalogVersion.body, CatalogVersion.uploaded_at)
        .where(CatalogVersion.uploaded_at.is_not(None), CatalogVersion.uploaded_at >= after_ms)
        .order_by(CatalogVersion.uploaded_at.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    try:
        return CatalogFile.parse(row.body.encode("utf-8"), "uploaded catalog"), row.uploaded_at
    except CatalogError:
        return None  # checked at upload; never served if it no longer passes


def first_served_at(connection: Connection, etag: str) -> int:
    """When the catalog tagged ``etag`` was first recorded (0: never)."""
    value = connection.scalar(
        select(CatalogVersion.first_served_at).where(CatalogVersion.etag == etag)
    )
    return int(value or 0)


class CatalogVersions:
    """The served catalog and the earlier ones payments name, parsed once (thread-safe)."""

    def __init__(self, served: Catalog, etag: str) -> None:
        self.served = served
        self.etag = etag
        self._known: dict[str, Catalog] = {served.version: served}
        self._lock = threading.Lock()

    def record(self, connection: Connection, body: bytes, now_ms: int) -> None:
        """Keep the served catalog's file (once per content)."""
        insert_rows(
            connection,
            CatalogVersion,
            [
                {
                    "etag": self.etag,
                    "version": self.served.version,
                    "body": body.decode("utf-8"),
                    "first_served_at": now_ms,
                }
            ],
            ignore_duplicates=True,
        )

    def missing(self, versions: Iterable[str | None]) -> set[str]:
        """The named versions not parsed yet."""
        with self._lock:
            return {
                version
                for version in versions
                if version is not None and version not in self._known
            }

    def load(self, connection: Connection, versions: set[str]) -> None:
        """Parse the recorded catalogs of these versions (the latest content of each)."""
        if not versions:
            return
        rows = connection.execute(
            select(CatalogVersion.version, CatalogVersion.body)
            .where(CatalogVersion.version.in_(sorted(versions)))
            .order_by(CatalogVersion.first_served_at)
        )
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

    def serve(self, served: Catalog, etag: str) -> None:
        """Serve another catalog from now on (an upload); payments naming none use it."""
        with self._lock:
            self.served, self.etag = served, etag
            self._known[served.version] = served

    def for_payment(self, version: str | None) -> Catalog | None:
        """The catalog to check a payment by; None for a version never served."""
        if version is None:
            return self.served
        with self._lock:
            return self._known.get(version)
