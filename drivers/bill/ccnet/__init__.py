"""CCNET (CashCode NET) bill validators: sans-IO protocol, simulator and driver."""

from __future__ import annotations

import importlib
from typing import Any

# Names re-exported from the modules that define them, loaded on first use: importing the
# driver must not load the device simulator (production never loads simulation).
_EXPORTS = {
    "CcnetDevice": "drivers.bill.ccnet.device",
    "SimulatorRefused": "drivers.bill.ccnet.device",
    "Timings": "drivers.bill.ccnet.device",
    "CcnetAcceptor": "drivers.bill.ccnet.driver",
    "SimulatedCcnetAcceptor": "drivers.bill.ccnet.simulated",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
