"""Running the ledger over HTTP(S) with uvicorn: blocking (the CLI) or on a thread (tests,
bench). HTTPS takes a PEM certificate (chain) file and an unencrypted PEM key file."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import resource
import signal
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from kiosk.domain.logfmt import log_event
from sync.ledger.app import BODY_TIMEOUT_S, MAX_BODY_BYTES, create_app
from sync.ledger.logs import setup_logging
from sync.ledger.ration import SERVED, UNRATIONED, Rule
from sync.ledger.service import Ledger

log = logging.getLogger("sync.ledger.server")

# After SIGTERM, answers in progress get this long; then idle keep-alive connections are
# dropped (a TLS close otherwise waits up to 30 s for the kiosk's close_notify). A batch cut
# short is sent again by the kiosk and answered as a duplicate.
GRACEFUL_SHUTDOWN_S = 5
# The edge (docs/decisions/019): what one client can make the server hold before it has
# proved to be a terminal.
HEADER_TIMEOUT_S = 5.0  # from connecting (or the last answer) to a request's full headers
KEEP_ALIVE_S = 5  # an idle keep-alive connection is closed after this long
MAX_HEADER_BYTES = 16 * 1024  # request line and headers; more is answered 400
MAX_CONNECTIONS = 1000  # open connections; past it the longest idle one is closed
FDS_SPARE = 64  # descriptors kept for the database, the log and the listening socket
LOG_BURST = 20  # server error lines let through per LOG_WINDOW_S; the rest are counted
LOG_WINDOW_S = 10.0


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of the ledger's edge; ``kiosk ledger serve`` flags set them."""

    max_body: int = MAX_BODY_BYTES
    max_connections: int = MAX_CONNECTIONS
    header_timeout: float = HEADER_TIMEOUT_S
    body_timeout: float = BODY_TIMEOUT_S


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
        raise TlsError(
            f"--certfile {files.certfile} / --keyfile {files.keyfile} do not load "
            f"as a PEM certificate and its key: {exc.reason or exc}"
        ) from None
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


