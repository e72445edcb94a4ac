"""Simulated bill validators that speak the real wire bytes of CCNET, ID-003 and SSP/eSSP,
sharing one protocol-neutral mechanics, and the simulated backends of ``drivers.bill.open``."""
