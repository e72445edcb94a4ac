"""The pure domain shared by the kiosk and the central ledger: money, the catalog, account
rules, commission, limits, the offline policy, privacy masking, the structured-log
vocabulary, the software version and the payment's wire form.

No I/O, no SQLAlchemy, no Qt: the ledger imports this package and nothing else of the kiosk
(docs/decisions/023-pure-domain.md; checked by tests/domain/test_purity.py).
"""
