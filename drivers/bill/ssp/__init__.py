"""ITL SSP / eSSP note validators: sans-IO protocol and driver (the simulated device is
drivers.sim.bill.ssp; ``drivers.bill.open`` loads backend.py)."""
