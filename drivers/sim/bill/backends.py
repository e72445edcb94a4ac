"""The simulated backend of ``drivers.bill.open("sim", …)``: a real driver over an in-memory
link to an in-process device simulator. Simulation only; the production path never imports
this.

Composition, not subclassing: the protocol's own driver (drivers/bill/*/driver.py) is built
exactly as a real port would build it, with an ``InMemoryLink`` to the simulated device as
its transport, and ``SimulatedAcceptor`` hands every ``BillAcceptor`` call to it unchanged.
So the code under test is the real driver's, byte for byte; the simulated acceptor only adds
``device`` (the simulator, for a scripted customer or a test to insert notes, jam it,
power-cycle it) and ``link`` (the in-memory line, for a test to listen in or splice).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from drivers.bill.base import BillAcceptor, Identity, Listener
from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.bill.id003.driver import Id003Acceptor
from drivers.bill.polling import PollingAcceptor
from drivers.bill.ssp.backend import key_exchange
from drivers.bill.ssp.driver import SspAcceptor
from drivers.sim.bill.ccnet import CcnetDevice
from drivers.sim.bill.device import SimulatedValidator
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.mechanics import Timings
from drivers.sim.bill.ssp import SspDevice
from drivers.transport import Clock, InMemoryLink, SystemClock

if TYPE_CHECKING:
    from drivers.bill import Line

DeviceT = TypeVar("DeviceT", bound=SimulatedValidator)
DriverT = TypeVar("DriverT", bound=PollingAcceptor[Any, Any])

_SIM_OPTIONS = ("device", "seed", "timings", "notes", "capacity", "simulated", "fixed_key")
SIMULATED_PROTOCOLS = ("ccnet", "id003", "ssp")


class SimulatedAcceptor(BillAcceptor, Generic[DeviceT, DriverT]):
    """The real ``driver`` talking real bytes over ``link`` to the simulated ``device``."""

    protocol = "sim"

    def __init__(self, device: DeviceT, driver: DriverT, link: InMemoryLink) -> None:
        self.device = device
        self.driver = driver
        self.link = link

    @property
    def poll_interval(self) -> float:
        return self.driver.poll_interval

    @property
    def retries(self) -> int:
        return self.driver.retries

    def set_listener(self, listener: Listener) -> None:
        self.driver.set_listener(listener)

    def start(self, *, threaded: bool = True, wait_for_device: bool = False) -> None:
        self.driver.start(threaded=threaded, wait_for_device=wait_for_device)

    def stop(self) -> None:
        self.driver.stop()

    def close_port(self) -> None:
        self.driver.close_port()

    def poll_once(self) -> None:
        self.driver.poll_once()

    def set_enabled(self, amounts: Iterable[int]) -> None:
        self.driver.set_enabled(amounts)

    @property
    def identity(self) -> Identity | None:
        return self.driver.identity

    @property
    def bill_table(self) -> tuple[int, ...]:
        return self.driver.bill_table

    @property
    def connected(self) -> bool:
        return self.driver.connected

    @property
    def state(self) -> str:
        return self.driver.state

    @property
    def link_alerts(self) -> dict[str, int]:
        return self.driver.link_alerts


SimulatedCcnetAcceptor = SimulatedAcceptor[CcnetDevice, CcnetAcceptor]
SimulatedId003Acceptor = SimulatedAcceptor[Id003Device, Id003Acceptor]
SimulatedSspAcceptor = SimulatedAcceptor[SspDevice, SspAcceptor]


def simulate_ccnet(
    device: CcnetDevice, *, clock: Clock | None = None, poll_interval: float = 0.1, retries: int = 3
) -> SimulatedCcnetAcceptor:
    """The CCNET driver over an in-memory link to ``device``."""
    link = InMemoryLink(device, name="sim (in-memory CCNET)")
    driver = CcnetAcceptor(
        link.reopen, port_name=link.name, clock=clock, poll_interval=poll_interval, retries=retries
    )
    return SimulatedAcceptor(device, driver, link)


def simulate_id003(
    device: Id003Device, *, clock: Clock | None = None, poll_interval: float = 0.1, retries: int = 3
) -> SimulatedId003Acceptor:
    """The ID-003 driver over an in-memory link to ``device``."""
    link = InMemoryLink(device, name="sim (in-memory ID-003)")
    driver = Id003Acceptor(
        link.reopen, port_name=link.name, clock=clock, poll_interval=poll_interval, retries=retries
    )
    return SimulatedAcceptor(device, driver, link)


def simulate_ssp(
    device: SspDevice,
    *,
    clock: Clock | None = None,
    poll_interval: float = 0.1,
    retries: int = 3,
    fixed_key: int | None = None,
) -> SimulatedSspAcceptor:
    """The SSP driver over an in-memory link to ``device`` (eSSP with ``fixed_key``)."""
    link = InMemoryLink(device, name="sim (in-memory SSP)")
    driver = SspAcceptor(
        link.reopen,
        port_name=link.name,
        clock=clock,
        poll_interval=poll_interval,
        retries=retries,
        key_exchange=key_exchange(fixed_key),
    )
    return SimulatedAcceptor(device, driver, link)


def open_simulated(line: Line, options: dict[str, Any]) -> BillAcceptor:
    """The ``sim`` backend: ``simulated`` names the device's protocol (ccnet by default)."""
    unknown = set(options) - set(_SIM_OPTIONS)
    if unknown:
        raise TypeError(f"sim options are {', '.join(_SIM_OPTIONS)}; got {sorted(unknown)}")
    simulated = options.get("simulated", "ccnet")
    if simulated not in SIMULATED_PROTOCOLS:
        raise ValueError(
            f"simulated must be one of {', '.join(SIMULATED_PROTOCOLS)}, got {simulated!r}"
        )
    fixed_key = options.get("fixed_key") if simulated == "ssp" else None
    device: Any = options.get("device")
    if device is None:
        device = _new_device(simulated, line, options, fixed_key)
    links: dict[str, Any] = {
        "clock": line.clock,
        "poll_interval": line.poll_interval,
        "retries": line.retries,
    }
    if simulated == "ssp":
        return simulate_ssp(device, **links, fixed_key=fixed_key)
    simulate: Callable[..., BillAcceptor] = (
        simulate_id003 if simulated == "id003" else simulate_ccnet
    )
    return simulate(device, **links)


_DEVICES: dict[str, Callable[..., SimulatedValidator]] = {
    "ccnet": CcnetDevice,
    "id003": Id003Device,
    "ssp": SspDevice,
}


def _new_device(
    simulated: str, line: Line, options: dict[str, Any], fixed_key: int | None
) -> SimulatedValidator:
    """A new simulator of ``simulated`` with the options that describe it."""
    settings: dict[str, Any] = {
        "clock": line.clock or SystemClock(),
        "seed": options.get("seed"),
        "timings": options.get("timings") or Timings(),
        "capacity": options.get("capacity"),
    }
    if "notes" in options:
        settings["notes"] = options["notes"]
    if simulated == "ssp":
        if fixed_key is not None:
            settings["fixed_key"] = fixed_key
        settings["require_encryption"] = fixed_key is not None
    return _DEVICES[simulated](**settings)
