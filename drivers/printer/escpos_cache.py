"""python-escpos' capabilities cache in one owned folder instead of a new one per process.

python-escpos 3.1 (``escpos/capabilities.py``) parses its capabilities YAML at import and
pickles it to ``ESCPOS_CAPABILITIES_PICKLE_DIR``, defaulting to ``tempfile.mkdtemp()``, which
it calls even when the variable is set. Every process thus leaves an empty or one-file folder
in /tmp and never finds its cache: on a kiosk running for months, a slow disk leak and a
YAML parse at every start.

``load_capabilities()`` (run when this module is imported, which ``drivers.printer`` does
before anything of python-escpos) points the cache at ``$XDG_CACHE_HOME/kiosk-terminal/escpos`` (or
``~/.cache/…``), else ``<tmp>/kiosk-terminal-escpos-<uid>``, and lends python-escpos that
folder for its ``mkdtemp()`` call. The cache holds a pickle that python-escpos loads, so a
folder is used only if this user owns it and nobody else can write to it; with none usable,
the folder python-escpos made is removed when the process ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def _candidates() -> list[Path]:
    home_cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [
        Path(home_cache) / "kiosk-terminal" / "escpos",
        Path(tempfile.gettempdir()) / f"kiosk-terminal-escpos-{os.getuid()}",
    ]


def _owned_private(folder: Path) -> bool:
    """This user's folder, no one else may write in it (its pickle is loaded as code)."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and os.access(folder, os.W_OK | os.X_OK)
    )


def cache_folder() -> Path | None:
    """The first usable cache folder (made 0700 when missing), or None."""
    for folder in _candidates():
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if _owned_private(folder):
            return folder
    return None


def load_capabilities() -> None:
    """Import python-escpos' capabilities with its cache in ``cache_folder()``."""
    if "escpos.capabilities" in sys.modules:
        return
    chosen = os.environ.get(ENV)
    folder = Path(chosen) if chosen else cache_folder()
    if folder is not None and not chosen:
        os.environ[ENV] = str(folder)
    real_mkdtemp = tempfile.mkdtemp

    def lend(*args: object, **kwargs: object) -> str:
        if folder is not None:
            return str(folder)
        made = real_mkdtemp()
        atexit.register(shutil.rmtree, made, True)  # no usable folder: leave nothing behind
        return made

    tempfile.mkdtemp = lend  # type: ignore[assignment]
    try:
        import escpos.capabilities  # noqa: F401  (its import is what reads and caches)
    finally:
        tempfile.mkdtemp = real_mkdtemp


load_capabilities()
