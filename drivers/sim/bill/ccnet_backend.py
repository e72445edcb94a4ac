"""A CCNET driver wired to an in-process CCNET simulator through an in-memory link."""

from __future__ import annotations

from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.sim.bill.ccnet import CcnetDevice
from drivers.transport import Clock, InMemoryLink


class SimulatedCcnetAcceptor(CcnetAcceptor):
    """The real CCNET driver talking real frames to ``device`` (a scripted customer or a
    test inserts notes, jams it, power-cycles it through ``acceptor.device``)."""

    protocol = "sim"

    def __init__(
        self,
        device: CcnetDevice,
        *,
        clock: Clock | None = None,
        poll_interval: float = 0.1,
        retries: int = 3,
    ) -> None:
        self.device = device
        self.link = InMemoryLink(device, name="sim (in-memory CCNET)")
        super().__init__(
            self.link.reopen,
            port_name=self.link.name,
            clock=clock,
            poll_interval=poll_interval,
            retries=retries,
        )
