"""The simulated backends of ``drivers.bill.open("sim", …)``: a driver talking to an
in-process device simulator. Simulation only; the production path never imports this."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from drivers.bill.base import BillAcceptor
from drivers.bill.ssp.driver import KeyExchange
from drivers.sim.bill.ccnet import CcnetDevice, Timings
from drivers.sim.bill.ccnet_backend import SimulatedCcnetAcceptor
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.id003_backend import SimulatedId003Acceptor
from drivers.sim.bill.ssp import SspDevice
from drivers.sim.bill.ssp_backend import SimulatedSspAcceptor
from drivers.transport import Clock, SystemClock

_SIM_OPTIONS = ("device", "seed", "timings", "notes", "capacity", "simulated", "fixed_key")
SIMULATED_PROTOCOLS = ("ccnet", "id003", "ssp")


class _Line(Protocol):
    @property
    def clock(self) -> Clock | None: ...

    @property
    def poll_interval(self) -> float: ...

    @property
    def retries(self) -> int: ...


EsspFactory = Callable[[int | None], KeyExchange | None]


def open_simulated(line: _Line, options: dict[str, Any], essp: EsspFactory) -> BillAcceptor:
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
    device = options.get("device")
    if device is None:
        device = _new_device(simulated, line, options, fixed_key)
    links: dict[str, Any] = {"clock": line.clock, "poll_interval": line.poll_interval,
                             "retries": line.retries}
    if simulated == "id003":
        return SimulatedId003Acceptor(device, **links)
    if simulated == "ssp":
        return SimulatedSspAcceptor(device, **links, key_exchange=essp(fixed_key))
    return SimulatedCcnetAcceptor(device, **links)


def _new_device(simulated: str, line: _Line, options: dict[str, Any],
                fixed_key: int | None) -> Any:
    """A new simulator of ``simulated`` with the options that describe it."""
    settings: dict[str, Any] = {
        "clock": line.clock or SystemClock(), "seed": options.get("seed"),
        "timings": options.get("timings") or Timings(), "capacity": options.get("capacity")}
    if "notes" in options:
        settings["notes"] = options["notes"]
    if simulated == "id003":
        return Id003Device(**settings)
    if simulated == "ssp":
        if fixed_key is not None:
            settings["fixed_key"] = fixed_key
        return SspDevice(**settings, require_encryption=fixed_key is not None)
    return CcnetDevice(**settings)
