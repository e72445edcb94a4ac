"""JCM ID-003 bill validators: sans-IO protocol and driver (the simulated device is
drivers.sim.bill.id003; ``drivers.bill.open`` loads backend.py)."""
