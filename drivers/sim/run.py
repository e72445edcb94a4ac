"""Start a named device simulator with its data line and control channel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.sim.bill.ccnet import CcnetDevice
from drivers.sim.bill.id003 import Id003Device
from drivers.sim.bill.ssp import SspDevice
from drivers.sim.server import (
    ControlServer,
    PtyDeviceServer,
    ServedDevice,
    TcpDeviceServer,
    parse_tcp_url,
)

# Bill-acceptor simulator factories by protocol name, given a seed (the printer simulator
# is served by kiosk/cli/printer_cmd.py).
SIMULATORS: dict[str, Callable[[int | None], ServedDevice]] = {
    "ccnet": lambda seed: CcnetDevice(seed=seed),
    "id003": lambda seed: Id003Device(seed=seed),
    "ssp": lambda seed: SspDevice(seed=seed),
}


@dataclass
class RunningSimulator:
    """A served simulator; ``close()`` stops its threads and releases its ports."""

    kind: str
    device: ServedDevice
    line: TcpDeviceServer | PtyDeviceServer
    control: ControlServer | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def port(self) -> str:
        """What a driver opens: ``socket://HOST:PORT`` or the pty slave path."""
        return self.line.url if isinstance(self.line, TcpDeviceServer) else self.line.path

    def describe(self) -> list[str]:
        """Human-readable lines saying where the device and its control channel are."""
        lines = [f"{self.kind} simulator: port {self.port}"]
        if self.control is not None:
            lines.append(f"{self.kind} simulator: control {self.control.url}")
        return lines

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.control is not None:
            self.control.close()
        self.line.close()


def start_simulator(
    kind: str,
    *,
    listen: str | None = None,
    pty: bool = False,
    baud: int | None = None,
    control: str | None = None,
    seed: int | None = None,
    device: ServedDevice | None = None,
) -> RunningSimulator:
    """Serve a ``kind`` simulator on ``listen`` (tcp://HOST:PORT) or a new pty, with an
    optional control channel on ``control`` (tcp://HOST:PORT). Starts background threads."""
    if kind not in SIMULATORS:
        raise ValueError(f"no simulator for {kind!r}; choose one of {', '.join(SIMULATORS)}")
    if (listen is None) == (not pty):
        raise ValueError("serve on exactly one of a TCP address or a pty")
    served = device if device is not None else SIMULATORS[kind](seed)
    line: TcpDeviceServer | PtyDeviceServer
    if listen is not None:
        host, port = parse_tcp_url(listen)
        line = TcpDeviceServer(served, host, port, baud=baud)
    else:
        line = PtyDeviceServer(served, baud=baud)
    running = RunningSimulator(kind, served, line)
    try:
        if control is not None:
            control_host, control_port = parse_tcp_url(control)
            running.control = ControlServer(served, control_host, control_port)
            running.control.start()
        line.start()
    except BaseException:
        running.close()
        raise
    return running
