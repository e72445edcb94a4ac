"""The ledger's logs: JSON lines on stderr (the domain's :mod:`kiosk.domain.logfmt`).

A service manager (systemd, a container runtime) keeps stderr; the ledger writes no log
files. The kiosk's rotating files are :mod:`kiosk.logs`, which the ledger does not import.
"""

from __future__ import annotations

from kiosk.domain.logfmt import StderrHandler, install_handler


def setup_logging(level: str = "INFO") -> None:
    """Send all logging to stderr as JSON lines at ``level`` (ValueError for an unknown one);
    calling it again replaces the handler installed before."""
    install_handler(StderrHandler(), level)
