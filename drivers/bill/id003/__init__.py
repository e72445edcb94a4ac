"""JCM ID-003 bill validators: sans-IO protocol, simulator and driver."""

from __future__ import annotations

from drivers.bill.reexport import lazy_exports

# Names re-exported from the modules that define them, loaded on first use: importing the
# driver must not load the device simulator (production never loads simulation).
_EXPORTS = {
    "Id003Device": "drivers.sim.bill.id003",
    "SimulatorRefused": "drivers.sim.bill.id003",
    "Timings": "drivers.sim.bill.id003",
    "Id003Acceptor": "drivers.bill.id003.driver",
    "SimulatedId003Acceptor": "drivers.sim.bill.id003_backend",
}
__all__ = list(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
