"""CCNET (CashCode NET) bill validators: sans-IO protocol, simulator and driver."""

from __future__ import annotations

from drivers.bill.reexport import lazy_exports

# Names re-exported from the modules that define them, loaded on first use: importing the
# driver must not load the device simulator (production never loads simulation).
_EXPORTS = {
    "CcnetDevice": "drivers.sim.bill.ccnet",
    "SimulatorRefused": "drivers.sim.bill.ccnet",
    "Timings": "drivers.sim.bill.ccnet",
    "CcnetAcceptor": "drivers.bill.ccnet.driver",
    "SimulatedCcnetAcceptor": "drivers.sim.bill.ccnet_backend",
}
__all__ = list(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
