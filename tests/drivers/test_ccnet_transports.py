"""Byte transports on their own and the CCNET driver over a bare openpty pair: the in-memory
link, loop://, a port that cannot be opened, and the line pacer. Every driver over a served
socket and pty is in test_acceptor_transports.py."""

from __future__ import annotations

import os
import select
import threading

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import Stacked
from drivers.bill.ccnet.frames import encode_frame
from drivers.bill.ccnet.protocol import CcnetHost
from drivers.sim.bill.ccnet import INSTANT, CcnetDevice
from drivers.sim.server import LinePacer
from drivers.transport import InMemoryLink, TransportError, open_transport
from tests.helpers.acceptors import Recorder


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
