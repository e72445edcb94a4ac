"""The ID-003 driver over real byte transports (a pty and a TCP socket served by the
simulator server, 8E1), faults scripted through the control channel, and the `kiosk device`
commands for id003."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import (
    BillAcceptor,
    Disconnected,
    DuplicateStacked,
    Reconnected,
    Rejected,
    Stacked,
)
from drivers.sim import RunningSimulator, start_simulator
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.mechanics import INSTANT
from tests.helpers.acceptors import KZT, Recorder
from tests.helpers.devices import Control, Process, control


@pytest.fixture(params=["tcp", "pty"])
def served(request: pytest.FixtureRequest) -> Iterator[RunningSimulator]:
    running = start_simulator(
        "id003",
        listen="tcp://127.0.0.1:0" if request.param == "tcp" else None,
        pty=request.param == "pty",
        control="tcp://127.0.0.1:0",
        device=Id003Device(seed=5, timings=INSTANT),
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
    acceptor = open_acceptor(
        "id003", port, poll_interval=0.02, response_timeout=timeout, retries=retries
    )
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=True)
    return acceptor


def test_a_note_over_the_wire_is_stacked_once(
    served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder)
    try:
        assert acceptor.bill_table == KZT
        assert channel("insert 1000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(100_000, 2) in events)
    finally:
        acceptor.stop()
    assert channel("cassette") == 'ok {"notes": [100000], "returned": []}'
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert channel("state") == "ok disabled"  # stop() inhibits the device


def test_a_fake_note_and_noise_over_the_wire(
    served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder)
    try:
        assert channel("insert-fake") == "ok"
        assert recorder.wait_for(lambda events: any(isinstance(e, Rejected) for e in events))
        assert channel("noise 2") == "ok"
        assert channel("insert 2000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(200_000, 3) in events)
    finally:
        acceptor.stop()
    assert recorder.of(Rejected) == [Rejected(0x76, "denomination assessing")]
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == []


def test_mute_over_the_wire_disconnects_then_reconnects(
    served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder, timeout=0.1, retries=1)
    try:
        assert channel("mute 0.4") == "ok"
        assert recorder.wait_for(lambda events: Reconnected() in events)
        assert channel("insert 500") == "ok"
        assert recorder.wait_for(lambda events: Stacked(50_000, 1) in events)
    finally:
        acceptor.stop()
    assert len(recorder.of(Disconnected)) == 1


@pytest.fixture
def id003_server() -> Iterator[tuple[str, str]]:
    """`kiosk device serve id003`: (port URL for a driver, control URL)."""
    serve = Process(
        "device", "serve", "id003", "--listen", "tcp://127.0.0.1:0",
        "--control", "tcp://127.0.0.1:0", "--seed", "4",
    )
    port = re.search(r"port (\S+)", serve.line() or "")
    control_url = re.search(r"control (\S+)", serve.line() or "")
    assert port and control_url, serve.stderr()
    yield port.group(1), control_url.group(1)
    assert serve.finish() == 0


def test_probe_id003_prints_identity_table_and_the_stacked_note(
    id003_server: tuple[str, str],
) -> None:
    port, control_url = id003_server
    probe = Process("device", "probe", "--protocol", "id003", "--port", port, "--accept")
    head = probe.json_until("bill_table")
    assert head[-2]["event"] == "identity" and str(head[-2]["model"]).startswith("ID003")
    assert head[-1] == {"event": "bill_table", "notes": list(KZT)}
    assert control(control_url, "insert 2000") == "ok"
    events = probe.json_until("stacked")
    assert events[-1] == {"event": "stacked", "amount": 200_000, "bill_type": 3}
    assert probe.finish() == 0
