"""Open a printer by URL on python-escpos, and read its replies with a short timeout.

URLs: ``serial:///dev/ttyS0?baud=19200&flow=none`` (or a plain device path),
``tcp://host:9100`` (or pyserial's spelling ``socket://host:9100``), ``usb://04b8:0202``,
``file:///dev/usb/lp0``, ``sim://`` (in-process
simulator, receipts kept in memory) or ``sim:///dir`` (written to dir).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from escpos.exceptions import Error as EscposError

from drivers.printer.profiles import PrinterProfile


class PrinterConnectionError(OSError):
    """The printer could not be opened or written to."""


@dataclass(frozen=True, slots=True)
class PrinterUrl:
    scheme: str  # serial, tcp, usb, file, sim
    target: str
    options: dict[str, str]


def parse_url(url: str) -> PrinterUrl:
    """Split a printer URL; a bare path is a serial device."""
    if "://" not in url:
        return PrinterUrl("serial", url, {})
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    scheme = parts.scheme.lower()
    if scheme in ("serial", "file", "sim"):
        return PrinterUrl(scheme, parts.path, options)
    if scheme in ("tcp", "socket"):  # socket:// is how pyserial (and the validator) say it
        if not parts.hostname or parts.port is None:
            raise PrinterConnectionError(f"printer URL {url!r} needs {scheme}://host:port")
        return PrinterUrl("tcp", f"{parts.hostname}:{parts.port}", options)
    if scheme == "usb":
        return PrinterUrl(scheme, parts.netloc, options)
    raise PrinterConnectionError(
        f"unknown printer URL scheme {scheme!r}; use serial://, tcp:// (socket://), usb://, "
        "file:// or sim://")


def open_device(url: str, profile: PrinterProfile) -> Any:
    """A python-escpos printer object for ``url``, opened."""
    spec = parse_url(url)
    escpos_profile = profile.escpos_profile()
    try:
        if spec.scheme == "serial":
            from escpos.printer import Serial

            flow = spec.options.get("flow", "dsrdtr")
            device: Any = Serial(devfile=spec.target, baudrate=int(spec.options.get("baud", 9600)),
                                 timeout=1, dsrdtr=flow == "dsrdtr", xonxoff=flow == "xonxoff",
                                 profile=escpos_profile)
        elif spec.scheme == "tcp":
            from escpos.printer import Network

            host, port = spec.target.rsplit(":", 1)
            device = Network(host=host, port=int(port), timeout=5, profile=escpos_profile)
        elif spec.scheme == "usb":
            from escpos.printer import Usb

            vendor, product = (int(part, 16) for part in spec.target.split(":"))
            device = Usb(vendor, product, profile=escpos_profile)
        elif spec.scheme == "file":
            from escpos.printer import File

            device = File(devfile=spec.target, profile=escpos_profile)
        else:
            from drivers.printer.simulator.loopback import LoopbackPrinter
            from drivers.printer.simulator.model import PrinterSimulator
            from drivers.printer.simulator.render import ReceiptWriter

            sink = (ReceiptWriter(Path(spec.target), dots=profile.dots, columns=profile.columns)
                    if spec.target not in ("", "/") else None)
            return LoopbackPrinter(PrinterSimulator(sink), profile=escpos_profile)
        device.open()
    except (OSError, ValueError, RuntimeError, EscposError) as exc:
        raise PrinterConnectionError(f"cannot open printer {url}: {exc}") from exc
    return device


def read_reply(device: Any, size: int, timeout: float) -> bytes | None:
    """Read up to ``size`` reply bytes within ``timeout``; None when the link cannot read."""
    from drivers.printer.simulator.loopback import LoopbackPrinter

    if isinstance(device, LoopbackPrinter):
        return device.read_reply(size)
    kind = type(device).__name__
    raw = device._device
    if kind == "Network":
        raw.settimeout(timeout)
        try:
            data: bytes = raw.recv(size)
        except (TimeoutError, BlockingIOError):
            return b""
        return data
    if kind == "Serial":
        raw.timeout = timeout
        data = raw.read(size)
        return bytes(data)
    if kind == "Usb":
        try:
            return bytes(raw.read(device.in_ep, size, int(timeout * 1000)))
        except OSError:
            return b""
    return None


def drain(device: Any) -> None:
    """Drop stale reply bytes so the next read answers the next query."""
    for _ in range(64):
        data = read_reply(device, 64, 0.0)
        if not data:
            return
