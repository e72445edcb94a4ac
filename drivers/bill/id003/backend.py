"""``drivers.bill.open("id003", port)``: the ID-003 driver on a serial line (8E1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.bill.id003.driver import Id003Acceptor
from drivers.bill.id003.line import open_id003_line

if TYPE_CHECKING:
    from drivers.bill import Line


def open_id003(line: Line, options: dict[str, Any]) -> Id003Acceptor:
    if options:
        raise TypeError(f"id003 takes no options, got {sorted(options)}")
    url = line.require_port("id003", "/dev/ttyS0 or socket://host:port")
    return Id003Acceptor(
        lambda: open_id003_line(url, line.response_timeout),
        port_name=url,
        clock=line.clock,
        poll_interval=line.poll_interval,
        retries=line.retries,
    )
