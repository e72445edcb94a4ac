"""The ledger checks the money: the catalogs it served, each payment's catalog version and
failed check, and each encashment's reconciliation with the terminal's payments.

Every new column is nullable: payments and encashments stored before keep their rows as
they were (NULL: not named, not checked, not reconciled).

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "catalog_versions",
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("first_served_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("etag"),
    )
    op.create_index("ix_catalog_versions_version", "catalog_versions", ["version"])
    op.add_column("payments", sa.Column("catalog_version", sa.String(length=64), nullable=True))
    op.add_column("payments", sa.Column("fault", sa.String(length=32), nullable=True))
    op.add_column("encashments", sa.Column("counted_notes", sa.Integer(), nullable=True))
    op.add_column("encashments", sa.Column("counted_total", sa.BigInteger(), nullable=True))
    op.add_column("encashments", sa.Column("counted_counts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("encashments", schema=None) as batch_op:
        batch_op.drop_column("counted_counts")
        batch_op.drop_column("counted_total")
        batch_op.drop_column("counted_notes")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_column("fault")
        batch_op.drop_column("catalog_version")
    op.drop_index("ix_catalog_versions_version", table_name="catalog_versions")
    op.drop_table("catalog_versions")
