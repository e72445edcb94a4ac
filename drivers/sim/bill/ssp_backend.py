"""An SSP driver wired to an in-process SSP simulator through an in-memory link."""

from __future__ import annotations

from drivers.bill.ssp.driver import KeyExchange, SspAcceptor
from drivers.sim.bill.ssp import SspDevice
from drivers.transport import Clock, InMemoryLink


class SimulatedSspAcceptor(SspAcceptor):
    """The real SSP driver talking real packets to ``device`` (``acceptor.device``)."""

    protocol = "sim"

    def __init__(
        self,
        device: SspDevice,
        *,
        clock: Clock | None = None,
        poll_interval: float = 0.1,
        retries: int = 3,
        key_exchange: KeyExchange | None = None,
    ) -> None:
        self.device = device
        self.link = InMemoryLink(device, name="sim (in-memory SSP)")
        super().__init__(
            self.link.reopen,
            port_name=self.link.name,
            clock=clock,
            poll_interval=poll_interval,
            retries=retries,
            key_exchange=key_exchange,
        )
