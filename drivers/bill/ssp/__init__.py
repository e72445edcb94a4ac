"""ITL SSP / eSSP note validators: sans-IO protocol, simulator and driver."""

from __future__ import annotations

import importlib
from typing import Any

# Names re-exported from the modules that define them, loaded on first use: importing the
# driver must not load the device simulator (production never loads simulation).
_EXPORTS = {
    "SspDevice": "drivers.bill.ssp.device",
    "SimulatorRefused": "drivers.bill.ssp.device",
    "Timings": "drivers.bill.ssp.device",
    "SspAcceptor": "drivers.bill.ssp.driver",
    "SimulatedSspAcceptor": "drivers.bill.ssp.simulated",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
