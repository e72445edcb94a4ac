"""Self-service cash payment terminal: domain, core and application."""

from kiosk.domain.version import __version__

__all__ = ["__version__"]
