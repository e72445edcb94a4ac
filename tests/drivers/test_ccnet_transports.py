"""The CCNET driver over real byte transports: a pseudo-terminal and a TCP socket served by the
simulator server, with faults scripted through the text control channel."""

from __future__ import annotations

import os
import select
import threading
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
from drivers.bill.ccnet.frames import encode_frame
from drivers.bill.ccnet.protocol import CcnetHost
from drivers.sim import RunningSimulator, start_simulator
from drivers.sim.bill.ccnet import INSTANT, CcnetDevice
from drivers.sim.server import LinePacer
from drivers.transport import InMemoryLink, TransportError, open_transport
from tests.helpers.acceptors import KZT, Recorder
from tests.helpers.devices import Control


@pytest.fixture(params=["tcp", "pty"])
def served(request: pytest.FixtureRequest) -> Iterator[RunningSimulator]:
    device = CcnetDevice(seed=5, timings=INSTANT)
    running = start_simulator(
        "ccnet",
        listen="tcp://127.0.0.1:0" if request.param == "tcp" else None,
        pty=request.param == "pty",
        control="tcp://127.0.0.1:0",
        device=device,
    )
    yield running
    running.close()


@pytest.fixture
def control(served: RunningSimulator) -> Iterator[Control]:
    assert served.control is not None
    client = Control(served.control.url)
    yield client
    client.close()


def started(port: str, recorder: Recorder, **options: float) -> BillAcceptor:
    acceptor = open_acceptor(
        "ccnet",
        port,
        poll_interval=options.get("poll_interval", 0.02),
        response_timeout=options.get("response_timeout", 0.3),
        retries=int(options.get("retries", 3)),
    )
    acceptor.set_listener(recorder)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=True)
    return acceptor


def test_a_note_inserted_through_the_control_channel_is_stacked_once(
    served: RunningSimulator, control: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder)
    try:
        assert acceptor.identity is not None and acceptor.bill_table[:7] == KZT
        assert control("insert 1000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(100_000, 2) in events)
    finally:
        acceptor.stop()
    assert control("cassette") == ('ok {"notes": [100000], "returned": []}')
    assert recorder.of(Stacked) == [Stacked(100_000, 2)]


def test_a_fake_note_over_the_wire_is_rejected_and_not_credited(
    served: RunningSimulator, control: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder)
    try:
        assert control("insert-fake") == "ok"
        assert recorder.wait_for(lambda events: any(isinstance(e, Rejected) for e in events))
    finally:
        acceptor.stop()
    assert recorder.of(Rejected) == [Rejected(0x65, "identification")]
    assert recorder.of(Stacked) == []


def test_noise_and_a_lost_ack_over_the_wire_still_credit_once(
    served: RunningSimulator, control: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder)
    try:
        assert control("noise 2") == "ok"
        assert control("insert 2000") == "ok"
        assert recorder.wait_for(lambda events: Stacked(200_000, 3) in events)
    finally:
        acceptor.stop()
    assert recorder.of(Stacked) == [Stacked(200_000, 3)]
    assert recorder.of(DuplicateStacked) == []


def test_mute_over_the_wire_disconnects_then_reconnects(
    served: RunningSimulator, control: Control, recorder: Recorder
) -> None:
    acceptor = started(served.port, recorder, response_timeout=0.1, retries=1)
    try:
        assert control("mute 0.4") == "ok"
        assert recorder.wait_for(lambda events: Reconnected() in events)
        assert control("insert 500") == "ok"
        assert recorder.wait_for(lambda events: Stacked(50_000, 1) in events)
    finally:
        acceptor.stop()
    disconnects = recorder.of(Disconnected)
    assert len(disconnects) == 1 and "no reply" in str(disconnects[0])


def test_driver_over_a_bare_openpty_pair(recorder: Recorder) -> None:
    device = CcnetDevice(seed=9, timings=INSTANT)
    master, slave = os.openpty()
    stop = threading.Event()

    def device_end() -> None:
        while not stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                reply = device.receive_data(os.read(master, 4096))
                if reply:
                    os.write(master, reply)

    thread = threading.Thread(target=device_end, daemon=True)
    thread.start()
    acceptor = open_acceptor("ccnet", os.ttyname(slave), poll_interval=0.02, response_timeout=0.3)
    acceptor.set_listener(recorder)
    acceptor.set_enabled([100_000])
    try:
        acceptor.start(threaded=True)
        device.insert(100_000)
        assert recorder.wait_for(lambda events: Stacked(100_000, 2) in events)
    finally:
        acceptor.stop()
        stop.set()
        thread.join()
        os.close(master)
        os.close(slave)
    assert device.cassette == [100_000]


def test_in_memory_link_hands_replies_back_at_once() -> None:
    link = InMemoryLink(CcnetDevice(seed=1))
    link.write(CcnetHost().poll())
    assert link.read(64) == encode_frame(bytes((0x10,)))  # power up
    assert link.read(64) == b""
    link.close()
    with pytest.raises(TransportError):
        link.write(b"\x00")


def test_open_transport_names_the_port_it_cannot_open() -> None:
    with pytest.raises(TransportError, match="/dev/ttyNOPE9"):
        open_transport("/dev/ttyNOPE9")


def test_loop_url_is_a_working_transport() -> None:
    transport = open_transport("loop://", timeout=0.1)
    transport.write(b"\x02\x03")
    assert transport.read(16) == b"\x02\x03"
    assert transport.read(16) == b""
    transport.close()


def test_line_pacer_wire_time_is_ten_bits_per_byte_at_the_baud_rate() -> None:
    assert LinePacer(9600, 10).wire_time(96) == pytest.approx(0.1)
    assert LinePacer(None, 10).wire_time(96) == 0.0
