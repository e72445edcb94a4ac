"""Serve a PrinterSimulator on TCP or a pty, with a line-based TCP control channel.

One thread runs a selector over every socket and the pty, so the simulator is only ever
touched from that thread.
"""

from __future__ import annotations

import os
import selectors
import socket
import threading
import tty
from dataclasses import dataclass
from urllib.parse import urlsplit

from drivers.sim.printer.model import PrinterSimulator


class ServeError(ValueError):
    """A listen/control address the server cannot use."""


@dataclass(frozen=True, slots=True)
class _Role:
    name: str  # data-listen, data, control-listen, control, pty


def parse_tcp(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "tcp" or not parts.hostname or parts.port is None:
        raise ServeError(f"expected tcp://HOST:PORT, got {url!r}")
    return parts.hostname, parts.port


class PrinterServer:
    """Start with ``start()``; ``data_address`` and ``control_address`` say where it listens."""

    def __init__(
        self,
        simulator: PrinterSimulator,
        *,
        listen: str | None = None,
        pty: bool = False,
        control: str | None = None,
    ) -> None:
        if (listen is None) == (not pty):
            raise ServeError("give exactly one of --listen tcp://HOST:PORT or --pty")
        self.simulator = simulator
        self._selector = selectors.DefaultSelector()
        self._stop_r, self._stop_w = socket.socketpair()
        self._selector.register(self._stop_r, selectors.EVENT_READ, _Role("stop"))
        self._thread: threading.Thread | None = None
        self._pty_fds: tuple[int, int] | None = None
        self._control_buffers: dict[socket.socket, bytearray] = {}
        self.data_address = self._listen_data(listen) if listen else self._open_pty()
        self.control_address = self._listen(control, "control-listen") if control else None

    def _listen(self, url: str, role: str) -> str:
        host, port = parse_tcp(url)
        server = socket.create_server((host, port))
        server.setblocking(False)
        self._selector.register(server, selectors.EVENT_READ, _Role(role))
        bound_host, bound_port = server.getsockname()[:2]
        return f"tcp://{bound_host}:{bound_port}"

    def _listen_data(self, url: str) -> str:
        return self._listen(url, "data-listen")

    def _open_pty(self) -> str:
        master, slave = os.openpty()
        tty.setraw(slave)
        tty.setraw(master)
        os.set_blocking(master, False)
        self._pty_fds = (master, slave)  # keep the slave open: the master survives hang-ups
        self._selector.register(master, selectors.EVENT_READ, _Role("pty"))
        return os.ttyname(slave)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="printer-sim", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop_w.send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        for key in list(self._selector.get_map().values()):
            fileobj = key.fileobj
            if isinstance(fileobj, socket.socket):
                fileobj.close()
        self._selector.close()
        self._stop_w.close()
        if self._pty_fds:
            for fd in self._pty_fds:
                os.close(fd)

    def serve_forever(self) -> None:
        self._run()

    def _run(self) -> None:
        while True:
            for key, _ in self._selector.select():
                role: _Role = key.data
                if role.name == "stop":
                    return
                self._handle(role.name, key.fileobj)

    def _handle(self, role: str, fileobj: object) -> None:
        if role in ("data-listen", "control-listen"):
            assert isinstance(fileobj, socket.socket)
            client, _ = fileobj.accept()
            client.setblocking(True)
            kind = "data" if role == "data-listen" else "control"
            self._selector.register(client, selectors.EVENT_READ, _Role(kind))
            if kind == "control":
                self._control_buffers[client] = bytearray()
        elif role == "data":
            assert isinstance(fileobj, socket.socket)
            data = self._recv(fileobj)
            if data:
                reply = self.simulator.receive(data)
                if reply:
                    fileobj.sendall(reply)
        elif role == "control":
            assert isinstance(fileobj, socket.socket)
            self._control(fileobj)
        elif role == "pty":
            assert isinstance(fileobj, int)
            try:
                data = os.read(fileobj, 65536)
            except (BlockingIOError, OSError):
                return
            reply = self.simulator.receive(data)
            if reply:
                os.write(fileobj, reply)

    def _recv(self, client: socket.socket) -> bytes:
        try:
            data = client.recv(65536)
        except ConnectionError:
            data = b""
        if not data:
            self._selector.unregister(client)
            self._control_buffers.pop(client, None)
            client.close()
        return data

    def _control(self, client: socket.socket) -> None:
        buffer = self._control_buffers.get(client)
        data = self._recv(client)
        if buffer is None or not data:
            return
        buffer += data
        while b"\n" in buffer:
            line, _, rest = bytes(buffer).partition(b"\n")
            buffer[:] = rest
            answer = self.simulator.control(line.decode("utf-8", errors="replace").strip())
            client.sendall(answer.encode() + b"\n")


def send_control(address: str, command: str, timeout: float = 5.0) -> str:
    """Send one control command and return the answer line (for tests and scripts)."""
    host, port = parse_tcp(address)
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.sendall(command.encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.decode().strip()
