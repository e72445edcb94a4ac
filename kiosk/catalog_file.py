"""The kiosk reads its catalog files here: the shipped ``kiosk/data/catalog.json`` or the
last good one kept from the ledger. Validation is the domain's
(:func:`kiosk.domain.catalog.parse_catalog_text`), which does no I/O itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from kiosk.domain.catalog import Catalog, CatalogError, parse_catalog_text

PACKAGED = "data/catalog.json"  # inside the kiosk package


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and validate a catalog file; None reads the packaged ``kiosk/data/catalog.json``."""
    try:
        if path is None:
            text = resources.files("kiosk").joinpath(PACKAGED).read_text("utf-8")
            where = "packaged kiosk/data/catalog.json"
        else:
            text = path.read_text("utf-8")
            where = str(path)
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(
            f"catalog file {path or 'kiosk/data/catalog.json'} cannot be read: {error}"
        ) from error
    return parse_catalog_text(text, where)
