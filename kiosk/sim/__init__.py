"""The simulation harness: scripted customers and days, the fault and SIGKILL campaigns, the
invariants they check, the in-process ledger link and its fault proxy.

It sits above the application and may use everything; nothing in the production path
(`kiosk run`, `kiosk ledger serve`) imports it.
"""
