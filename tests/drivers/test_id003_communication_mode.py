"""ID-003 communication mode: the simulator speaks polling mode only and refuses an
interrupt mode; the driver asks for polling mode after every RESET and never for an
interrupt mode.

Sources (independent hosts written for real JCM units):
- lamassu/lamassu-machine lib/id003/id003rs232.js: ``interruptMode: [0xc2, 0x01]``, reply
  0x05 is ``enq``, reply 0xC2 is ``commMode``; lib/id003/id003fsm.js sends interruptMode
  once the unit reports initialize; lib/id003/id003.js stops its polling timer when the
  ``commMode`` echo arrives, polls once per ``enq``, and on ``invalid`` (0x4B) just polls
  (its timer keeps running). So a unit that echoes ``C2 01`` must send ENQ, or that host
  waits for ever; a unit that answers 0x4B leaves it polling.
- hackwin/JCMBillAcceptorID003 jcmbillacceptorid003.h: COMMUNICATION_MODE 0xC2, POLLED
  0x00, INTERRUPT_MODE1 0x01, INTERRUPT_MODE2 0x02; its bootup sends ``C2 00`` after RESET.
- AlexObukhoff/TerminalClient ID003CashAcceptorConstants.h / ID003CashAcceptor.cpp:
  CommunicationMode = NUL ("polling"), SetCommMode 0xC2 is answered with an echo, sent
  first in setDefaultParameters.
- Portalum/Portalum.Id003 src/Portalum.Id003/Id003Client.cs: ResetAsync ends with
  ``C2 00`` (SET_MODE).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from drivers.bill.id003.codes import ENQ, Command, CommunicationMode, Status
from drivers.bill.id003.protocol import (
    Id003Host,
    InvalidCommandReply,
    SettingReply,
    StatusReply,
)
from drivers.sim.bill.backends import simulate_id003
from drivers.sim.bill.id003 import Id003Device
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Recorder, run


class RecordingDevice(Id003Device):
    """The simulator, keeping every command frame the host sent."""

    def __init__(self, *, refuse_mode: bool = False, **options: Any) -> None:
        super().__init__(**options)
        self.commands: list[bytes] = []
        self.refuse_mode = refuse_mode

    def _handle(self, frame: bytes) -> bytes | None:
        self.commands.append(bytes(frame))
        if self.refuse_mode and frame[0] == Command.SET_COMMUNICATION_MODE:
            return bytes((Status.INVALID_COMMAND,))
        return super()._handle(frame)


def exchange(device: Id003Device, host: Id003Host, wire: bytes) -> object:
    host.receive_data(device.receive_data(wire))
    return host.next_event()


@pytest.fixture
def initialized(clock: ManualClock) -> tuple[Id003Device, Id003Host]:
    device = Id003Device(clock=clock, seed=2)
    host = Id003Host()
    exchange(device, host, host.reset())
    clock.advance(1.0)
    return device, host


@pytest.mark.parametrize("mode", [CommunicationMode.INTERRUPT_1, CommunicationMode.INTERRUPT_2])
def test_simulator_refuses_an_interrupt_mode_it_would_never_honour(
    initialized: tuple[Id003Device, Id003Host], mode: CommunicationMode
) -> None:
    device, host = initialized
    reply = exchange(device, host, host.set_communication_mode(mode))
    assert reply == InvalidCommandReply(Command.SET_COMMUNICATION_MODE, Status.INVALID_COMMAND)
    assert exchange(device, host, host.send(Command.GET_COMMUNICATION_MODE)) == SettingReply(
        Command.GET_COMMUNICATION_MODE, b"\x00"
    )


def test_simulator_echoes_polling_mode(initialized: tuple[Id003Device, Id003Host]) -> None:
    device, host = initialized
    wire = host.set_communication_mode(CommunicationMode.POLLING)
    assert device.receive_data(wire) == wire  # a setting is echoed byte for byte


def test_a_host_refused_interrupt_mode_keeps_polling_and_sees_the_note(
    initialized: tuple[Id003Device, Id003Host], clock: ManualClock
) -> None:
    device, host = initialized
    exchange(device, host, host.set_communication_mode(CommunicationMode.INTERRUPT_1))
    exchange(device, host, host.set_denominations(frozenset(range(16))))
    exchange(device, host, host.set_inhibit(False))
    device.insert(KZT[2])
    clock.advance(1.0)
    assert ENQ not in device.receive_data(b"")  # nothing unsolicited, ever
    reply = exchange(device, host, host.status_request())
    assert isinstance(reply, StatusReply)
    assert reply.status.code == Status.ESCROW


def test_driver_asks_for_polling_mode_after_reset_and_never_for_interrupt_mode(
    clock: ManualClock, recorder: Recorder
) -> None:
    device = RecordingDevice(clock=clock, seed=5)
    acceptor = simulate_id003(device, clock=clock)
    acceptor.set_listener(recorder)
    acceptor.start(threaded=False)
    try:
        acceptor.set_enabled(KZT)
        run(acceptor, clock, 1)
        modes = [c for c in device.commands if c[0] == Command.SET_COMMUNICATION_MODE]
        assert modes == [bytes((Command.SET_COMMUNICATION_MODE, CommunicationMode.POLLING))]
        reset = device.commands.index(bytes((Command.RESET,)))
        assert device.commands.index(modes[0]) > reset
        assert acceptor.state == "idling"
    finally:
        acceptor.stop()


def test_driver_starts_on_a_unit_that_refuses_the_mode_command(
    clock: ManualClock, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    device = RecordingDevice(clock=clock, seed=5, refuse_mode=True)
    acceptor = simulate_id003(device, clock=clock)
    acceptor.set_listener(recorder)
    with caplog.at_level(logging.WARNING, logger="drivers.bill.id003.driver"):
        acceptor.start(threaded=False)
    try:
        acceptor.set_enabled(KZT)
        run(acceptor, clock, 1)
        assert acceptor.state == "idling"
        assert "did not take polling mode" in caplog.text
    finally:
        acceptor.stop()
