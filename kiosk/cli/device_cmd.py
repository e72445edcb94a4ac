"""``kiosk device serve`` (a simulated bill acceptor or receipt printer on a socket or pty)
and ``kiosk device probe`` (talk to a real or simulated bill acceptor and print its identity
and events as JSON lines)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import drivers.bill
from drivers.bill.base import AcceptorError, AcceptorEvent, BillAcceptor, Decision, Escrow
from drivers.bill.ssp.keyfile import KeyFileError, read_fixed_key
from kiosk.cli import CliError
from kiosk.cli.printer_cmd import add_serve_printer

# The acceptor simulators ``kiosk device serve`` has (drivers.sim.SIMULATORS, named here so
# that the command table does not load them).
SERVED_ACCEPTORS = ("ccnet", "id003", "ssp")

# Protocols `probe` can talk to; each new bill acceptor backend adds its name here.
PROBE_PROTOCOLS = ("ccnet", "id003", "ssp")
DEFAULT_CONTROL = "tcp://127.0.0.1:0"
PROBE_POLL_INTERVAL = 0.1


def register(subparsers: Any) -> None:
    device = subparsers.add_parser(
        "device",
        help="serve a simulated device or probe a real one",
        description="Serve a simulated device on a socket or pty, or probe a real or"
        " simulated device and print its identity and events as JSON lines.",
    )
    actions = device.add_subparsers(dest="device_action", metavar="ACTION")
    actions.required = True
    _register_serve(actions)
    _register_probe(actions)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _register_serve(actions: Any) -> None:
    serve = actions.add_parser(
        "serve",
        help="serve a simulated device",
        description="Serve a simulated device that speaks the real wire bytes, with a text"
        " control channel (one command per line). See `kiosk device serve KIND --help`.",
    )
    kinds = serve.add_subparsers(dest="kind", metavar="KIND")
    kinds.required = True
    for kind in SERVED_ACCEPTORS:
        _register_serve_acceptor(kinds, kind)
    add_serve_printer(kinds, name="printer")


def _register_serve_acceptor(kinds: Any, kind: str) -> None:
    serve = kinds.add_parser(
        kind,
        help=f"serve a simulated {kind} bill acceptor",
        description=f"Serve a simulated {kind} bill acceptor that speaks the real wire bytes,"
        " with a text control channel (one command per line; send 'help' for the list).",
    )
    where = serve.add_mutually_exclusive_group(required=True)
    where.add_argument("--listen", metavar="tcp://HOST:PORT", help="serve on a TCP port")
    where.add_argument("--pty", action="store_true", help="serve on a new pseudo-terminal")
    serve.add_argument(
        "--baud", type=_positive_int, help="pace bytes as on a serial line at this baud rate"
    )
    serve.add_argument(
        "--control",
        metavar="tcp://HOST:PORT",
        default=DEFAULT_CONTROL,
        help=f"control channel address (default {DEFAULT_CONTROL}: any free port)",
    )
    serve.add_argument("--seed", type=int, help="seed of the simulator's randomness")
    if kind == "ssp":
        serve.add_argument(
            "--essp-key-file",
            type=Path,
            metavar="FILE",
            help="require eSSP (encrypted SSP) with the fixed key in FILE (16 hex digits)",
        )
        serve.add_argument(
            "--no-poll-with-ack",
            action="store_true",
            help="firmware without POLL WITH ACK / EVENT ACK (it answers 'unknown command')",
        )
    serve.set_defaults(handler=_serve)


def _register_probe(actions: Any) -> None:
    probe = actions.add_parser(
        "probe",
        help="print a device's identity and events as JSON lines",
        description="Talk to a bill acceptor and print one JSON object per line: identity,"
        " bill table, then events as they come (amounts in tiyn).",
    )
    probe.add_argument("--protocol", choices=PROBE_PROTOCOLS, required=True)
    probe.add_argument("--port", required=True, help="/dev/ttyS0, a pty path, socket://HOST:PORT")
    probe.add_argument(
        "--accept", action="store_true", help="enable every note and stack each (acceptance test)"
    )
    probe.add_argument("--seconds", type=_positive_seconds, help="run this long, then exit 0")
    probe.add_argument(
        "--timeout", type=_positive_seconds, default=1.0, help="reply timeout in seconds"
    )
    probe.add_argument(
        "--essp-key-file",
        type=Path,
        metavar="FILE",
        help="ssp only: talk eSSP (encrypted SSP) with the fixed key in FILE (16 hex digits)",
    )
    probe.set_defaults(handler=_probe)


class _Stopper:
    """Set by SIGTERM or Ctrl-C: the normal ways to end `serve` and `probe`."""

    def __init__(self) -> None:
        self.done = threading.Event()

    def __enter__(self) -> _Stopper:
        self._previous = signal.signal(signal.SIGTERM, lambda *_: self.done.set())
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGTERM, self._previous)

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds``; True once it is time to stop."""
        try:
            return self.done.wait(seconds)
        except KeyboardInterrupt:
            self.done.set()
            return True


