"""One payment per terminal and receipt number: a unique index on (terminal_id,
receipt_number, receipt_copy).

``receipt_copy`` is 0 for every payment stored from this revision on, so a second payment
with a receipt number already held is refused. Payments stored before, when the ledger did
not check, keep their rows: the first of a receipt number (by arrival) gets 0, any later
ones 1, 2, ... so the index can be built without losing or changing a payment.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipt_copy", sa.Integer(), nullable=False, server_default="0")
        )
    # UPDATE ... FROM: SQLite 3.33 and later, PostgreSQL.
    op.execute(
        "UPDATE payments SET receipt_copy = ranked.copy FROM ("
        " SELECT operation_id, row_number() OVER (PARTITION BY terminal_id, receipt_number"
        " ORDER BY received_at, operation_id) - 1 AS copy FROM payments) AS ranked"
        " WHERE ranked.operation_id = payments.operation_id AND ranked.copy > 0"
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("ix_payments_terminal_receipt")
        batch_op.create_index(
            "uq_payments_terminal_receipt",
            ["terminal_id", "receipt_number", "receipt_copy"],
            unique=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index("uq_payments_terminal_receipt")
        batch_op.create_index(
            "ix_payments_terminal_receipt", ["terminal_id", "receipt_number"], unique=False
        )
        batch_op.drop_column("receipt_copy")
