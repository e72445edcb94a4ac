"""Running the ledger over HTTP with uvicorn: blocking (the CLI) or on a thread (tests, bench)."""

from __future__ import annotations

import socket
import threading

import uvicorn

from sync.ledger.app import create_app
from sync.ledger.service import Ledger


class ListenError(ValueError):
    """A ``--listen`` value that is not HOST:PORT."""


def parse_listen(text: str) -> tuple[str, int]:
    """``127.0.0.1:8080`` → ("127.0.0.1", 8080); ``[::1]:0`` works too."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ListenError(f"--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got {text!r}")
    return host.strip("[]"), int(port)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free port (read it back from getsockname())."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto=IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted connections; with proto 0
    # it does not, and every keep-alive answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def _server(ledger: Ledger, log_level: str) -> uvicorn.Server:
    config = uvicorn.Config(create_app(ledger), log_level=log_level, access_log=False,
                            lifespan="off")
    return uvicorn.Server(config)


def serve(ledger: Ledger, sock: socket.socket, log_level: str = "warning") -> None:
    """Serve until interrupted (SIGINT/SIGTERM) on an already bound socket."""
    _server(ledger, log_level).run(sockets=[sock])


class LedgerThread:
    """A ledger served on a background thread of this process (tests and benchmarks)."""

    def __init__(self, ledger: Ledger, host: str = "127.0.0.1", port: int = 0) -> None:
        self.ledger = ledger
        self._socket = bind(host, port)
        bound_host, self.port = self._socket.getsockname()[:2]
        self.url = f"http://{host}:{self.port}"
        self._server = _server(ledger, "warning")
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._socket]},
                                        name=f"ledger-{self.port}", daemon=True)

    def start(self) -> LedgerThread:
        # Connections made before uvicorn accepts wait in the listen backlog: no start race.
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        self._socket.close()
        if self._thread.is_alive():
            raise RuntimeError(f"ledger server on port {self.port} did not stop in {timeout} s")

    def __enter__(self) -> LedgerThread:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
