"""Byte transports between a driver and a device, and the line's notion of time.

A transport moves raw bytes; it knows nothing of frames. ``open_transport`` wraps any
pyserial URL (``/dev/ttyUSB0``, a pty path, ``socket://host:port``, ``loop://``);
``InMemoryLink`` connects a driver to an in-process sans-IO device object with no threads
and no waiting: the device's reply is readable as soon as the host has written.
"""

from __future__ import annotations

import socket
import time
from typing import Protocol

import serial

PARITIES = {"N": serial.PARITY_NONE, "E": serial.PARITY_EVEN, "O": serial.PARITY_ODD}
STOP_BITS = {1: serial.STOPBITS_ONE, 2: serial.STOPBITS_TWO}


class Clock(Protocol):
    """Injected time (structurally the same as the kiosk's clock)."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes back."""

    def sleep(self, seconds: float) -> None:
        """Wait; a manual clock advances instead."""


class SystemClock:
    """The real clock, for production and for real-time simulators."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class TransportError(OSError):
    """The port cannot be opened or used; the message names the port."""


class Transport(Protocol):
    """A byte pipe to one device."""

    @property
    def name(self) -> str:
        """What to show a technician (the URL or port path)."""

    def write(self, data: bytes) -> None:
        """Send all of ``data``."""

    def read(self, max_bytes: int) -> bytes:
        """Up to ``max_bytes``: waits up to the transport's timeout for the first byte and
        returns b"" if none came (an in-memory link never waits)."""

    def discard_input(self) -> None:
        """Drop bytes received but not read (stale replies)."""

    def close(self) -> None:
        """Release the port; closing twice is harmless."""


class SimulatedDevice(Protocol):
    """A sans-IO device: fed the host's bytes, returns its reply bytes."""

    def receive_data(self, data: bytes) -> bytes:
        """Process bytes from the host; return bytes to send back (possibly empty)."""


class SerialTransport:
    """A pyserial port from any URL pyserial understands."""

    def __init__(self, port: serial.SerialBase, name: str) -> None:
        self._port = port
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except (serial.SerialException, OSError) as exc:
            raise TransportError(f"cannot write to {self._name}: {exc}") from exc

    def read(self, max_bytes: int) -> bytes:
        try:
            first = bytes(self._port.read(1))
            if not first:
                return b""
            waiting = min(self._port.in_waiting, max_bytes - 1)
            return first + bytes(self._port.read(waiting)) if waiting > 0 else first
        except (serial.SerialException, OSError) as exc:
            raise TransportError(f"cannot read from {self._name}: {exc}") from exc

    def discard_input(self) -> None:
        try:
            self._port.reset_input_buffer()
        except (serial.SerialException, OSError) as exc:
            raise TransportError(f"cannot flush {self._name}: {exc}") from exc

    def close(self) -> None:
        self._port.close()


def open_transport(
    url: str,
    baud: int = 9600,
    parity: str = "N",
    stopbits: int = 1,
    timeout: float = 1.0,
) -> SerialTransport:
    """Open ``url`` (a device path, pty path, ``socket://host:port``, ``loop://`` …).

    ``tcp://host:port`` is accepted as a synonym of pyserial's ``socket://``. ``timeout`` is
    how long a read waits for the first byte. Raises TransportError naming the port.
    """
    if parity not in PARITIES:
        raise ValueError(f"parity must be one of {sorted(PARITIES)}, got {parity!r}")
    if stopbits not in STOP_BITS:
        raise ValueError(f"stop bits must be 1 or 2, got {stopbits}")
    pyserial_url = "socket://" + url[len("tcp://") :] if url.startswith("tcp://") else url
    try:
        port = serial.serial_for_url(
            pyserial_url,
            baudrate=baud,
            bytesize=serial.EIGHTBITS,
            parity=PARITIES[parity],
            stopbits=STOP_BITS[stopbits],
            timeout=timeout,
            write_timeout=max(timeout, 1.0),
        )
    except (serial.SerialException, OSError, ValueError) as exc:
        raise TransportError(f"cannot open port {url}: {exc}") from exc
    tcp = getattr(port, "_socket", None)
    if isinstance(tcp, socket.socket):
        # Small request/reply frames: without this, Nagle and delayed ACKs stall ~40 ms.
        tcp.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return SerialTransport(port, url)


class InMemoryLink:
    """A transport to an in-process device: writes are handed to the device at once and
    its reply bytes become readable immediately. No threads, no timeouts."""

    def __init__(self, device: SimulatedDevice, name: str = "in-memory") -> None:
        self.device = device
        self._name = name
        self._pending = bytearray()
        self.closed = False

    @property
    def name(self) -> str:
        return self._name

    def write(self, data: bytes) -> None:
        if self.closed:
            raise TransportError(f"{self._name} is closed")
        self._pending += self.device.receive_data(data)

    def read(self, max_bytes: int) -> bytes:
        chunk = bytes(self._pending[:max_bytes])
        del self._pending[:max_bytes]
        return chunk

    def discard_input(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        self.closed = True
        self._pending.clear()

    def reopen(self) -> InMemoryLink:
        """The same link, usable again (a replugged cable)."""
        self.closed = False
        return self
