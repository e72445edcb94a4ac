"""Production never loads simulation: what ``kiosk run`` and ``kiosk ledger serve`` import,
checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Modules that exist only to simulate devices, networks or customers.
SIMULATION = (
    "drivers.sim", "drivers.sim.printer", "drivers.sim.bill.ccnet",
    "drivers.sim.bill.mechanics", "drivers.sim.bill.control", "drivers.sim.bill.ccnet_backend",
    "drivers.sim.bill.id003", "drivers.sim.bill.id003_backend", "drivers.sim.bill.ssp",
    "drivers.sim.bill.ssp_backend", "kiosk.sim.simulate", "kiosk.sim.day", "kiosk.sim.campaign",
    "kiosk.sim.killcampaign", "kiosk.sim.killchild", "kiosk.sim.ledger_link", "kiosk.sim.faultproxy", "ui.demo",
    "ui.simday", "ui.simulator_vm", "ui.screenshots", "ui.app",
)

KIOSK_RUN = """
import json, sys
import kiosk.cli, kiosk.cli.run_cmd, kiosk.app, kiosk.printing, ui.terminal, ui.window
from kiosk.config import parse_config
for protocol in ("ccnet", "id003", "ssp"):
    config = parse_config({
        "terminal": {"id": "KZ-1", "address": "a", "agent_name": "b",
                     "agent_bin": "060640010247", "support_phone": "1"},
        "devices": {"validator": {"protocol": protocol, "port": "socket://127.0.0.1:9"}},
        "limits": {"mrp": 432500}})
    kiosk.app.open_devices(config)
kiosk.cli.build_parser()
print(json.dumps(sorted(sys.modules)))
"""

LEDGER_SERVE = """
import json, sys
import kiosk.cli, kiosk.cli.ledger_cmd, sync.ledger.server, sync.ledger.service, sync.ledger.app
print(json.dumps(sorted(sys.modules)))
"""


def loaded(script: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


def simulation_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == s or m.startswith(s + ".") for s in SIMULATION)]


@pytest.mark.parametrize(("name", "script"), [("kiosk run", KIOSK_RUN),
                                              ("kiosk ledger serve", LEDGER_SERVE)])
def test_production_start_loads_no_simulator_harness_or_fault_proxy(name: str,
                                                                    script: str) -> None:
    assert simulation_in(loaded(script)) == [], name


def test_the_ledger_server_runs_without_qt() -> None:
    assert not [m for m in loaded(LEDGER_SERVE) if m.startswith("PySide6")]


def test_the_command_table_names_every_served_simulator() -> None:
    from drivers.sim.run import SIMULATORS
    from kiosk.cli.device_cmd import SERVED_ACCEPTORS

    assert tuple(sorted(SIMULATORS)) == SERVED_ACCEPTORS
