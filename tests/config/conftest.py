"""Fixtures for the configuration, `kiosk config` CLI and structured-log tests."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.config.helpers import EXAMPLE_PATH, EXAMPLE_SECRET_FILE, MINIMAL_TOML, SECRET
from tests.sync.tls_certs import make_tls_files


@pytest.fixture
def minimal_toml() -> str:
    return MINIMAL_TOML


@pytest.fixture
def minimal_data() -> dict[str, Any]:
    """MINIMAL_TOML parsed: a fresh dict each test may change."""
    return tomllib.loads(MINIMAL_TOML)


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE_PATH


@pytest.fixture
def secret_path(tmp_path: Path) -> Path:
    """A terminal secret file as a technician installs it: owner-only (chmod 600)."""
    path = tmp_path / "ledger.secret"
    path.write_text(SECRET + "\n")
    path.chmod(0o600)
    return path


@pytest.fixture
def ca_path(tmp_path: Path) -> Path:
    """A private CA bundle (one PEM certificate) for ``[ledger] ca_file``."""
    return make_tls_files(tmp_path / "tls").ca_file


@pytest.fixture
def installed_example(tmp_path: Path, secret_path: Path) -> Path:
    """The example file on a terminal where its secret file is in place."""
    text = EXAMPLE_PATH.read_text(encoding="utf-8")
    assert EXAMPLE_SECRET_FILE in text
    path = tmp_path / "example.toml"
    path.write_text(text.replace(EXAMPLE_SECRET_FILE, str(secret_path)), encoding="utf-8")
    return path


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write TOML text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "kiosk.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    """Leave the root logger as it was: setup_logging changes process-wide state."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
