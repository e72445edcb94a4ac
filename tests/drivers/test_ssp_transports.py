"""The SSP driver over real byte transports (a pty and a TCP socket served by the simulator
server, 8N2), faults scripted through the control channel, and `kiosk device` for ssp."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import BillAcceptor, Disconnected, Reconnected, Rejected, Stacked
from drivers.sim import RunningSimulator, start_simulator
from drivers.sim.bill.mechanics import INSTANT
from drivers.sim.bill.ssp import SspDevice
from tests.helpers.acceptors import KZT, Recorder
from tests.helpers.devices import Control, Process, control


@pytest.fixture(params=["tcp", "pty"])
def served(request: pytest.FixtureRequest) -> Iterator[RunningSimulator]:
    running = start_simulator(
        "ssp",
        listen="tcp://127.0.0.1:0" if request.param == "tcp" else None,
        pty=request.param == "pty",
        control="tcp://127.0.0.1:0",
        device=SspDevice(seed=5, timings=INSTANT),
    )
    yield running
    running.close()


@pytest.fixture
def channel(served: RunningSimulator) -> Iterator[Control]:
    assert served.control is not None
    client = Control(served.control.url)
    yield client
    client.close()


def started(port: str, recorder: Recorder, *, timeout: float = 0.3, retries: int = 3) -> BillAcceptor:
    acceptor = open_acceptor("ssp", port, poll_interval=0.02, response_timeout=timeout, retries=retries)
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=True)
    return acceptor


def test_a_note_fake_and_noise_over_the_wire(
    served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder)
    try:
        assert acceptor.bill_table == KZT
        assert recorder.wait_for(lambda _: channel("state") == "ok idling")
        assert channel("insert-fake") == "ok"
        assert recorder.wait_for(lambda events: any(isinstance(e, Rejected) for e in events))
        assert channel("noise 2") == "ok"
        assert channel("insert 1000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(100_000, 2) in events)
    finally:
        acceptor.stop()
    assert channel("cassette") == 'ok {"notes": [100000], "returned": []}'
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]


def test_mute_over_the_wire_disconnects_then_reconnects(
    served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder, timeout=0.1, retries=1)
    try:
        assert channel("mute 0.4") == "ok"
        assert recorder.wait_for(lambda events: Reconnected() in events)
        assert recorder.wait_for(lambda _: channel("state") == "ok idling")
        assert channel("insert 500") == "ok"
        assert recorder.wait_for(lambda events: Stacked(50_000, 1) in events)
    finally:
        acceptor.stop()
    assert len(recorder.of(Disconnected)) == 1


def insert_when_ready(control_url: str, line: str, limit: float = 10.0) -> str:
    """Send ``line`` until the simulator takes it (it refuses while it initializes)."""
    deadline = time.monotonic() + limit
    retry = threading.Event()  # never set: its wait() paces the retries
    answer = control(control_url, line)
    while answer.startswith("error: the note is not taken") and time.monotonic() < deadline:
        retry.wait(0.05)
        answer = control(control_url, line)
    return answer


def test_probe_ssp_prints_identity_table_and_the_stacked_note() -> None:
    serve = Process(
        "device", "serve", "ssp", "--listen", "tcp://127.0.0.1:0",
        "--control", "tcp://127.0.0.1:0", "--seed", "4",
    )
    try:
        port = re.search(r"port (\S+)", serve.line() or "")
        control_url = re.search(r"control (\S+)", serve.line() or "")
        assert port and control_url, serve.stderr()
        probe = Process("device", "probe", "--protocol", "ssp", "--port", port.group(1), "--accept")
        head = probe.json_until("bill_table")
        assert head[-1] == {"event": "bill_table", "notes": list(KZT)}
        assert str(head[-2]["model"]).startswith("SSP")
        assert probe.json_until("power_up")  # the unit's first poll reports its reset
        assert insert_when_ready(control_url.group(1), "insert 2000") == "ok"
        stacked = probe.json_until("stacked")
        assert stacked[-1] == {"event": "stacked", "amount": 200_000, "bill_type": 3}
        assert probe.finish() == 0
    finally:
        assert serve.finish() == 0
