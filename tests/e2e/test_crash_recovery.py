"""SIGKILL at every step boundary of a payment: every stacked note ends in exactly one payment.

The CCNET device simulator runs in its own process (``kiosk device serve ccnet``), so, like
a real validator, it keeps its state while the kiosk process dies. The kiosk runs in a
child process with the real driver over ``socket://``, kills itself at the named point,
and a fresh process recovers. The device's own cassette is the ground truth.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.sim.invariants import check
from kiosk.store.db import Store

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 60


@dataclass
class Device:
    port: str
    control: str
    process: subprocess.Popen[str]

    def ask(self, command: str) -> str:
        host, port = self.control.removeprefix("tcp://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=5) as conn:
            conn.sendall(command.encode() + b"\n")
            return conn.makefile().readline().strip()

    def cassette(self) -> list[int]:
        answer = self.ask("cassette")
        assert answer.startswith("ok "), answer
        notes: list[int] = json.loads(answer[3:])["notes"]
        return notes


@pytest.fixture
def device() -> Iterator[Device]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "device",
            "serve",
            "ccnet",
            "--listen",
            "tcp://127.0.0.1:0",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    found: dict[str, str] = {}
    while len(found) < 2:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(
                f"simulator did not start: {process.stderr.read() if process.stderr else ''}"
            )
        match = re.search(r"(port|control) (\S+)", line)
        if match:
            found[match[1]] = match[2]
    yield Device(found["port"], found["control"], process)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)


def kiosk(
    device: Device, state_dir: Path, phase: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.e2e.crash_child",
            "--state-dir",
            str(state_dir),
            "--port",
            device.port,
            "--control",
            device.control.removeprefix("tcp://"),
            "--phase",
            phase,
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


# (hook point, which occurrence): two notes go in, 1 000 ₸ then 500 ₸.
STEP_BOUNDARIES = [
    ("note_escrowed", 1),  # the first note in escrow, nothing ordered yet
    ("note_escrowed", 2),  # one note stacked, the second in escrow
    ("stack_ordered", 2),  # STACK order committed, command not yet sent
    ("stacked_reported", 1),  # device reported it stacked, journal not yet committed
    ("note_stacked", 1),  # journal committed, device not yet acknowledged
    ("note_stacked", 2),
    ("before_pay", 1),  # all cash in, Pay pressed
    ("payment_commit", 1),  # inside the payment transaction, before COMMIT
    ("payment_committed", 1),  # after the commit, before printing
]


@pytest.mark.parametrize(
    ("point", "nth"), STEP_BOUNDARIES, ids=[f"{p}-{n}" for p, n in STEP_BOUNDARIES]
)
def test_kill_at_a_step_boundary_leaves_every_stacked_note_in_exactly_one_payment(
    device: Device, tmp_path: Path, point: str, nth: int
) -> None:
    crashed = kiosk(device, tmp_path, "pay", "--crash-at", point, "--crash-nth", str(nth))
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    recovered = kiosk(device, tmp_path, "recover")
    assert recovered.returncode == 0, recovered.stderr
    outcome = json.loads(recovered.stdout.strip().splitlines()[-1])
    assert outcome["unresolved"] == []

    # The kiosk goes on: the next customer's receipt follows without a gap or a repeat.
    after = kiosk(device, tmp_path, "pay", "--notes", "200")
    assert after.returncode == 0, after.stderr

    store = Store(f"sqlite:///{tmp_path}/kiosk.db")
    try:
        invariants = check(store, device.cassette())
    finally:
        store.close()
    assert all(invariants.values()), {k: v for k, v in invariants.items() if not v}
    stacked_before_crash = {
        "note_escrowed-1": 0,
        "note_escrowed-2": 1,
        "stack_ordered-2": 1,
        "stacked_reported-1": 1,
        "note_stacked-1": 1,
    }.get(f"{point}-{nth}", 2)
    assert len(device.cassette()) == stacked_before_crash + 1
    assert json.loads(after.stdout.strip().splitlines()[-1])["receipt_number"] == (
        2 if stacked_before_crash else 1
    )
