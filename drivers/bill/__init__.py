"""Bill acceptors: one interface (``base.BillAcceptor``), one backend per protocol.

``open(protocol, port)`` picks the backend by name, the way python-can picks a bus: a table
of names to ``"module:factory"`` strings, and only the chosen module is imported. ``"ccnet"``
for a CCNET validator and ``"id003"`` for a JCM ID-003 validator on any pyserial URL,
``"ssp"`` for an ITL SSP validator (``fixed_key=`` turns on eSSP), ``"essp"`` for one that
requires eSSP (``fixed_key=`` required), ``"sim"`` for a real driver talking to an
in-process simulator (``simulated="ccnet"`` by default, ``"id003"`` or ``"ssp"``): a real
terminal never loads the simulators.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from drivers.bill.base import BillAcceptor
from drivers.transport import Clock

if TYPE_CHECKING:
    from drivers.sim.bill.backends import (
        SimulatedCcnetAcceptor,
        SimulatedId003Acceptor,
        SimulatedSspAcceptor,
    )

# Backends by protocol name: "module:factory", the factory called with (Line, options).
BACKENDS: dict[str, str] = {
    "ccnet": "drivers.bill.ccnet.backend:open_ccnet",
    "sim": "drivers.sim.bill.backends:open_simulated",
    "id003": "drivers.bill.id003.backend:open_id003",
    "ssp": "drivers.bill.ssp.backend:open_ssp",
    "essp": "drivers.bill.ssp.backend:open_essp",
}
PROTOCOLS = tuple(BACKENDS)


@dataclass(frozen=True, slots=True)
class Line:
    """How ``open`` was asked to talk to the device: what every backend is given."""

    port: str | None
    clock: Clock | None
    poll_interval: float
    response_timeout: float
    retries: int

    def require_port(self, protocol: str, example: str) -> str:
        """The port URL; a clear error naming an example when none was given."""
        if not self.port:
            raise ValueError(f"the {protocol} protocol needs a port, e.g. {example}")
        return self.port


Backend = Callable[[Line, dict[str, Any]], BillAcceptor]


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
    backend = load_backend(protocol)
    return backend(Line(port, clock, poll_interval, response_timeout, retries), options)


def load_backend(protocol: str) -> Backend:
    """The factory of ``protocol``'s backend, importing its module (and only that one)."""
    target = BACKENDS.get(protocol)
    if target is None:
        raise ValueError(
            f"unknown bill acceptor protocol {protocol!r}; use one of {', '.join(BACKENDS)}"
        )
    module, _, factory = target.partition(":")
    return cast(Backend, getattr(importlib.import_module(module), factory))
