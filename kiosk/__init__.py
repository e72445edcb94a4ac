"""Self-service cash payment terminal: domain, core and application."""

__version__ = "0.1.0"
