"""The configuration files the config tests read: the shipped example, a minimal file, the
terminal secret (the fixtures in conftest.py write them into a test's folder)."""

from __future__ import annotations

from pathlib import Path

import kiosk

EXAMPLE_PATH = Path(kiosk.__file__).parent / "data" / "example.toml"
EXAMPLE_SECRET_FILE = "/etc/kiosk/ledger.secret"
SECRET = "5f" * 32

# The smallest file the loader accepts: required keys only, everything else defaulted.
MINIMAL_TOML = """\
[terminal]
id = "KZ-ALA-0001"
address = "Almaty, Abay Ave 10"
agent_name = "Demo Payments LLP"
agent_bin = "060640010247"
support_phone = "+7 727 000 00 00"

[devices.validator]
protocol = "ccnet"
port = "/dev/ttyS0"

[limits]
mrp = 432500
"""
