"""Terminal secrets sealed at rest, rotation with a grace period.

``terminals.secret`` becomes TEXT (a sealed secret, ``v1:<nonce>:<ciphertext>``, is longer
than the 64 hex digits it seals); ``previous_secret`` and ``previous_until`` keep the secret
replaced by ``kiosk ledger terminal rotate`` valid until then (Unix ms). Both NULL: no
rotation. The migration cannot seal (it has no key): the ledger seals any secret still in
clear when it opens (sync.ledger.sealing.seal_plaintext).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.String(length=128), type_=sa.Text(), existing_nullable=False
        )
        batch_op.add_column(sa.Column("previous_secret", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("previous_until", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Sealed secrets stay sealed: an older ledger cannot use them (it reads them as clear
    # text); downgrading is for an empty terminals table or a restored backup.
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.drop_column("previous_until")
        batch_op.drop_column("previous_secret")
        batch_op.alter_column(
            "secret", existing_type=sa.Text(), type_=sa.String(length=128), existing_nullable=False
        )
