"""Serve a sans-IO simulated device on a TCP socket or a pseudo-terminal.

Generic over the device: anything with ``receive_data(bytes) -> bytes`` and
``bits_per_byte`` (the line framing, 10 for 8N1) can be served. With ``baud`` set, bytes are
paced as on a real line: a frame from the host is processed only after its wire time, and the
reply is released after its own wire time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import time
import tty
from typing import Protocol

log = logging.getLogger(__name__)

_WAKE_INTERVAL = 0.2  # how often blocked loops look at the stop flag
_CHUNK = 4096


class ServedDevice(Protocol):
    """What a device simulator offers to be served."""

    bits_per_byte: int

    def receive_data(self, data: bytes) -> bytes:
        """Host bytes in, device reply bytes out."""

    def control(self, line: str) -> str:
        """One control command line in, one answer line out."""


def parse_tcp_url(url: str) -> tuple[str, int]:
    """``tcp://HOST:PORT`` → (host, port); ValueError says what is wrong."""
    prefix = "tcp://"
    if not url.startswith(prefix):
        raise ValueError(f"expected tcp://HOST:PORT, got {url!r}")
    host, sep, port_text = url[len(prefix) :].rpartition(":")
    if not sep or not host or not port_text.isdigit() or int(port_text) > 65535:
        raise ValueError(f"expected tcp://HOST:PORT with a port 0-65535, got {url!r}")
    return host.strip("[]"), int(port_text)


class LinePacer:
    """Sleeps for the wire time of bytes at ``baud`` (does nothing without a baud rate)."""

    def __init__(self, baud: int | None, bits_per_byte: int) -> None:
        if baud is not None and baud <= 0:
            raise ValueError(f"baud must be positive, got {baud}")
        self.baud = baud
        self.bits_per_byte = bits_per_byte

    def wire_time(self, byte_count: int) -> float:
        return 0.0 if self.baud is None else byte_count * self.bits_per_byte / self.baud

    def wait_for(self, byte_count: int) -> None:
        delay = self.wire_time(byte_count)
        if delay > 0:
            time.sleep(delay)


class _Served:
    """Shared life cycle: a background thread until close()."""

    def __init__(self, device: ServedDevice, baud: int | None) -> None:
        self.device = device
        self.pacer = LinePacer(baud, device.bits_per_byte)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name=type(self).__name__, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        raise NotImplementedError

    def _answer(self, data: bytes) -> bytes:
        self.pacer.wait_for(len(data))  # the device sees the frame once its last byte is in
        reply = self.device.receive_data(data)
        self.pacer.wait_for(len(reply))  # ...and the host once the reply's last byte is out
        return reply

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


class TcpDeviceServer(_Served):
    """The device on a TCP port; one host connection at a time, like one serial cable."""

    def __init__(
        self, device: ServedDevice, host: str = "127.0.0.1", port: int = 0, baud: int | None = None
    ) -> None:
        super().__init__(device, baud)
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(_WAKE_INTERVAL)
        bound = self._listener.getsockname()
        self.host, self.port = str(bound[0]), int(bound[1])

    @property
    def url(self) -> str:
        """The address for a driver (pyserial's ``socket://`` form)."""
        return f"socket://{self.host}:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listening socket was closed
            with client:
                self._talk(client)

    def _talk(self, client: socket.socket) -> None:
        client.settimeout(_WAKE_INTERVAL)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while not self._stop.is_set():
            try:
                data = client.recv(_CHUNK)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return  # the host hung up; wait for the next one
            reply = self._answer(data)
            if reply:
                try:
                    client.sendall(reply)
                except OSError:
                    return

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        super().close()


class PtyDeviceServer(_Served):
    """The device behind a pseudo-terminal; drivers open ``path`` like a serial port."""

    def __init__(self, device: ServedDevice, baud: int | None = None) -> None:
        super().__init__(device, baud)
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no CR/LF translation: frames are binary
        self.path = os.ttyname(self._slave)

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], _WAKE_INTERVAL)
            if not ready:
                continue
            try:
                data = os.read(self._master, _CHUNK)
            except OSError:
                return
            reply = self._answer(data)
            if reply:
                os.write(self._master, reply)

    def close(self) -> None:
        super().close()
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):  # already closed
                os.close(fd)


class ControlServer:
    """The line-based control channel: one command per line, one answer line back."""

    def __init__(self, device: ServedDevice, host: str = "127.0.0.1", port: int = 0) -> None:
        self.device = device
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(_WAKE_INTERVAL)
        bound = self._listener.getsockname()
        self.host, self.port = str(bound[0]), int(bound[1])
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self._serve, name="sim-control", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._talk, args=(client,), daemon=True).start()

    def _talk(self, client: socket.socket) -> None:
        with client, client.makefile("rwb") as stream:
            for raw in stream:
                answer = self.answer(raw.decode("utf-8", errors="replace").strip())
                stream.write(answer.encode() + b"\n")
                stream.flush()

    def answer(self, line: str) -> str:
        """The answer line for one command line; a failure inside the device is reported."""
        try:
            return self.device.control(line)
        except Exception as exc:
            log.exception("simulator control command failed: %s", line)
            return f"error: simulator failed on {line!r}: {exc}"

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
