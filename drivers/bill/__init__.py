"""Bill acceptors: one interface (``base.BillAcceptor``), one backend per protocol.

``open(protocol, port)`` picks the backend by name, the way python-can picks a bus:
``"ccnet"`` for a CCNET validator on any pyserial URL, ``"sim"`` for the CCNET driver talking
to an in-process CCNET simulator. (ID-003 and SSP backends will be added here by name.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, overload

from drivers.bill.base import BillAcceptor
from drivers.bill.ccnet.device import CcnetDevice, Timings
from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.bill.ccnet.simulated import SimulatedCcnetAcceptor
from drivers.transport import Clock, SystemClock, open_transport

CCNET_BAUD = 9600  # 8N1
_SIM_OPTIONS = ("device", "seed", "timings", "notes", "capacity")


@overload
def open(  # the python-can style name; shadows the builtin only inside this module
    protocol: Literal["sim"],
    port: str | None = None,
    *,
    clock: Clock | None = None,
    poll_interval: float = 0.1,
    response_timeout: float = 1.0,
    retries: int = 3,
    **options: Any,
) -> SimulatedCcnetAcceptor: ...


@overload
def open(
    protocol: str,
    port: str | None = None,
    *,
    clock: Clock | None = None,
    poll_interval: float = 0.1,
    response_timeout: float = 1.0,
    retries: int = 3,
    **options: Any,
) -> BillAcceptor: ...


def open(
    protocol: str,
    port: str | None = None,
    *,
    clock: Clock | None = None,
    poll_interval: float = 0.1,
    response_timeout: float = 1.0,
    retries: int = 3,
    **options: Any,
) -> BillAcceptor:
    """A bill acceptor speaking ``protocol`` on ``port`` (not started yet).

    ``poll_interval``: seconds between poll cycles; ``response_timeout``: seconds to wait for
    the first byte of a reply; ``retries``: NAKs/resends before the device counts as gone.
    ``"sim"`` ignores ``port`` (and the response timeout: its link answers at once) and takes
    the options ``device`` (a CcnetDevice to share, e.g. across a simulated host restart),
    ``seed``, ``timings``, ``notes`` (tiyn), ``capacity``.
    """
    backend = _BACKENDS.get(protocol)
    if backend is None:
        raise ValueError(
            f"unknown bill acceptor protocol {protocol!r}; use one of {', '.join(_BACKENDS)}"
        )
    line = _Line(port, clock, poll_interval, response_timeout, retries)
    return backend(line, options)


@dataclass(frozen=True, slots=True)
class _Line:
    port: str | None
    clock: Clock | None
    poll_interval: float
    response_timeout: float
    retries: int


def _open_ccnet(line: _Line, options: dict[str, Any]) -> BillAcceptor:
    if options:
        raise TypeError(f"ccnet takes no options, got {sorted(options)}")
    url = line.port
    if not url:
        raise ValueError("the ccnet protocol needs a port, e.g. /dev/ttyS0 or socket://host:port")
    return CcnetAcceptor(
        lambda: open_transport(url, CCNET_BAUD, "N", 1, line.response_timeout),
        port_name=url,
        clock=line.clock,
        poll_interval=line.poll_interval,
        retries=line.retries,
    )


def _open_sim(line: _Line, options: dict[str, Any]) -> BillAcceptor:
    unknown = set(options) - set(_SIM_OPTIONS)
    if unknown:
        raise TypeError(f"sim options are {', '.join(_SIM_OPTIONS)}; got {sorted(unknown)}")
    device = options.get("device")
    if device is None:
        device = CcnetDevice(
            clock=line.clock or SystemClock(),
            seed=options.get("seed"),
            timings=options.get("timings") or Timings(),
            **({"notes": options["notes"]} if "notes" in options else {}),
            capacity=options.get("capacity"),
        )
    return SimulatedCcnetAcceptor(
        device, clock=line.clock, poll_interval=line.poll_interval, retries=line.retries
    )


# Backends by protocol name ("id003" and "ssp" join here).
_BACKENDS: dict[str, Callable[[_Line, dict[str, Any]], BillAcceptor]] = {
    "ccnet": _open_ccnet,
    "sim": _open_sim,
}
PROTOCOLS = tuple(_BACKENDS)
