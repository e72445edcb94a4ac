"""Open a printer by URL on python-escpos, and read its replies with a short timeout.

URLs: ``serial:///dev/ttyS0?baud=19200&flow=none`` (or a plain device path),
``tcp://host:9100`` (or pyserial's spelling ``socket://host:9100``), ``rfc2217://host:port``
(a serial printer behind a serial port server), ``usb://04b8:0202``, ``file:///dev/usb/lp0``,
``sim://`` (in-process simulator, receipts kept in memory) or ``sim:///dir`` (written to dir).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from escpos.exceptions import Error as EscposError

from drivers.printer.profiles import PrinterProfile

SIMULATED_PRINTER = "drivers.sim.printer.loopback"  # the module behind sim:// URLs


class PrinterConnectionError(OSError):
    """The printer could not be opened or written to."""


@dataclass(frozen=True, slots=True)
class PrinterUrl:
    scheme: str  # serial, tcp, usb, file, sim
    target: str
    options: dict[str, str]


# pyserial's own URL handlers a serial printer can be reached through (rfc2217: a serial
# port server such as ser2net or a Moxa NPort; loop: pyserial's loopback, for tests).
PYSERIAL_URL_SCHEMES = ("rfc2217", "loop")


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
        try:
            port = parts.port
        except ValueError:  # not a number, or outside 0..65535
            port = None
        if not parts.hostname or port is None:
            raise PrinterConnectionError(f"printer URL {url!r} needs {scheme}://host:port")
        return PrinterUrl("tcp", f"{parts.hostname}:{port}", options)
    if scheme == "usb":
        return PrinterUrl(scheme, parts.netloc, options)
    if scheme in PYSERIAL_URL_SCHEMES:  # a serial printer behind a pyserial URL handler
        return PrinterUrl("serial", url, {})  # the query is pyserial's (9600 baud, DSR/DTR)
    raise PrinterConnectionError(
        f"unknown printer URL scheme {scheme!r}; use serial://, tcp:// (socket://), "
        "rfc2217://, usb://, file:// or sim://"
    )


def _serial_class(target: str) -> Any:
    """python-escpos' serial printer, opened by pyserial's ``serial_for_url`` when the target
    is a URL (the override point python-escpos gives connections: ``open``)."""
    from escpos.printer import Serial

    if "://" not in target:
        return Serial

    class UrlSerial(Serial):  # type: ignore[misc]
        def open(self, raise_not_found: bool = True) -> None:
            import serial

            try:
                self.device = serial.serial_for_url(
                    self.devfile,
                    baudrate=self.baudrate,
                    bytesize=self.bytesize,
                    parity=self.parity,
                    stopbits=self.stopbits,
                    timeout=self.timeout,
                    xonxoff=self.xonxoff,
                    dsrdtr=self.dsrdtr,
                )
            except (ValueError, serial.SerialException) as exc:
                self.device = None
                raise PrinterConnectionError(
                    f"cannot open the serial printer at {self.devfile}: {exc}"
                ) from exc

    return UrlSerial


def open_device(url: str, profile: PrinterProfile) -> Any:
    """A python-escpos printer object for ``url``, opened."""
    spec = parse_url(url)
    escpos_profile = profile.escpos_profile()
    try:
        if spec.scheme == "serial":
            flow = spec.options.get("flow", "dsrdtr")
            device: Any = _serial_class(spec.target)(
                devfile=spec.target,
                baudrate=int(spec.options.get("baud", 9600)),
                timeout=1,
                dsrdtr=flow == "dsrdtr",
                xonxoff=flow == "xonxoff",
                profile=escpos_profile,
            )
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
            # The simulated printer is loaded by name, only for a sim:// URL: the real driver
            # never imports the simulators.
            simulated = importlib.import_module(SIMULATED_PRINTER)
            receipts = Path(spec.target) if spec.target not in ("", "/") else None
            printer: Any = simulated.open_simulated(receipts, profile, escpos_profile)
            return printer
        device.open()
    except (OSError, ValueError, RuntimeError, EscposError) as exc:
        raise PrinterConnectionError(f"cannot open printer {url}: {exc}") from exc
    return device


def read_reply(device: Any, size: int, timeout: float) -> bytes | None:
    """Read up to ``size`` reply bytes within ``timeout``; None when the link cannot read."""
    own = getattr(device, "read_reply", None)
    if own is not None:  # a connection that reads its own replies (the in-process simulator)
        return bytes(own(size))
    from escpos.printer import Network, Serial, Usb

    raw = device._device
    if isinstance(device, Network):
        raw.settimeout(timeout)
        try:
            data: bytes = raw.recv(size)
        except (TimeoutError, BlockingIOError):
            return b""
        return data
    if isinstance(device, Serial):  # a serial port, or a pyserial URL (UrlSerial)
        raw.timeout = timeout
        data = raw.read(size)
        return bytes(data)
    if isinstance(device, Usb):
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
