"""The instants on the money path where a crash matters: the core announces each one through
its ``hooks`` callable, and the SIGKILL and crash campaigns kill the kiosk there.

One enum for both sides, so a point the code announces cannot be missing from a campaign
(``tests/e2e/test_crash_points.py`` checks it). In production the hook does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class CrashPoint(StrEnum):
    """Where on the money path the core announces itself, in the order a payment meets them."""

    NOTE_ESCROWED = "note_escrowed"  # a note is held in escrow, nothing decided yet
    STACK_ORDERED = "stack_ordered"  # the STACK order is journaled, not yet sent
    STACKED_REPORTED = "stacked_reported"  # the device reported the note stacked
    NOTE_STACKED = "note_stacked"  # the stacked note is committed to the journal
    BEFORE_PAY = "before_pay"  # the customer (or the timeout) asked to pay
    PAYMENT_COMMIT = "payment_commit"  # inside the payment's transaction, before COMMIT
    PAYMENT_COMMITTED = "payment_committed"  # payment, receipt number, outbox row durable
    RECEIPT_PRINTED = "receipt_printed"  # the receipt left the printer


Hook = Callable[[CrashPoint], None]
"""Called at every crash point; production passes a hook that does nothing."""
