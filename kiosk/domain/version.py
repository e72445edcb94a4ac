"""The software version, one constant for the kiosk (``kiosk --version``, its heartbeat) and
the ledger (its API's version); packaging reads it from here (pyproject.toml)."""

__version__ = "0.1.0"
