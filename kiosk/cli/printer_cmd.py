"""``kiosk printer test`` (a test page with every Kazakh letter and the printer's status) and
``kiosk printer serve`` (the ESC/POS printer simulator on TCP or a pty)."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from drivers.printer import (
    PROFILES,
    EscposDriver,
    PrinterConnectionError,
    PrinterProfile,
    PrinterState,
    UnknownProfileError,
    get_profile,
)
from kiosk.cli import CliError
from kiosk.payment import PrinterError
from kiosk.printing import EscposReceiptPrinter, test_page_text, text_document

DEFAULT_PROFILE = "TM-T88V"
# What a technician does about a printer that cannot print, by state.
_FIXES: dict[PrinterState, str] = {
    PrinterState.PAPER_OUT: "load a paper roll",
    PrinterState.COVER_OPEN: "close the printer cover",
    PrinterState.OFFLINE: "check the printer's panel and its online button",
    PrinterState.ERROR: "clear the jam or power-cycle the printer",
    PrinterState.UNKNOWN: "check the printer's power, cable and the --port URL",
    PrinterState.OK: "",
    PrinterState.PAPER_NEAR_END: "",
}
DEFAULT_CONTROL = "tcp://127.0.0.1:0"
PRINTER_FAULT_EXIT = 1


def register(subparsers: Any) -> None:
    printer = subparsers.add_parser(
        "printer", help="test a receipt printer or serve a simulated one", description=__doc__
    )
    actions = printer.add_subparsers(dest="printer_action", metavar="ACTION")
    actions.required = True
    test = actions.add_parser(
        "test", help="print a test page (all 42 Kazakh letters) and the printer's status"
    )
    test.add_argument(
        "--port",
        required=True,
        metavar="URL",
        help="serial:///dev/ttyS0?baud=19200, tcp://HOST:PORT, usb://VID:PID, "
        "file:///PATH or a device path",
    )
    _add_profile(test)
    test.add_argument(
        "--timeout",
        type=float,
        default=1.0,
        help="seconds to wait for each status reply (default 1)",
    )
    test.set_defaults(handler=_test)
    add_serve_printer(actions, name="serve")


def add_serve_printer(subparsers: Any, name: str = "printer") -> argparse.ArgumentParser:
    """Register the printer simulator's serve arguments as choice ``name`` of ``subparsers``."""
    serve: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help="serve a simulated ESC/POS receipt printer",
        description="Serve a simulated ESC/POS receipt printer; each receipt (at a cut) is "
        "written to --out as .txt and .png. Control channel commands, one a line: "
        "paper-near-end, paper-out, paper-in, cover-open, cover-close, cover-open-in BYTES, "
        "offline, online, "
        "mute SECONDS, state.",
    )
    add_serve_arguments(serve)
    return serve


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--listen", metavar="tcp://HOST:PORT", help="serve on a TCP port")
    where.add_argument("--pty", action="store_true", help="serve on a new pseudo-terminal")
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="directory for the printed receipts (.txt and .png)",
    )
    parser.add_argument(
        "--control",
        metavar="tcp://HOST:PORT",
        default=DEFAULT_CONTROL,
        help=f"control channel address (default {DEFAULT_CONTROL})",
    )
    _add_profile(parser)
    parser.set_defaults(handler=serve_printer)


def _add_profile(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(profile.name for profile in PROFILES.values())
    parser.add_argument(
        "--profile",
        default=DEFAULT_PROFILE,
        help=f"printer profile ({names}; default {DEFAULT_PROFILE})",
    )


def _profile(name: str) -> PrinterProfile:
    try:
        return get_profile(name)
    except UnknownProfileError as exc:
        raise CliError(str(exc)) from exc


def _test(args: argparse.Namespace) -> int:
    profile = _profile(args.profile)
    try:
        driver = EscposDriver.open(args.port, profile, reply_timeout=args.timeout)
    except PrinterConnectionError as exc:
        raise CliError(str(exc), PRINTER_FAULT_EXIT) from exc
    try:
        status = driver.status()
        if driver.has_status and not status.can_print:
            raise CliError(
                f"printer at {args.port} cannot print: {status.reason} (state "
                f"{status.state.value}); {_FIXES[status.state]}",
                PRINTER_FAULT_EXIT,
            )
        printer = EscposReceiptPrinter(driver)
        document = text_document(
            test_page_text(profile, status), profile.columns, qr="kiosk printer test"
        )
        try:
            printer.print_document(document, what="test page")
        except PrinterError as exc:
            raise CliError(str(exc), PRINTER_FAULT_EXIT) from exc
    finally:
        driver.close()
    print(
        f"test page printed on {args.port} (profile {profile.name}, code page "
        f"{profile.text_page.name}); status: {status.state.value} ({status.reason})"
    )
    return 0


def serve_printer(args: argparse.Namespace) -> int:
    """Run the simulator until interrupted; print where it listens, one item a line."""
    from drivers.sim.printer import PrinterServer, PrinterSimulator, ReceiptWriter
    from drivers.sim.printer.server import ServeError

    profile = _profile(args.profile)
    writer = ReceiptWriter(args.out, dots=profile.dots, columns=profile.columns)
    try:
        server = PrinterServer(
            PrinterSimulator(writer), listen=args.listen, pty=args.pty, control=args.control
        )
    except (ServeError, OSError) as exc:
        raise CliError(str(exc)) from exc
    done = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    previous = signal.signal(signal.SIGTERM, stop)
    server.start()
    try:
        # Same form as the bill acceptor simulators: "<kind> simulator: port <address>".
        print(f"printer simulator: port {server.data_address}", flush=True)
        if server.control_address:
            print(f"printer simulator: control {server.control_address}", flush=True)
        print(f"printer simulator: out {args.out}", flush=True)
        while not done.wait(0.5):  # short waits keep Ctrl-C responsive
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
    return 0
