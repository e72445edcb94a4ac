"""The kiosk's logs: JSON lines (the domain's :mod:`kiosk.domain.logfmt`) to a rotating,
private file, or to stderr.

The vocabulary (``log_event``, the formatter, masking) is the domain's, shared with the
ledger, and the kiosk's modules log through it; this module adds only where the kiosk's lines
go.
"""

from __future__ import annotations

import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kiosk.domain.logfmt import StderrHandler, install_handler, level_number

__all__ = ["DEFAULT_BACKUPS", "DEFAULT_MAX_BYTES", "setup_logging"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_BACKUPS = 10


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files only the kiosk's user can read (0600, directory 0700):
    the log names terminals, operations and devices."""

    def _open(self):  # type: ignore[no-untyped-def]  # typeshed's return type is private
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(
    path: Path | None,
    level: str = "INFO",
    max_bytes: int = DEFAULT_MAX_BYTES,
    backups: int = DEFAULT_BACKUPS,
) -> None:
    """Send all logging to ``path`` (rotated by size) or to stderr when None, as JSON lines.

    Calling it again replaces the handler it installed before, so handlers never double.
    """
    level_number(level)  # an unknown level is refused before a file is created
    if path is None:
        install_handler(StderrHandler(), level)
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    install_handler(
        _PrivateRotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
        ),
        level,
    )
