"""Bill acceptors: one interface (``base.BillAcceptor``), one backend per protocol.

``open(protocol, port)`` picks the backend by name, the way python-can picks a bus:
``"ccnet"`` for a CCNET validator and ``"id003"`` for a JCM ID-003 validator on any pyserial
URL, ``"ssp"`` for an ITL SSP validator (``fixed_key=`` turns on eSSP), ``"sim"`` for a
driver talking to an in-process simulator (``simulated="ccnet"`` by default, ``"id003"`` or
``"ssp"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, overload

from drivers.bill.base import BillAcceptor
from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.bill.id003.driver import Id003Acceptor
from drivers.bill.id003.line import open_id003_line
from drivers.bill.ssp.codes import BAUD as SSP_BAUD
from drivers.bill.ssp.driver import KeyExchange, SspAcceptor
from drivers.bill.ssp.essp import exchange_keys
from drivers.bill.ssp.link import CommandLink as SspLink
from drivers.transport import Clock, open_transport

if TYPE_CHECKING:
    from drivers.sim.bill.ccnet_backend import SimulatedCcnetAcceptor
    from drivers.sim.bill.id003_backend import SimulatedId003Acceptor
    from drivers.sim.bill.ssp_backend import SimulatedSspAcceptor

CCNET_BAUD = 9600  # 8N1


@overload
def open(
    protocol: Literal["sim"],
    port: str | None = None,
    *,
    simulated: Literal["ssp"],
    clock: Clock | None = None,
    poll_interval: float = 0.1,
    response_timeout: float = 1.0,
    retries: int = 3,
    **options: Any,
) -> SimulatedSspAcceptor: ...


@overload
def open(
    protocol: Literal["sim"],
    port: str | None = None,
    *,
    simulated: Literal["id003"],
    clock: Clock | None = None,
    poll_interval: float = 0.1,
    response_timeout: float = 1.0,
    retries: int = 3,
    **options: Any,
) -> SimulatedId003Acceptor: ...


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
    the options ``simulated`` (the simulated device's protocol: ``"ccnet"``, ``"id003"`` or
    ``"ssp"``), ``fixed_key`` (ssp: the eSSP fixed key, the simulator then requires eSSP),
    ``device`` (a simulator to share, e.g. across a simulated host restart), ``seed``,
    ``timings``, ``notes`` (tiyn), ``capacity``.
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


def _open_id003(line: _Line, options: dict[str, Any]) -> BillAcceptor:
    if options:
        raise TypeError(f"id003 takes no options, got {sorted(options)}")
    url = line.port
    if not url:
        raise ValueError("the id003 protocol needs a port, e.g. /dev/ttyS0 or socket://host:port")
    return Id003Acceptor(
        lambda: open_id003_line(url, line.response_timeout),
        port_name=url,
        clock=line.clock,
        poll_interval=line.poll_interval,
        retries=line.retries,
    )


def _essp(fixed_key: int | None) -> KeyExchange | None:
    if fixed_key is None:
        return None
    if not 0 <= fixed_key < 2**64:
        raise ValueError("the eSSP fixed key is a 64-bit number")

    def run(link: SspLink) -> Any:
        return exchange_keys(link, fixed_key)

    return run


def _open_ssp(line: _Line, options: dict[str, Any]) -> BillAcceptor:
    unknown = set(options) - {"fixed_key"}
    if unknown:
        raise TypeError(f"ssp takes only the option fixed_key, got {sorted(unknown)}")
    url = line.port
    if not url:
        raise ValueError("the ssp protocol needs a port, e.g. /dev/ttyUSB0 or socket://host:port")
    return SspAcceptor(
        lambda: open_transport(url, SSP_BAUD, "N", 2, line.response_timeout),
        port_name=url,
        clock=line.clock,
        poll_interval=line.poll_interval,
        retries=line.retries,
        key_exchange=_essp(options.get("fixed_key")),
    )


def _open_sim(line: _Line, options: dict[str, Any]) -> BillAcceptor:
    # The simulators live in a module of their own: a real terminal never loads them.
    from drivers.sim.bill.backends import open_simulated

    return open_simulated(line, options, _essp)


# Backends by protocol name.
_BACKENDS: dict[str, Callable[[_Line, dict[str, Any]], BillAcceptor]] = {
    "ccnet": _open_ccnet,
    "sim": _open_sim,
    "id003": _open_id003,
    "ssp": _open_ssp,
}
PROTOCOLS = tuple(_BACKENDS)
