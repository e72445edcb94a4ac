"""``drivers.bill.open("ccnet", port)``: the CCNET driver on a serial line (8N1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.transport import open_transport

if TYPE_CHECKING:
    from drivers.bill import Line

BAUD = 9600  # 8N1


def open_ccnet(line: Line, options: dict[str, Any]) -> CcnetAcceptor:
    if options:
        raise TypeError(f"ccnet takes no options, got {sorted(options)}")
    url = line.require_port("ccnet", "/dev/ttyS0 or socket://host:port")
    return CcnetAcceptor(
        lambda: open_transport(url, BAUD, "N", 1, line.response_timeout),
        port_name=url,
        clock=line.clock,
        poll_interval=line.poll_interval,
        retries=line.retries,
    )