class _HeaderDeadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for a request's headers and a bound on
    open connections.

    uvicorn arms no timer on a fresh connection, and any byte received cancels its
    keep-alive timer: a client that connects and sends nothing, or dribbles a header a byte
    a second, holds a connection (and a descriptor) for ever. Here the headers must be
    complete ``header_timeout`` seconds after connecting, or after the previous answer;
    otherwise the connection is closed without an answer or a log line.

    Past ``max_connections`` open connections, a new one closes the connection that has
    waited longest for a request (it costs its owner nothing to open it again); only when
    every connection is in the middle of a request is the new one closed instead. uvicorn's
    own ``limit_concurrency`` would answer 503 to everyone, /health included, while idle
    sockets hold the slots."""

    header_timeout = HEADER_TIMEOUT_S
    max_connections = MAX_CONNECTIONS
    _deadline: asyncio.TimerHandle | None = None
    _waiting_since = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_deadline()
        if len(self.connections) > self.max_connections:
            self._make_room()

    def _waiting(self) -> bool:
        """No request in progress: between requests, or its headers not yet complete."""
        return (
            self._deadline is not None
            and not self.transport.is_closing()
            and (self.cycle is None or self.cycle.response_complete)
        )

    def _make_room(self) -> None:
        waiting = [
            other
            for other in self.connections
            if isinstance(other, _HeaderDeadline) and other is not self and other._waiting()
        ]
        victim = min(waiting, key=lambda other: other._waiting_since, default=self)
        victim._too_slow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_deadline()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:
            self._disarm_deadline()  # the headers are in

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._arm_deadline()

    def _arm_deadline(self) -> None:
        self._disarm_deadline()
        self._waiting_since = time.monotonic()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._disarm_deadline()
        self.connections.discard(self)  # at once: the close completes on a later turn
        if not self.transport.is_closing():
            self.transport.close()


def _protocol(limits: Limits) -> type[H11Protocol]:
    return type(
        "LedgerHttpProtocol",
        (_HeaderDeadline,),
        {"header_timeout": limits.header_timeout, "max_connections": _connections(limits)},
    )


class _RateLimit(logging.Filter):
    """At most LOG_BURST records per LOG_WINDOW_S through one logger; the next record let
    through says how many were dropped. Client-caused errors (bad requests, a full
    descriptor table) otherwise fill the disk: 101 MB in 20 s under attack."""

    def __init__(self) -> None:
        super().__init__()
        self._window = 0.0
        self._passed = 0
        self._dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        if now - self._window >= LOG_WINDOW_S:
            self._window, self._passed = now, 0
        if self._passed >= LOG_BURST:
            self._dropped += 1
            return False
        self._passed += 1
        if self._dropped:
            record.msg = f"{record.getMessage()} ({self._dropped} similar lines dropped)"
            record.args = ()
            self._dropped = 0
        return True


def limit_logs() -> None:
    """Rate-limit the loggers a client can make write (uvicorn's errors, asyncio's accept
    errors, the ledger's refused requests); idempotent."""
    for name in ("uvicorn.error", "asyncio", "sync.ledger.http"):
        logger = logging.getLogger(name)
        if not any(isinstance(existing, _RateLimit) for existing in logger.filters):
            logger.addFilter(_RateLimit())


def raise_open_files_limit() -> int:
    """Raise this process's soft limit of open descriptors to the hard limit (1024 by default
    on Linux, often 500000 hard): a thousand idle sockets must not leave the server unable to
    accept. Returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


def _connections(limits: Limits) -> int:
    """The connection limit, kept under the descriptors this process may open."""
    soft = raise_open_files_limit()
    if soft == resource.RLIM_INFINITY:
        return limits.max_connections
    return max(1, min(limits.max_connections, soft - FDS_SPARE))


def _server(
    ledger: Ledger,
    log_level: str,
    tls: TlsFiles | None,
    rations: Mapping[str, Rule] = SERVED,
    limits: Limits | None = None,
) -> uvicorn.Server:
    limits = limits or Limits()
    app = create_app(
        ledger, rations=rations, max_body=limits.max_body, body_timeout=limits.body_timeout
    )
    options: dict[str, Any] = {
        "http": _protocol(limits),
        "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
        "timeout_keep_alive": KEEP_ALIVE_S,
    }
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        ssl_certfile=None if tls is None else tls.certfile,
        ssl_keyfile=None if tls is None else tls.keyfile,
        **options,
    )
    limit_logs()  # after Config: it configures uvicorn's loggers
    try:
        config.load()  # here, not on the server's thread, so that a bad file is raised here
    except (OSError, ssl.SSLError) as exc:
        raise TlsError(f"cannot serve HTTPS: {exc}") from None
    return uvicorn.Server(config)


def serve(
    ledger: Ledger,
    sock: socket.socket,
    log_level: str = "warning",
    tls: TlsFiles | None = None,
    limits: Limits | None = None,
) -> None:
    """Serve until interrupted (SIGINT/SIGTERM) on an already bound socket; HTTPS with
    ``tls`` (see :func:`tls_files`); the edge bounded by ``limits``."""
    _server(ledger, log_level, tls, limits=limits).run(sockets=[sock])


MAX_WORKERS = 64
# A worker that dies is started again after this long, doubled while it keeps dying within
# RESTART_SETTLE_S of its start (a bad database URL must not spin the machine).
RESTART_DELAY_S = 0.5
RESTART_DELAY_MAX_S = 30.0
RESTART_SETTLE_S = 10.0


def _worker_main(
    opener: Callable[[], Ledger],
    sock: socket.socket,
    log_level: str,
    tls: TlsFiles | None,
    limits: Limits | None,
) -> None:
    """One worker process: its own engine and pool (never inherited), one uvicorn server on
    the shared listening socket; the kernel spreads new connections over the workers. A
    spawned process starts without the parent's logging: JSON lines on stderr, as
    ``kiosk ledger serve`` sets them up."""
    setup_logging(log_level)
    ledger = opener()
    try:
        serve(ledger, sock, log_level, tls, limits)
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


def serve_workers(
    opener: Callable[[], Ledger],
    sock: socket.socket,
    workers: int,
    log_level: str = "warning",
    tls: TlsFiles | None = None,
    limits: Limits | None = None,
    poll_s: float = 0.2,
) -> None:
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
                    worker.delay = (
                        min(worker.delay * 2, RESTART_DELAY_MAX_S) if quick else RESTART_DELAY_S
                    )
                    worker.due = now + worker.delay
                    log_event(
                        log,
                        "ledger worker exited",
                        logging.WARNING,
                        worker=worker.slot,
                        pid=process.pid,
                        exitcode=process.exitcode,
                        restart_in_s=round(worker.delay, 1),
                    )
                    worker.process = None
                if worker.process is None and now >= worker.due:
                    worker.process = context.Process(
                        target=_worker_main,
                        args=(opener, sock, log_level, tls, limits),
                        name=f"ledger-worker-{worker.slot}",
                        daemon=False,
                    )
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

    def __init__(
        self,
        ledger: Ledger,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        certfile: Path | str | None = None,
        keyfile: Path | str | None = None,
        rations: Mapping[str, Rule] = UNRATIONED,
        limits: Limits | None = None,
    ) -> None:
        self.ledger = ledger
        tls = tls_files(certfile, keyfile)
        self._server = _server(ledger, "warning", tls, rations, limits)
        self._socket = bind(host, port)
        self.port = self._socket.getsockname()[1]
        scheme = "http" if tls is None else "https"
        shown_host = f"[{host}]" if ":" in host else host
        self.url = f"{scheme}://{shown_host}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"ledger-{self.port}",
            daemon=True,
        )

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
