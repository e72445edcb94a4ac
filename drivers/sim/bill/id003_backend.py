"""An ID-003 driver wired to an in-process ID-003 simulator through an in-memory link."""

from __future__ import annotations

from drivers.bill.id003.driver import Id003Acceptor
from drivers.sim.bill.id003 import Id003Device
from drivers.transport import Clock, InMemoryLink


class SimulatedId003Acceptor(Id003Acceptor):
    """The real ID-003 driver talking real frames to ``device`` (``acceptor.device``)."""

    protocol = "sim"

    def __init__(
        self,
        device: Id003Device,
        *,
        clock: Clock | None = None,
        poll_interval: float = 0.1,
        retries: int = 3,
    ) -> None:
        self.device = device
        self.link = InMemoryLink(device, name="sim (in-memory ID-003)")
        super().__init__(
            self.link.reopen,
            port_name=self.link.name,
            clock=clock,
            poll_interval=poll_interval,
            retries=retries,
        )
