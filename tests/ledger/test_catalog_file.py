"""The ledger reads the catalog it serves itself (sync/ledger/catalogs.py, decision 023): the
bytes it serves are the bytes it validated, and a bad file is refused naming the file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.domain.catalog import CatalogError
from sync.ledger.catalogs import CatalogFile

ROOT = Path(__file__).resolve().parents[2]
PACKAGED = ROOT / "kiosk" / "data" / "catalog.json"


def test_the_packaged_catalog_is_served_as_shipped() -> None:
    served = CatalogFile.read(None)
    assert served.body == PACKAGED.read_bytes()
    assert served.catalog == load_catalog()  # the kiosk reads the same rules from the same file
    assert served.etag == '"' + hashlib.sha256(served.body).hexdigest()[:32] + '"'


def test_a_catalog_file_is_served_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_bytes(b"  " + PACKAGED.read_bytes() + b"\n\n")  # spacing is kept, not rewritten
    served = CatalogFile.read(path)
    assert served.body == path.read_bytes()
    assert served.catalog == load_catalog()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "cannot be read"),
        (b"\xff\xfe{}", "cannot be read"),
        (b'{"version": "1",\n "services": [,]}', "is not valid JSON.*line 2"),
        (b"[]", "the top level must be a JSON object"),
    ],
)
def test_a_bad_catalog_file_is_refused_naming_it(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    path = tmp_path / "served.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CatalogError, match=f"served.json.*{problem}|{problem}.*served.json"):
        CatalogFile.read(path)
