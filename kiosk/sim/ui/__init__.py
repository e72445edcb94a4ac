"""The harness's window parts: the simulated day through the kiosk window, the demo (its
simulated devices, embedded ledger, simulator panel and window) and the screenshots.

The harness is the top layer: these import ``ui``; nothing in ``ui`` imports them.
"""
