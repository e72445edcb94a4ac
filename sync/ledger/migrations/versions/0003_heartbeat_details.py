"""Heartbeat details: the kiosk's report time (a late, older heartbeat is ignored), uptime,
cassette notes and amount, last payment time, free disk space.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("heartbeats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reported_at", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("uptime_s", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("cassette_notes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cassette_amount", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("last_payment_at", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("free_disk_bytes", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("heartbeats", schema=None) as batch_op:
        batch_op.drop_column("free_disk_bytes")
        batch_op.drop_column("last_payment_at")
        batch_op.drop_column("cassette_amount")
        batch_op.drop_column("cassette_notes")
        batch_op.drop_column("uptime_s")
        batch_op.drop_column("reported_at")
