"""ITL SSP / eSSP note validators: sans-IO protocol, simulator and driver."""

from drivers.bill.ssp.device import SimulatorRefused, SspDevice, Timings
from drivers.bill.ssp.driver import SspAcceptor
from drivers.bill.ssp.simulated import SimulatedSspAcceptor

__all__ = ["SimulatedSspAcceptor", "SimulatorRefused", "SspAcceptor", "SspDevice", "Timings"]
