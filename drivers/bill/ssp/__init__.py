"""ITL SSP / eSSP note validators: sans-IO protocol, simulator and driver."""

from __future__ import annotations

from drivers.bill.reexport import lazy_exports

# Names re-exported from the modules that define them, loaded on first use: importing the
# driver must not load the device simulator (production never loads simulation).
_EXPORTS = {
    "SspDevice": "drivers.sim.bill.ssp",
    "SimulatorRefused": "drivers.sim.bill.ssp",
    "Timings": "drivers.sim.bill.ssp",
    "SspAcceptor": "drivers.bill.ssp.driver",
    "SimulatedSspAcceptor": "drivers.sim.bill.ssp_backend",
}
__all__ = list(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
