"""What the kiosk learns from its ledger besides answers about payments: where receipt
numbers continue on a new database (a reinstall), and the service catalog.

* **Receipt numbering.** A database that has never issued a receipt, on a terminal that has
  a ledger, asks the ledger for the highest receipt number and operation sequence it holds
  from this terminal and continues after them, so a reinstalled kiosk never reuses a
  number. Until the ledger has answered once, the kiosk takes no cash (reason
  ``receipt_numbering``).
* **Catalog.** ``GET /v1/catalog`` with ``If-None-Match``; a new catalog is validated with
  the same rules as the shipped file, kept on disk as the last good one (used at the next
  start, before the ledger is reached), and handed to the core, which swaps it in between
  customers. A bad or unreachable catalog never takes the kiosk out of service.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.catalog_file import load_catalog
from kiosk.checks import LinkDown
from kiosk.domain.catalog import Catalog, CatalogError, parse_catalog
from kiosk.domain.logfmt import log_event
from kiosk.store.records import Records
from sync.client import LedgerClient, Refused

log = logging.getLogger("kiosk.remote")

NUMBERING_REASON = "receipt_numbering"
CATALOG_FILE = "catalog.json"
ETAG_FILE = "catalog.etag"
FIRST_CONTACT_RETRY_S = 5.0


def settle_numbering(records: Records, client: LedgerClient) -> bool:
    """Make sure this database's receipt numbers continue the ledger's. True once settled
    (now or before); False when the ledger could not be asked (try again later)."""
    if records.numbering_settled():
        return True
    try:
        answer = client.reconciliation()
        receipt = int(answer["highest_receipt_number"])
        sequence = int(answer["highest_local_seq"])
    except (LinkDown, Refused) as exc:
        log_event(
            log,
            "cannot confirm receipt numbering with the ledger yet",
            logging.WARNING,
            error=str(exc),
        )
        return False
    except (KeyError, TypeError, ValueError) as exc:
        log_event(
            log, "the ledger's reconciliation answer is malformed", logging.ERROR, error=repr(exc)
        )
        return False
    if receipt < 0 or sequence < 0:
        log_event(
            log,
            "the ledger's reconciliation answer is negative",
            logging.ERROR,
            receipt=receipt,
            sequence=sequence,
        )
        return False
    records.continue_numbering(receipt, sequence)
    if receipt or sequence:
        log_event(
            log,
            "new database: receipt numbers continue the ledger's",
            logging.WARNING,
            after_receipt=receipt,
            after_local_seq=sequence,
        )
    return True


@dataclass
class CatalogKeeper:
    """The last good catalog on disk (``directory``) and its ETag."""

    directory: Path

    def cached(self) -> Catalog | None:
        """The catalog last fetched from the ledger, if one is kept and still valid."""
        path = self.directory / CATALOG_FILE
        if not path.exists():
            return None
        try:
            return load_catalog(path)
        except CatalogError as exc:
            log_event(
                log, "kept catalog unusable: using the shipped one", logging.WARNING, error=str(exc)
            )
            return None

    def _etag(self) -> str | None:
        try:
            return (self.directory / ETAG_FILE).read_text("ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def fetch(self, client: LedgerClient) -> Catalog | None:
        """A new valid catalog from the ledger, kept on disk; None when unchanged, invalid
        or unreachable (the current catalog stays)."""
        etag = self._etag() if (self.directory / CATALOG_FILE).exists() else None
        try:
            answer = client.get_catalog(etag)
        except (LinkDown, Refused) as exc:
            log_event(log, "catalog not fetched", logging.INFO, error=str(exc))
            return None
        if answer is None:
            return None
        try:
            data = json.loads(answer.body)
            if not isinstance(data, dict):
                raise CatalogError("the top level must be a JSON object")
            catalog = parse_catalog(data)
        except (ValueError, CatalogError) as exc:
            log_event(
                log,
                "ledger served a bad catalog: kept the current one",
                logging.ERROR,
                error=str(exc)[:300],
            )
            return None
        self._keep(answer.body, answer.etag)
        return catalog

    def _keep(self, body: bytes, etag: str | None) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name, data in (
            (CATALOG_FILE, body),
            (ETAG_FILE, (etag or "").encode("ascii", "replace")),
        ):
            path = self.directory / name
            tmp = path.with_suffix(path.suffix + ".tmp")
            descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)


class LedgerUpkeep:
    """A thread of its own (with its own HTTP client): receipt numbering at first contact,
    then the catalog every ``refresh_s``. ``submit`` runs a function on the core thread."""

    def __init__(
        self,
        records: Records,
        client: LedgerClient,
        keeper: CatalogKeeper | None,
        *,
        refresh_s: float,
        submit: Callable[..., object],
    ) -> None:
        self.records = records
        self.client = client
        self.keeper = keeper
        self.refresh_s = refresh_s
        self.submit = submit
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ledger-upkeep", daemon=True)

    def start(self) -> LedgerUpkeep:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        self.client.close()

    def _run(self) -> None:
        while not settle_numbering(self.records, self.client):
            if self._stop.wait(FIRST_CONTACT_RETRY_S):
                return
        self.submit(lambda core: core.release(NUMBERING_REASON))
        while not self._stop.is_set():
            if self.keeper is not None:
                catalog = self.keeper.fetch(self.client)
                if catalog is not None:
                    self.submit(lambda core, catalog=catalog: core.offer_catalog(catalog))
            self._stop.wait(self.refresh_s)
