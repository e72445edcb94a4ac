"""Every bill-acceptor driver over real byte transports, a TCP socket (socket://) and a
pseudo-terminal served by the simulator server, with faults scripted through the text
control channel; and `kiosk device serve` / `kiosk device probe` for each protocol. The
transports' own behaviour (pacing, loop://, a bare openpty pair) is in
test_ccnet_transports.py; the CCNET command line in test_device_cli.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

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
from drivers.sim.bill.ccnet import CcnetDevice
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.mechanics import INSTANT
from drivers.sim.bill.ssp import SspDevice
from tests.helpers.acceptors import ESSP_KEY, KZT, Recorder
from tests.helpers.devices import Control, Process, answer_once_taken

# What each protocol reports for a fake note.
FAKE = {
    "ccnet": Rejected(0x65, "identification"),
    "id003": Rejected(0x76, "denomination assessing"),
    "ssp": Rejected(0x0E, "note recognition"),
    "essp": Rejected(0x0E, "note recognition"),
}
WIRED = ("ccnet", "id003", "ssp", "essp")


def device_for(protocol: str) -> Any:
    """A simulated unit of ``protocol`` whose mechanics take no time."""
    if protocol == "ccnet":
        return CcnetDevice(seed=5, timings=INSTANT)
    if protocol == "id003":
        return Id003Device(seed=5, timings=INSTANT)
    if protocol == "essp":
        return SspDevice(seed=5, timings=INSTANT, require_encryption=True, fixed_key=ESSP_KEY)
    return SspDevice(seed=5, timings=INSTANT)


@pytest.fixture(params=WIRED)
def protocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["tcp", "pty"])
def served(request: pytest.FixtureRequest, protocol: str) -> Iterator[RunningSimulator]:
    running = start_simulator(
        "ssp" if protocol == "essp" else protocol,
        listen="tcp://127.0.0.1:0" if request.param == "tcp" else None,
        pty=request.param == "pty",
        control="tcp://127.0.0.1:0",
        device=device_for(protocol),
    )
    yield running
    running.close()


@pytest.fixture
def channel(served: RunningSimulator) -> Iterator[Control]:
    assert served.control is not None
    client = Control(served.control.url)
    yield client
    client.close()


def started(
    protocol: str, port: str, recorder: Recorder, *, timeout: float = 0.3, retries: int = 3
) -> BillAcceptor:
    """The real driver of ``protocol`` on ``port``, every note enabled, polling in a thread."""
    options: dict[str, Any] = {"fixed_key": ESSP_KEY} if protocol == "essp" else {}
    acceptor = open_acceptor(
        "ssp" if protocol == "essp" else protocol,
        port,
        poll_interval=0.02,
        response_timeout=timeout,
        retries=retries,
        **options,
    )
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=True)
    return acceptor


def idling(channel: Control, recorder: Recorder) -> bool:
    """Wait (on the recorder's condition, re-checked at each event) for the unit to idle."""
    return recorder.wait_for(lambda _: channel("state") == "ok idling")


def test_a_note_over_the_wire_is_stacked_once(
    protocol: str, served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(protocol, served.port, recorder)
    try:
        assert acceptor.identity is not None and acceptor.bill_table[:7] == KZT
        assert set(acceptor.bill_table[7:]) <= {0}  # CCNET's table has empty channels after
        assert idling(channel, recorder)
        assert channel("insert 1000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(100_000, 2) in events)
    finally:
        acceptor.stop()
    assert channel("cassette") == 'ok {"notes": [100000], "returned": []}'
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]
    assert channel("state") == "ok disabled"  # stop() inhibits the device


def test_a_fake_note_over_the_wire_is_rejected_and_not_credited(
    protocol: str, served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(protocol, served.port, recorder)
    try:
        assert idling(channel, recorder)
        assert channel("insert-fake") == "ok"
        assert recorder.wait_for(lambda events: any(isinstance(e, Rejected) for e in events))
    finally:
        acceptor.stop()
    assert recorder.of(Rejected) == [FAKE[protocol]]
    assert recorder.of(Stacked) == []


def test_noise_and_a_lost_ack_over_the_wire_still_credit_once(
    protocol: str, served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(protocol, served.port, recorder)
    try:
        assert idling(channel, recorder)
        assert channel("noise 2") == "ok"
        assert channel("insert 2000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(200_000, 3) in events)
    finally:
        acceptor.stop()
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == []


def test_mute_over_the_wire_disconnects_then_reconnects(
    protocol: str, served: RunningSimulator, channel: Control, recorder: Recorder
) -> None:
    acceptor = started(protocol, served.port, recorder, timeout=0.1, retries=1)
    try:
        assert channel("mute 0.4") == "ok"
        assert recorder.wait_for(lambda events: Reconnected() in events)
        assert idling(channel, recorder)
        assert channel("insert 500") == "ok"
        assert recorder.wait_for(lambda events: Stacked(50_000, 1) in events)
    finally:
        acceptor.stop()
    disconnects = recorder.of(Disconnected)
    assert len(disconnects) == 1 and "no reply" in str(disconnects[0])


@pytest.mark.parametrize(("served_protocol", "model"), [("id003", "ID003"), ("ssp", "SSP")])
def test_probe_prints_identity_table_and_the_stacked_note(served_protocol: str, model: str) -> None:
    serve = Process(
        "device",
        "serve",
        served_protocol,
        "--listen",
        "tcp://127.0.0.1:0",
        "--control",
        "tcp://127.0.0.1:0",
        "--seed",
        "4",
    )
    try:
        port = re.search(r"port (\S+)", serve.line() or "")
        control_url = re.search(r"control (\S+)", serve.line() or "")
        assert port and control_url, serve.stderr()
        probe = Process(
            "device", "probe", "--protocol", served_protocol, "--port", port.group(1), "--accept"
        )
        head = probe.json_until("bill_table")
        assert head[-2]["event"] == "identity" and str(head[-2]["model"]).startswith(model)
        assert head[-1] == {"event": "bill_table", "notes": list(KZT)}
        if served_protocol == "ssp":
            assert probe.json_until("power_up")  # the unit's first poll reports its reset
        answer = answer_once_taken(
            control_url.group(1), "insert 2000", refusal="error: the note is not taken"
        )
        assert answer == "ok"
        stacked = probe.json_until("stacked")
        assert stacked[-1] == {"event": "stacked", "amount": 200_000, "bill_type": 3}
        assert probe.finish() == 0
    finally:
        assert serve.finish() == 0
