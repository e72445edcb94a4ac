"""CCNET (CashCode NET) bill validators: sans-IO protocol, simulator and driver."""

from drivers.bill.ccnet.device import CcnetDevice, SimulatorRefused, Timings
from drivers.bill.ccnet.driver import CcnetAcceptor
from drivers.bill.ccnet.simulated import SimulatedCcnetAcceptor

__all__ = [
    "CcnetAcceptor",
    "CcnetDevice",
    "SimulatedCcnetAcceptor",
    "SimulatorRefused",
    "Timings",
]
