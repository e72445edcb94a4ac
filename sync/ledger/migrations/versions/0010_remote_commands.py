"""Remote commands: lock, unlock, maintenance and catalog commands for a terminal, carried
in its signed heartbeat answers, with their state (pending, sent, acknowledged, done), the
times of each and who issued them, when and why. Uploaded catalogs: who uploaded a catalog
version and when (the newest upload is served).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remote_commands",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column(
            "terminal_id", sa.String(length=32), sa.ForeignKey("terminals.id"), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_at", sa.BigInteger()),
        sa.Column("ends_at", sa.BigInteger()),
        sa.Column("catalog_version", sa.String(length=64)),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("issued_by", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.BigInteger()),
        sa.Column("acknowledged_at", sa.BigInteger()),
        sa.Column("done_at", sa.BigInteger()),
        sa.CheckConstraint(
            "kind IN ('lock', 'unlock', 'maintenance', 'catalog')", name="remote_command_kind"
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'acknowledged', 'done')", name="remote_command_state"
        ),
    )
    op.create_index(
        "ix_remote_commands_terminal_state", "remote_commands", ["terminal_id", "state"]
    )
    with op.batch_alter_table("catalog_versions") as table:
        table.add_column(sa.Column("uploaded_by", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("uploaded_at", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_versions") as table:
        table.drop_column("uploaded_at")
        table.drop_column("uploaded_by")
    op.drop_index("ix_remote_commands_terminal_state", table_name="remote_commands")
    op.drop_table("remote_commands")
