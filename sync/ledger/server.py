"""Running the ledger over HTTP(S) with uvicorn: blocking (the CLI) or on a thread (tests,
bench). HTTPS takes a PEM certificate (chain) file and an unencrypted PEM key file."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import uvicorn

from kiosk.logs import log_event
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


log = logging.getLogger("sync.ledger.server")

MAX_WORKERS = 64
# A worker that dies is started again after this long, doubled while it keeps dying within
# RESTART_SETTLE_S of its start (a bad database URL must not spin the machine).
RESTART_DELAY_S = 0.5
RESTART_DELAY_MAX_S = 30.0
RESTART_SETTLE_S = 10.0


def _worker_main(opener: Callable[[], Ledger], sock: socket.socket, log_level: str,
                 tls: TlsFiles | None, setup: Callable[[str], None] | None) -> None:
    """One worker process: its own engine and pool (never inherited), one uvicorn server on
    the shared listening socket; the kernel spreads new connections over the workers."""
    if setup is not None:
        setup(log_level)
    ledger = opener()
    try:
        serve(ledger, sock, log_level, tls)
    finally:
        ledger.close()


class _Worker:
    """A slot of the pool: its process and when to start it again after it died."""

    def __init__(self, slot: int) -> None:
        self.slot = slot
        self.process: multiprocessing.process.BaseProcess | None = None
        self.started = 0.0
        self.delay = RESTART_DELAY_S
        self.due = 0.0


def serve_workers(opener: Callable[[], Ledger], sock: socket.socket, workers: int,
                  log_level: str = "warning", tls: TlsFiles | None = None,
                  setup: Callable[[str], None] | None = None,
                  poll_s: float = 0.2) -> None:
    """Serve with ``workers`` processes on one bound socket until SIGINT/SIGTERM.

    Every worker is stateless: all state is in the database (PostgreSQL for several
    workers), so a worker that dies loses nothing but the answers in flight, which the kiosk
    sends again and gets as duplicates. ``opener`` (picklable: workers are *spawned*, not
    forked, so no engine, lock or thread is shared) opens the ledger in each worker; the
    caller has migrated the database before. A dead worker is started again with a growing
    delay; SIGTERM is passed on to every worker, which finishes its answers in progress."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"workers must be 1..{MAX_WORKERS}, got {workers}")
    context = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    pool = [_Worker(slot) for slot in range(workers)]
    try:
        while not stopping.is_set():
            now = time.monotonic()
            for worker in pool:
                process = worker.process
                if process is not None and process.exitcode is not None:
                    quick = now - worker.started < RESTART_SETTLE_S
                    worker.delay = (min(worker.delay * 2, RESTART_DELAY_MAX_S) if quick
                                    else RESTART_DELAY_S)
                    worker.due = now + worker.delay
                    log_event(log, "ledger worker exited", logging.WARNING,
                              worker=worker.slot, pid=process.pid, exitcode=process.exitcode,
                              restart_in_s=round(worker.delay, 1))
                    worker.process = None
                if worker.process is None and now >= worker.due:
                    worker.process = context.Process(
                        target=_worker_main, args=(opener, sock, log_level, tls, setup),
                        name=f"ledger-worker-{worker.slot}", daemon=False)
                    worker.process.start()
                    worker.started = now
            stopping.wait(poll_s)
    finally:
        running = [w.process for w in pool if w.process is not None and w.process.is_alive()]
        for process in running:
            process.terminate()  # SIGTERM: uvicorn's graceful shutdown
        deadline = time.monotonic() + GRACEFUL_SHUTDOWN_S + 5
        for process in running:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
        for signum, handler in previous.items():
            signal.signal(signum, handler)



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
