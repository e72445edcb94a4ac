"""A kiosk built as ``kiosk run`` builds it, with in-process simulated devices, and a customer
paying at it: shared by the end-to-end tests (the ledger fixture is in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import drivers.bill
from drivers.transport import SystemClock as DeviceClock
from kiosk.app import Devices, Kiosk, build_kiosk, remote_ledger
from kiosk.config import Config, parse_config
from tests.waiting import Snapshots, wait_for

TERMINAL = "KZ-ALA-0001"
NUMBERS = ("+77011234567", "+77051234567")


def terminal_config(tmp_path: Path, url: str, ca: Path, secret: str) -> Config:
    secret_file = tmp_path / "ledger.secret"
    secret_file.write_text(secret + "\n")
    secret_file.chmod(0o600)
    return parse_config(
        {
            "terminal": {
                "id": TERMINAL,
                "address": "Almaty, Abay Ave 10",
                "agent_name": "Demo Payments LLP",
                "agent_bin": "060640010247",
                "support_phone": "+7 727 000 00 00",
            },
            "devices": {"validator": {"protocol": "sim"}},
            "ledger": {
                "url": url,
                "secret_file": str(secret_file),
                "ca_file": str(ca),
                "heartbeat_s": 5,
                "timeout_s": 5,
            },
            "storage": {"url": f"sqlite:///{tmp_path / 'state' / 'kiosk.db'}"},
            "limits": {"mrp": 432_500},
        },
        source="<test>",
    )


def start(config: Config) -> Kiosk:
    acceptor = drivers.bill.open("sim", clock=DeviceClock(), poll_interval=0.02, seed=3)
    kiosk = build_kiosk(config, Devices(acceptor, None), remote_ledger(config), tick_s=0.05)
    kiosk.start(threaded=True)
    return kiosk


def wait_until(condition: Callable[[], object], what: str, timeout: float = 30.0) -> None:
    """Wait for a state of the running kiosk (its threads, the ledger it talks to) that
    nothing announces: through the one polling helper, :func:`tests.waiting.wait_for`."""
    wait_for(condition, timeout, what)


def pay(kiosk: Kiosk, number: str, tenge: int) -> str:
    runner, core = kiosk.runner, kiosk.core
    assert runner is not None
    operation_id = runner.call(core.choose_service, "kaspi")
    assert runner.call(core.enter_account, number).ok
    runner.call(core.confirm_account)
    runner.call(core.start_cash)
    device: Any = kiosk.acceptor.device  # type: ignore[attr-defined]
    snapshots = Snapshots(core, partial(runner.call, core.snapshot))
    wait_until(lambda: tenge * 100 in device.enabled_amounts, "the note to be enabled")
    device.insert(tenge * 100)
    snapshots.wait(lambda snapshot: bool(snapshot.notes), 30.0, "the note to stack")
    runner.call(core.pay)
    runner.call(core.finish)
    return str(operation_id)
