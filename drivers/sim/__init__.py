"""Serving simulated devices on a TCP socket or a pty, with a text control channel."""

from drivers.sim.run import SIMULATORS, RunningSimulator, start_simulator
from drivers.sim.server import (
    ControlServer,
    LinePacer,
    PtyDeviceServer,
    ServedDevice,
    TcpDeviceServer,
    parse_tcp_url,
)

__all__ = [
    "SIMULATORS",
    "ControlServer",
    "LinePacer",
    "PtyDeviceServer",
    "RunningSimulator",
    "ServedDevice",
    "TcpDeviceServer",
    "parse_tcp_url",
    "start_simulator",
]
