"""Production never loads simulation: what ``kiosk run`` and ``kiosk ledger serve`` import,
checked in a fresh interpreter; and no production module names the harness or the device
harness in an import at all (a lazy import would pass the first check)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

# Modules that exist only to simulate devices, networks or customers: the two packages (a
# name covers its submodules), and their modules named one by one so a move out of them is seen.
SIMULATION = (
    "drivers.sim",
    "drivers.sim.printer",
    "drivers.sim.bill.ccnet",
    "drivers.sim.bill.mechanics",
    "drivers.sim.bill.control",
    "drivers.sim.bill.ccnet_backend",
    "drivers.sim.bill.id003",
    "drivers.sim.bill.id003_backend",
    "drivers.sim.bill.ssp",
    "drivers.sim.bill.ssp_backend",
    "kiosk.sim",
    "kiosk.sim.simulate",
    "kiosk.sim.day",
    "kiosk.sim.campaign",
    "kiosk.sim.killcampaign",
    "kiosk.sim.killchild",
    "kiosk.sim.ledger_link",
    "kiosk.sim.faultproxy",
    "kiosk.sim.invariants",
    "kiosk.sim.ui",
    "kiosk.sim.ui.day",
    "kiosk.sim.ui.demo",
    "kiosk.sim.ui.screenshots",
    "kiosk.sim.ui.simulator_vm",
    "kiosk.sim.ui.window",
    "kiosk.sim.journey",
    "kiosk.sim.ui.journey_player",
)
ROOT = Path(__file__).resolve().parents[2]
# The production packages' source (the simulation packages and the commands that run them
# excepted: ``kiosk simulate``, ``kiosk demo``, ``kiosk screenshots`` import the harness lazily,
# ``kiosk device serve`` the device simulators).
PRODUCTION_SOURCES = ("ui", "kiosk", "drivers", "sync")
HARNESS_COMMANDS = (
    "kiosk/cli/simulate_cmd.py",
    "kiosk/cli/demo_cmd.py",
    "kiosk/cli/ui_cmd.py",
    "kiosk/cli/device_cmd.py",
    "kiosk/cli/journey_cmd.py",
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
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


def simulation_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == s or m.startswith(s + ".") for s in SIMULATION)]


@pytest.mark.parametrize(
    ("name", "script"), [("kiosk run", KIOSK_RUN), ("kiosk ledger serve", LEDGER_SERVE)]
)
def test_production_start_loads_no_simulator_harness_or_fault_proxy(name: str, script: str) -> None:
    assert simulation_in(loaded(script)) == [], name


def test_the_ledger_server_runs_without_qt() -> None:
    assert not [m for m in loaded(LEDGER_SERVE) if m.startswith("PySide6")]


def test_the_command_table_names_every_served_simulator() -> None:
    from drivers.sim.run import SIMULATORS
    from kiosk.cli.device_cmd import SERVED_ACCEPTORS

    assert tuple(sorted(SIMULATORS)) == SERVED_ACCEPTORS


def imported_names(path: Path) -> set[str]:
    """Every module an ``import`` or ``from … import`` in ``path`` names, lazy ones too."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def production_files() -> list[Path]:
    files = []
    for package in PRODUCTION_SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative.startswith(("kiosk/sim/", "drivers/sim/")) or relative in HARNESS_COMMANDS:
                continue
            files.append(path)
    return files


def test_no_production_module_imports_the_harness() -> None:
    """The harness is the top layer: the window, the core, the drivers and the sync client
    never reach up into it (the drivers' lazy imports of their simulated backends, for the
    configured ``sim`` protocol and the loopback printer, are the device simulators' own)."""
    offenders = {
        path.relative_to(ROOT).as_posix(): sorted(
            name
            for name in imported_names(path)
            if name == "kiosk.sim" or name.startswith("kiosk.sim.")
        )
        for path in production_files()
    }
    assert len(offenders) > 50  # the scan saw the tree
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_window_package_holds_no_harness_part() -> None:
    """The demo, its simulator panel, the UI day and the screenshots live in kiosk.sim.ui."""
    moved = ("simday.py", "demo.py", "screenshots.py", "simulator_vm.py", "app.py")
    assert [name for name in moved if (ROOT / "ui" / name).exists()] == []
