"""Helpers for end-to-end tests of a kiosk built as ``kiosk run`` builds it: the configured
ledger over HTTPS (a private CA), in-process simulated devices."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import drivers.bill
from drivers.transport import SystemClock as DeviceClock
from kiosk.app import Devices, Kiosk, build_kiosk, remote_ledger
from kiosk.config import Config, parse_config
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.tlsutil import make_ca_and_server_cert

TERMINAL = "KZ-ALA-0001"
NUMBERS = ("+77011234567", "+77051234567")


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[tuple[Ledger, str, Path, str]]:
    ca, cert, key = make_ca_and_server_cert(tmp_path / "pki")
    books = Ledger.open(f"sqlite:///{tmp_path / 'ledger.db'}")
    secret = books.add_terminal(TERMINAL)
    with LedgerThread(books, certfile=cert, keyfile=key) as server:
        yield books, server.url, ca, secret
    books.close()


def terminal_config(tmp_path: Path, url: str, ca: Path, secret: str) -> Config:
    secret_file = tmp_path / "ledger.secret"
    secret_file.write_text(secret + "\n")
    secret_file.chmod(0o600)
    return parse_config({
        "terminal": {"id": TERMINAL, "address": "Almaty, Abay Ave 10",
                     "agent_name": "Demo Payments LLP", "agent_bin": "060640010247",
                     "support_phone": "+7 727 000 00 00"},
        "devices": {"validator": {"protocol": "sim"}},
        "ledger": {"url": url, "secret_file": str(secret_file), "ca_file": str(ca),
                   "heartbeat_s": 5, "timeout_s": 5},
        "storage": {"url": f"sqlite:///{tmp_path / 'state' / 'kiosk.db'}"},
        "limits": {"mrp": 432_500},
    }, source="<test>")


def start(config: Config) -> Kiosk:
    acceptor = drivers.bill.open("sim", clock=DeviceClock(), poll_interval=0.02, seed=3)
    kiosk = build_kiosk(config, Devices(acceptor, None), remote_ledger(config), tick_s=0.05)
    kiosk.start(threaded=True)
    return kiosk


def wait_until(condition: Any, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def pay(kiosk: Kiosk, number: str, tenge: int) -> str:
    runner, core = kiosk.runner, kiosk.core
    assert runner is not None
    operation_id = runner.call(core.choose_service, "kaspi")
    assert runner.call(core.enter_account, number).ok
    runner.call(core.confirm_account)
    runner.call(core.start_cash)
    device: Any = kiosk.acceptor.device  # type: ignore[attr-defined]
    wait_until(lambda: tenge * 100 in device.enabled_amounts, "the note to be enabled")
    device.insert(tenge * 100)
    wait_until(lambda: runner.call(core.snapshot).notes, "the note to stack")
    runner.call(core.pay)
    runner.call(core.finish)
    return str(operation_id)
