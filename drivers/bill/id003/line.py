"""Opening an ID-003 line: 9600 baud, 8 data bits, even parity, 1 stop bit.

A pseudo-terminal (the simulator served with ``--pty``) may refuse parity settings outright
(tcsetattr EINVAL, raised by pyserial as ``termios.error``, not an OSError). Parity means
nothing on a pty, so such a port is opened without it and a warning is logged; a real serial
port takes 8E1.
"""

from __future__ import annotations

import logging
import termios

from drivers.bill.id003.codes import BAUD
from drivers.transport import SerialTransport, TransportError, open_transport

log = logging.getLogger(__name__)


def open_id003_line(url: str, timeout: float) -> SerialTransport:
    """Open ``url`` for ID-003; TransportError names the port when it cannot be opened."""
    try:
        return open_transport(url, BAUD, "E", 1, timeout)
    except termios.error as exc:
        log.warning("id003 port %s refuses even parity (%s); opening it without parity", url, exc)
    try:
        return open_transport(url, BAUD, "N", 1, timeout)
    except termios.error as exc:
        raise TransportError(f"cannot configure port {url}: {exc}") from exc
