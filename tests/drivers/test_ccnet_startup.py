"""CCNET start-up on a unit a dead host left enabled, and the host's acknowledgements.

Facts pinned here, each from independent hosts written for real CashCode units:
- Start-up is RESET, wait for initialize / unit disabled, then IDENTIFICATION and GET BILL
  TABLE: desionlab/node-cashcode-bv Source/CCNet/BillValidator.js ``connect()`` (reset, wait
  for 0x13, identification, bill table); kiriculum/cashcode_ccnet ccnet/ccnet.py ``connect()``
  (poll, reset, wait for DISABLED, identification, bill table); lamassu/lamassu-machine
  lib/ccnet/states-fsm.js (RESET on CONNECT, GET BILL TABLE when leaving it).
- IDENTIFICATION and GET BILL TABLE are refused with ILLEGAL COMMAND outside power up,
  initialize, failure and unit disabled: sadeqAlbana/newCashCodeCLI utils.h (quoting the
  manual); kiriculum/cashcode_ccnet ccnet/ccnet.py checks the state before each.
- The host ACKs every reply that carries data — POLL, IDENTIFICATION, GET BILL TABLE, GET
  STATUS, and ILLEGAL COMMAND too — but never a bare ACK or NAK:
  lamassu/lamassu-machine lib/ccnet/transmission-fsm.js (HandleResponse);
  desionlab/node-cashcode-bv Source/CCNet/BillValidator.js (``send()``);
  kiriculum/cashcode_ccnet ccnet/ccnet.py (``poll``, ``identification``,
  ``get_bill_table``, ``get_status`` each send ACK).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import DeviceError, Stacked
from drivers.bill.ccnet.codes import ILLEGAL_COMMAND, Command
from drivers.bill.ccnet.frames import FrameReader
from drivers.sim.bill.backends import SimulatedCcnetAcceptor
from drivers.sim.bill.ccnet import CcnetDevice
from drivers.sim.server import parse_tcp_url
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import Recorder, run

ROOT = Path(__file__).resolve().parents[2]
KZT = (20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000)


class CommandLog:
    """Wraps a simulator's wire input and records every command code the host sent."""

    def __init__(self, device: CcnetDevice) -> None:
        self.commands: list[int] = []
        self._reader = FrameReader()
        self._inner = device.receive_data
        device.receive_data = self  # type: ignore[method-assign]

    def __call__(self, data: bytes) -> bytes:
        self._reader.feed(data)
        while (frame := self._reader.next_frame()) is not None:
            self.commands.append(frame.code)
        return self._inner(data)

    def before_reset(self) -> list[int]:
        return self.commands[: self.commands.index(Command.RESET)]


def started(device: CcnetDevice, clock: ManualClock, recorder: Recorder) -> SimulatedCcnetAcceptor:
    acceptor = open_acceptor("sim", clock=clock, device=device)
    acceptor.set_listener(recorder)
    acceptor.start(threaded=False)
    return acceptor


