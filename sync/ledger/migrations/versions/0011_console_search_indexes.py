"""Indexes for the back office's searches over years of payments: by account (newest first),
by amount on a day, by the ledger's day (reports and the date search; ``created_at`` is the
kiosk's UTC ISO time, so string order is time order), and the suspense queue (rejected
payments by arrival).

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_payments_account_created": ["account", "created_at"],
    "ix_payments_inserted_created": ["inserted", "created_at"],
    "ix_payments_created": ["created_at"],
    "ix_payments_status_received": ["status", "received_at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "payments", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="payments")
