"""JCM ID-003 bill validators: sans-IO protocol, simulator and driver."""

from drivers.bill.id003.device import Id003Device, SimulatorRefused, Timings
from drivers.bill.id003.driver import Id003Acceptor
from drivers.bill.id003.simulated import SimulatedId003Acceptor

__all__ = ["Id003Acceptor", "Id003Device", "SimulatedId003Acceptor", "SimulatorRefused", "Timings"]