def test_a_unit_left_enabled_is_reset_before_it_is_identified(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = CcnetDevice(clock=clock, seed=7)
    device.left_enabled()
    wire = CommandLog(device)
    acceptor = started(device, clock, recorder)
    assert wire.before_reset() == [Command.POLL, Command.ACK]  # idling: nothing to settle
    after = wire.commands[wire.commands.index(Command.RESET) :]
    assert after.index(Command.IDENTIFICATION) < after.index(Command.GET_BILL_TABLE)
    assert acceptor.identity is not None and acceptor.bill_table[:7] == KZT
    assert recorder.of(DeviceError) == []  # nothing was refused
    assert acceptor.state == "disabled" and device.enabled_amounts == frozenset()
    acceptor.stop()


def test_a_unit_a_previous_host_disabled_is_also_reset_before_it_is_identified(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = CcnetDevice(clock=clock, seed=7)
    device.left_enabled()
    device.mechanics.enable_mask = device.mechanics.escrow_mask = 0  # disabled on stop
    wire = CommandLog(device)
    acceptor = started(device, clock, recorder)
    assert wire.before_reset() == [Command.POLL, Command.ACK]
    assert acceptor.bill_table[:7] == KZT
    acceptor.stop()


def test_a_unit_that_refuses_identification_still_starts_and_accepts(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = CcnetDevice(clock=clock, seed=7)
    answer = device._answer

    def refuse_identification(code: int, args: bytes) -> bytes | None:
        return bytes((ILLEGAL_COMMAND,)) if code == Command.IDENTIFICATION else answer(code, args)

    device._answer = refuse_identification  # type: ignore[method-assign]
    acceptor = started(device, clock, recorder)
    assert acceptor.connected and acceptor.identity is None
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    device.insert(100_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    acceptor.stop()


def test_a_bill_table_refused_at_start_is_read_once_the_unit_takes_it(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = CcnetDevice(clock=clock, seed=7)
    answer = device._answer
    refusals = [1]

    def refuse_the_table_once(code: int, args: bytes) -> bytes | None:
        if code == Command.GET_BILL_TABLE and refusals:
            refusals.pop()
            return bytes((ILLEGAL_COMMAND,))
        return answer(code, args)

    device._answer = refuse_the_table_once  # type: ignore[method-assign]
    acceptor = started(device, clock, recorder)
    assert not acceptor.bill_table
    acceptor.set_enabled(KZT)
    acceptor.poll_once()  # disabled: the unit takes GET BILL TABLE now
    acceptor.poll_once()
    assert acceptor.bill_table[:7] == KZT
    assert device.enabled_amounts == set(KZT)
    acceptor.stop()


def test_every_data_reply_is_acknowledged(clock: ManualClock, recorder: Recorder) -> None:
    device = CcnetDevice(clock=clock, seed=7)
    device.left_enabled()
    acceptor = started(device, clock, recorder)
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    device.insert(200_000)
    run(acceptor, clock, 2)
    device.insert_fake()
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert device.unacknowledged == {}
    acceptor.stop()


def test_only_a_stacked_report_the_journal_did_not_commit_goes_unacknowledged(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = CcnetDevice(clock=clock, seed=7)
    acceptor = started(device, clock, recorder)
    acceptor.set_enabled(KZT)
    acceptor.poll_once()
    recorder.fail_stacked = 2  # the journal commit fails twice: no ACK, the unit repeats
    device.insert(500_000)
    run(acceptor, clock, 2)
    assert recorder.of(Stacked) == [Stacked(500_000, 4)] * 3
    assert device.unacknowledged == {Command.POLL: 2}
    assert device.cassette == [500_000] and device.state == "idling"
    acceptor.stop()


# ----- kiosk device probe against a served unit a previous host left enabled -------------
@pytest.fixture
def served() -> Iterator[tuple[str, str]]:
    """`kiosk device serve ccnet` in a subprocess: (port URL, control URL)."""
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk",
            "device",
            "serve",
            "ccnet",
            "--listen",
            "tcp://127.0.0.1:0",
            "--control",
            "tcp://127.0.0.1:0",
            "--seed",
            "4",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert serve.stdout is not None
    found: dict[str, str] = {}
    for line in serve.stdout:
        if match := re.search(r"(port|control) (\S+)", line):
            found[match[1]] = match[2]
        if len(found) == 2:
            break
    assert len(found) == 2, serve.stderr.read() if serve.stderr else ""
    yield found["port"], found["control"]
    serve.terminate()
    assert serve.wait(timeout=10) == 0


def control(url: str, line: str) -> str:
    import socket

    host, port = parse_tcp_url(url)
    with socket.create_connection((host, port), timeout=5) as conn, conn.makefile("rw") as io:
        io.write(line + "\n")
        io.flush()
        return io.readline().strip()


def test_probe_starts_on_a_served_unit_a_previous_host_left_enabled(
    served: tuple[str, str],
) -> None:
    port, control_url = served
    assert control(control_url, "left-enabled") == "ok"
    assert control(control_url, "state") == "ok idling"
    probe = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "device",
            "probe",
            "--protocol",
            "ccnet",
            "--port",
            port,
            "--seconds",
            "1",
            "--timeout",
            "0.5",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert probe.returncode == 0, probe.stdout + probe.stderr
    assert '"event": "identity"' in probe.stdout and '"event": "bill_table"' in probe.stdout
    assert control(control_url, "state") == "ok disabled"
