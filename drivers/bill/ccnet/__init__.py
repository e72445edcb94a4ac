"""CCNET (CashCode NET) bill validators: sans-IO protocol and driver (the simulated device is
drivers.sim.bill.ccnet; ``drivers.bill.open`` loads backend.py)."""
