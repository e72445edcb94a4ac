"""JCM ID-003 bill validators: sans-IO protocol, simulator and driver."""

from __future__ import annotations

from drivers.bill.reexport import lazy_exports

# Names re-exported from the modules that define them, loaded on first use: importing the
# driver must not load the device simulator (production never loads simulation).
_EXPORTS = {
    "Id003Device": "drivers.bill.id003.device",
    "SimulatorRefused": "drivers.bill.id003.device",
    "Timings": "drivers.bill.id003.device",
    "Id003Acceptor": "drivers.bill.id003.driver",
    "SimulatedId003Acceptor": "drivers.bill.id003.simulated",
}
__all__ = list(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
