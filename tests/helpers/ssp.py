"""Helpers for the SSP tests: a box spliced into the cable, and kiosk processes that die
mid-note on a validator that stays powered."""

from __future__ import annotations

import pytest

from drivers.bill import open as open_acceptor
from drivers.bill.base import AcceptorEvent, Decision, Escrow, Stacked
from drivers.bill.ssp.codes import Event
from drivers.bill.ssp.packets import encode_packet
from drivers.sim.bill.backends import SimulatedSspAcceptor
from drivers.sim.bill.ssp import SspDevice
from kiosk.domain.clock import ManualClock
from tests.helpers.acceptors import KZT, Listener, run

# A poll reply a box in the cable could send: a note read and credited on channel 6 (10,000 KZT).
FORGED_CREDIT = bytes((0xF0, Event.READ, 6, Event.CREDIT, 6))


class Splice:
    """A device spliced into the cable between host and validator: once armed, it answers the
    host's next poll itself with ``reply`` sent in the clear and swallows the validator's own
    reply. It tells polls by their sequence flag: our host sends every POLL with the flag set
    (a read-only spacer between them), a pattern anyone on the line can see."""

    def __init__(self, acceptor: SimulatedSspAcceptor, reply: bytes) -> None:
        self.transport = acceptor.link  # the in-memory line to the simulator
        self.reply = reply
        self.armed = False
        self.sent = 0
        self._flag: bool | None = None
        self._write, self._read = self.transport.write, self.transport.read
        self.transport.write = self.write  # type: ignore[method-assign]
        self.transport.read = self.read  # type: ignore[method-assign]

    def write(self, data: bytes) -> None:
        if self.armed and data[1] & 0x80:
            self._flag = True
        self._write(data)

    def read(self, max_bytes: int) -> bytes:
        if self._flag is None:
            return self._read(max_bytes)
        self._read(max_bytes)  # the validator's true (encrypted) reply never reaches the host
        forged, self._flag, self.armed = encode_packet(self.reply, sequence=self._flag), None, False
        self.sent += 1
        return forged


# ----- a kiosk process that dies mid-note, and the next one --------------------------------
class ProcessDied(BaseException):  # a kill: no driver code may survive it
    """The kiosk process ends here: nothing after it runs, nothing is acknowledged."""


def started(
    device: SspDevice, clock: ManualClock, listener: Listener, fixed_key: int | None = None
) -> SimulatedSspAcceptor:
    """A driver started (inline) on ``device``, every note enabled; eSSP with ``fixed_key``."""
    acceptor: SimulatedSspAcceptor = open_acceptor(
        "sim", simulated="ssp", clock=clock, device=device, fixed_key=fixed_key
    )
    acceptor.set_listener(listener)
    acceptor.set_enabled(KZT)
    acceptor.start(threaded=False)
    return acceptor


def dies_on_credit(event: AcceptorEvent) -> Decision | None:
    if isinstance(event, Stacked):
        raise ProcessDied("killed while committing the credit")
    return Decision.STACK if isinstance(event, Escrow) else None


def dies_while_deciding(event: AcceptorEvent) -> Decision | None:
    if isinstance(event, Escrow):
        raise ProcessDied("killed while deciding")
    return None


def host_dies(
    device: SspDevice,
    clock: ManualClock,
    listener: Listener,
    note: int,
    *,
    seconds: float = 3,
    fixed_key: int | None = None,
) -> None:
    """A host process takes ``note`` and is killed by ``listener`` within ``seconds``; the
    OS closes its port, the device stays powered."""
    first = started(device, clock, listener, fixed_key)
    run(first, clock, 0.5)
    device.insert(note)
    with pytest.raises(ProcessDied):
        run(first, clock, seconds)
    first.close_port()
