"""Running the ledger over HTTP(S) with uvicorn: blocking (the CLI) or on a thread (tests,
bench). HTTPS takes a PEM certificate (chain) file and an unencrypted PEM key file."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import uvicorn

from sync.ledger.app import create_app
from sync.ledger.ration import SERVED, UNRATIONED, Rule
from sync.ledger.service import Ledger

# After SIGTERM, answers in progress get this long; then idle keep-alive connections are
# dropped (a TLS close otherwise waits up to 30 s for the kiosk's close_notify). A batch cut
# short is sent again by the kiosk and answered as a duplicate.
GRACEFUL_SHUTDOWN_S = 5


class ListenError(ValueError):
    """A ``--listen`` value that is not HOST:PORT."""


def parse_listen(text: str) -> tuple[str, int]:
    """``127.0.0.1:8080`` → ("127.0.0.1", 8080); ``[::1]:0`` works too."""
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise ListenError(f"--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got {text!r}")
    return host.strip("[]"), int(port)


class TlsError(ValueError):
    """A certificate and key that cannot serve HTTPS; the message says which file and why."""


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """The server certificate (chain) and its private key, both PEM."""

    certfile: Path
    keyfile: Path


def _no_password() -> NoReturn:
    # Without a callback OpenSSL would prompt on the terminal and hang a service start.
    raise TlsError("the key file is encrypted: give an unencrypted PEM key (mode 0600)")


def tls_files(certfile: Path | str | None, keyfile: Path | str | None) -> TlsFiles | None:
    """Both files or neither (None: plain HTTP); TlsError unless they load as a pair."""
    if certfile is None and keyfile is None:
        return None
    if certfile is None or keyfile is None:
        raise TlsError("--certfile and --keyfile go together: give both, or neither for HTTP")
    files = TlsFiles(Path(certfile), Path(keyfile))
    for flag, path in (("--certfile", files.certfile), ("--keyfile", files.keyfile)):
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise TlsError(f"{flag} {path}: {exc.strerror or exc}") from None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(files.certfile, files.keyfile, password=_no_password)
    except ssl.SSLError as exc:
        raise TlsError(f"--certfile {files.certfile} / --keyfile {files.keyfile} do not load "
                       f"as a PEM certificate and its key: {exc.reason or exc}") from None
    return files


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


def _server(ledger: Ledger, log_level: str, tls: TlsFiles | None,
            rations: Mapping[str, Rule] = SERVED) -> uvicorn.Server:
    config = uvicorn.Config(create_app(ledger, rations=rations), log_level=log_level,
                            access_log=False,
                            lifespan="off", timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
                            ssl_certfile=None if tls is None else tls.certfile,
                            ssl_keyfile=None if tls is None else tls.keyfile)
    try:
        config.load()  # here, not on the server's thread, so that a bad file is raised here
    except (OSError, ssl.SSLError) as exc:
        raise TlsError(f"cannot serve HTTPS: {exc}") from None
    return uvicorn.Server(config)


def serve(ledger: Ledger, sock: socket.socket, log_level: str = "warning",
          tls: TlsFiles | None = None) -> None:
    """Serve until interrupted (SIGINT/SIGTERM) on an already bound socket; HTTPS with
    ``tls`` (see :func:`tls_files`)."""
    _server(ledger, log_level, tls).run(sockets=[sock])


class LedgerThread:
    """A ledger served on a background thread of this process (tests and benchmarks); over
    HTTPS when given a certificate and key file (``url`` then starts with ``https://``)."""

    def __init__(self, ledger: Ledger, host: str = "127.0.0.1", port: int = 0, *,
                 certfile: Path | str | None = None, keyfile: Path | str | None = None,
                 rations: Mapping[str, Rule] = UNRATIONED) -> None:
        self.ledger = ledger
        tls = tls_files(certfile, keyfile)
        self._server = _server(ledger, "warning", tls, rations)
        self._socket = bind(host, port)
        self.port = self._socket.getsockname()[1]
        scheme = "http" if tls is None else "https"
        shown_host = f"[{host}]" if ":" in host else host
        self.url = f"{scheme}://{shown_host}:{self.port}"
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