def _fixed_key(path: Path) -> int:
    """The eSSP fixed key in ``path``, or a one-line error naming the file (exit 2)."""
    try:
        return read_fixed_key(path)
    except KeyFileError as exc:
        raise CliError(str(exc)) from exc


def _ssp_device(args: argparse.Namespace) -> Any:
    """The SSP simulator as the serve options describe it."""
    from drivers.sim.bill.ssp import SspDevice

    poll_with_ack = not args.no_poll_with_ack
    if args.essp_key_file is None:
        return SspDevice(seed=args.seed, poll_with_ack=poll_with_ack)
    return SspDevice(
        seed=args.seed,
        require_encryption=True,
        fixed_key=_fixed_key(args.essp_key_file),
        poll_with_ack=poll_with_ack,
    )


def _serve(args: argparse.Namespace) -> int:
    from drivers.sim import start_simulator  # simulators load only when one is served

    device = _ssp_device(args) if args.kind == "ssp" else None
    try:
        running = start_simulator(
            args.kind,
            listen=args.listen,
            pty=args.pty,
            baud=args.baud,
            control=args.control,
            seed=args.seed,
            device=device,
        )
    except (ValueError, OSError) as exc:
        raise CliError(str(exc)) from exc
    try:
        for line in running.describe():
            print(line, flush=True)
        if args.kind == "ssp" and args.essp_key_file is not None:
            print(
                f"{args.kind} simulator: requires eSSP, fixed key from {args.essp_key_file}",
                flush=True,
            )
        with _Stopper() as stopper:
            while not stopper.wait(0.5):  # short waits keep Ctrl-C responsive
                pass
    finally:
        running.close()
    return 0


def event_record(event: AcceptorEvent) -> dict[str, Any]:
    """An acceptor event as a JSON-ready dict: ``{"event": "stacked", "amount": …}``."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()
    return {"event": name, **dataclasses.asdict(event)}


class _JsonLines:
    """Prints JSON lines; events that arrive before the identity is printed wait for it."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()
        self._held: list[dict[str, Any]] | None = []

    def emit(self, record: dict[str, Any]) -> None:
        with self._lock:
            if self._held is not None:
                self._held.append(record)
            else:
                self._write(record)

    def release(self, first: list[dict[str, Any]]) -> None:
        with self._lock:
            for record in first + (self._held or []):
                self._write(record)
            self._held = None

    def _write(self, record: dict[str, Any]) -> None:
        self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._out.flush()


def _probe_listener(printer: _JsonLines, accept: bool) -> Callable[[AcceptorEvent], Decision]:
    def listener(event: AcceptorEvent) -> Decision:
        printer.emit(event_record(event))
        if isinstance(event, Escrow) and accept:
            return Decision.STACK
        return Decision.RETURN

    return listener


def _probe(args: argparse.Namespace) -> int:
    options: dict[str, Any] = {}
    if args.essp_key_file is not None:
        if args.protocol != "ssp":
            raise CliError(f"--essp-key-file is for --protocol ssp (eSSP), not {args.protocol}")
        options["fixed_key"] = _fixed_key(args.essp_key_file)
    acceptor: BillAcceptor = drivers.bill.open(
        args.protocol,
        args.port,
        response_timeout=args.timeout,
        poll_interval=PROBE_POLL_INTERVAL,
        **options,
    )
    printer = _JsonLines(sys.stdout)
    acceptor.set_listener(_probe_listener(printer, args.accept))
    # SIGTERM stops the probe cleanly from the start: a caller that has read the bill table
    # may end it at once.
    with _Stopper() as stopper:
        try:
            acceptor.start(threaded=False)  # driven inline: the set is applied before "ready"
        except AcceptorError as exc:
            raise CliError(str(exc), exit_code=1) from exc
        try:
            _probe_loop(acceptor, printer, args, stopper)
        finally:
            acceptor.stop()
    return 0


def _probe_loop(
    acceptor: BillAcceptor, printer: _JsonLines, args: argparse.Namespace, stopper: _Stopper
) -> None:
    notes = [amount for amount in acceptor.bill_table if amount]
    acceptor.set_enabled(notes if args.accept else [])
    acceptor.poll_once()
    identity = acceptor.identity
    printer.release(
        [
            {
                "event": "identity",
                "model": identity.model if identity else "",
                "serial": identity.serial if identity else "",
                "firmware": identity.firmware if identity else "",
                "asset": identity.asset if identity else "",
            },
            {"event": "bill_table", "notes": notes},
        ]
    )
    deadline = None if args.seconds is None else time.monotonic() + args.seconds
    while deadline is None or time.monotonic() < deadline:
        if stopper.done.is_set():
            break
        acceptor.poll_once()
        if stopper.wait(PROBE_POLL_INTERVAL):
            break
