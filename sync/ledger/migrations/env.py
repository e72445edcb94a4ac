"""Alembic environment of the ledger: runs on the connection handed over by migrate()."""

from alembic import context

from sync.ledger.db import VERSION_TABLE
from sync.ledger.models import LedgerBase

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("ledger migrations run through sync.ledger.db.migrate()")
context.configure(
    connection=connection,
    target_metadata=LedgerBase.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
