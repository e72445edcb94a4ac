"""``drivers.bill.open("ssp", port)`` and ``open("essp", port, fixed_key=…)``: the SSP
driver on a serial line (9600 8N2), with the eSSP key exchange when a fixed key is given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.bill.ssp.codes import BAUD
from drivers.bill.ssp.driver import KeyExchange, SspAcceptor
from drivers.bill.ssp.essp import exchange_keys
from drivers.bill.ssp.link import CommandLink
from drivers.transport import open_transport

if TYPE_CHECKING:
    from drivers.bill import Line


def key_exchange(fixed_key: int | None) -> KeyExchange | None:
    """The eSSP key exchange with ``fixed_key``; None (plain SSP) without one."""
    if fixed_key is None:
        return None
    if not 0 <= fixed_key < 2**64:
        raise ValueError("the eSSP fixed key is a 64-bit number")

    def run(link: CommandLink) -> Any:
        return exchange_keys(link, fixed_key)

    return run


def open_ssp(line: Line, options: dict[str, Any]) -> SspAcceptor:
    unknown = set(options) - {"fixed_key"}
    if unknown:
        raise TypeError(f"ssp takes only the option fixed_key, got {sorted(unknown)}")
    url = line.require_port("ssp", "/dev/ttyUSB0 or socket://host:port")
    return SspAcceptor(
        lambda: open_transport(url, BAUD, "N", 2, line.response_timeout),
        port_name=url,
        clock=line.clock,
        poll_interval=line.poll_interval,
        retries=line.retries,
        key_exchange=key_exchange(options.get("fixed_key")),
    )


def open_essp(line: Line, options: dict[str, Any]) -> SspAcceptor:
    """SSP that requires the encrypted session: ``fixed_key`` must be given."""
    if options.get("fixed_key") is None:
        raise TypeError("essp needs the option fixed_key (the eSSP fixed key)")
    return open_ssp(line, options)
