"""Simulated bill validators that speak the real wire bytes of CCNET, ID-003 and SSP/eSSP:
each has one protocol-neutral mechanics (mechanics.py) and shares the wire loop, line faults
and control channel (device.py); backends.py is the ``sim`` backend of ``drivers.bill.open``."""
