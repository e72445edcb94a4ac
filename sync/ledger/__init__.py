"""The central ledger service: credits each kiosk payment exactly once, in double entry.

Entry points: :class:`sync.ledger.service.Ledger` (the books over one database),
:func:`sync.ledger.app.create_app` (the HTTP API), :class:`sync.ledger.server.LedgerThread`
(serve it on a thread) and ``kiosk ledger serve|audit|terminal add`` (docs/decisions/006-ledger.md).
Terminal secrets are sealed under a key file: :mod:`sync.ledger.sealing` (decision 020).
Of the kiosk it imports only the pure domain, :mod:`kiosk.domain` (decision 023): it reads
its catalog in :mod:`sync.ledger.catalogs` and logs to stderr from :mod:`sync.ledger.logs`.
"""
