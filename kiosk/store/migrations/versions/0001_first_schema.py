"""First schema: sessions, cash journal, payments, receipts, outbox, encashments, device log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    counters = sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger))
    # Sequences start at zero: the first receipt is number 1.
    op.bulk_insert(
        counters, [{"name": "receipt_number", "value": 0}, {"name": "local_seq", "value": 0}]
    )
    op.create_table(
        "device_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("device", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("device_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_events_at"), ["at"], unique=False)

    op.create_table(
        "encashments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("period_start", sa.BigInteger(), nullable=True),
        sa.Column("cassette_id", sa.String(length=32), nullable=False),
        sa.Column("technician_id", sa.String(length=32), nullable=False),
        sa.Column("notes", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("local_seq", sa.BigInteger(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("leased_until", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=True),
        sa.Column("result", sa.String(length=16), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref"),
        sa.UniqueConstraint("local_seq"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("opened_at", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("service_id", sa.String(length=32), nullable=True),
        sa.Column("account", sa.String(length=32), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("wallet_status", sa.String(length=16), nullable=True),
        sa.Column("balance_room", sa.BigInteger(), nullable=True),
        sa.Column("daily_room", sa.BigInteger(), nullable=True),
        sa.Column("closed_at", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.PrimaryKeyConstraint("operation_id"),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sessions_state"), ["state"], unique=False)

    op.create_table(
        "payments",
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("local_seq", sa.BigInteger(), nullable=False),
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("service_id", sa.String(length=32), nullable=False),
        sa.Column("account", sa.String(length=32), nullable=False),
        sa.Column("inserted", sa.BigInteger(), nullable=False),
        sa.Column("commission", sa.BigInteger(), nullable=False),
        sa.Column("credited", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("completion", sa.String(length=16), nullable=False),
        sa.Column("offline", sa.Boolean(), nullable=False),
        sa.Column("recovered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["sessions.operation_id"],
        ),
        sa.PrimaryKeyConstraint("operation_id"),
        sa.UniqueConstraint("local_seq"),
        sa.UniqueConstraint("receipt_number"),
    )
    op.create_table(
        "session_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=False),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["sessions.operation_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("session_transitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_transitions_operation_id"), ["operation_id"], unique=False
        )

    op.create_table(
        "stack_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("bill_type", sa.Integer(), nullable=False),
        sa.Column("ordered_at", sa.BigInteger(), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["sessions.operation_id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stack_orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stack_orders_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stack_orders_resolution"), ["resolution"], unique=False
        )

    op.create_table(
        "cash_journal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=True),
        sa.Column("stack_order_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("bill_type", sa.Integer(), nullable=False),
        sa.Column("stacked_at", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("encashment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["encashment_id"],
            ["encashments.id"],
        ),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["sessions.operation_id"],
        ),
        sa.ForeignKeyConstraint(
            ["stack_order_id"],
            ["stack_orders.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("stack_order_id"),
    )
    with op.batch_alter_table("cash_journal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cash_journal_encashment_id"), ["encashment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cash_journal_operation_id"), ["operation_id"], unique=False
        )

    op.create_table(
        "receipts",
        sa.Column("receipt_number", sa.BigInteger(), nullable=False),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("print_started_at", sa.BigInteger(), nullable=True),
        sa.Column("printed_at", sa.BigInteger(), nullable=True),
        sa.Column("print_count", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["payments.operation_id"],
        ),
        sa.PrimaryKeyConstraint("receipt_number"),
        sa.UniqueConstraint("operation_id"),
    )


def downgrade() -> None:
    op.drop_table("receipts")
    with op.batch_alter_table("cash_journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_journal_operation_id"))
        batch_op.drop_index(batch_op.f("ix_cash_journal_encashment_id"))

    op.drop_table("cash_journal")
    with op.batch_alter_table("stack_orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stack_orders_resolution"))
        batch_op.drop_index(batch_op.f("ix_stack_orders_operation_id"))

    op.drop_table("stack_orders")
    with op.batch_alter_table("session_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_transitions_operation_id"))

    op.drop_table("session_transitions")
    op.drop_table("payments")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sessions_state"))

    op.drop_table("sessions")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_sent_at"))

    op.drop_table("outbox")
    op.drop_table("encashments")
    with op.batch_alter_table("device_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_events_at"))

    op.drop_table("device_events")
    op.drop_table("counters")
