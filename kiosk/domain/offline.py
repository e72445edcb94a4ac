"""The offline policy: what the kiosk may take while the ledger cannot be reached.

Offline, an account cannot be checked and the money waits in the outbox, so the kiosk
risks what it cannot confirm. Four caps bound that risk: the most one payment may take,
the most money and the most payments waiting for the ledger, and the age of the oldest
one. This module is the one place those numbers and the rules on them live; the
configuration (``[limits] offline_*``) only overrides the numbers, the cash desk asks the
rules, and the screens read their words from the reasons named here.

Two decisions, both pure:

* :meth:`OfflinePolicy.stop` — may a payment be started at all (the stop rule: a kiosk
  whose waiting payments reached a cap is out of service until the ledger takes them);
* :meth:`OfflinePolicy.caps` and :meth:`OfflinePolicy.note_refusal` — how much a session
  may still take offline, and why one more note may not be taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.domain.limits import LimitReason, OfflineCaps
from kiosk.domain.money import Money


class OfflineStop(StrEnum):
    """Why no payment may start offline now (the value is the technician's log line)."""

    TOO_MANY = "too many payments waiting for the ledger"
    TOO_MUCH = "too much money waiting for the ledger"
    TOO_OLD = "the oldest waiting payment is too old"


@dataclass(frozen=True, slots=True)
class Waiting:
    """What waits in the outbox for the ledger: payments, their inserted total (tiyn) and
    the age of the oldest in seconds (0 when nothing waits)."""

    count: int
    amount: int
    oldest_age_s: float = 0.0


@dataclass(frozen=True, slots=True)
class OfflinePolicy:
    """The offline caps; the defaults here are the defaults of ``[limits] offline_*``.
    Amounts are whole tiyn, inserted terms."""

    max_payment: int = 5_000_000  # one payment: 50 000 tenge
    max_total: int = 50_000_000  # all waiting payments together: 500 000 tenge
    max_count: int = 200  # payments waiting
    max_age_s: int = 86_400  # the oldest waiting payment: one day

    def stop(self, waiting: Waiting) -> OfflineStop | None:
        """Why no payment may start offline now, or None when one may. A cap reached
        stops the kiosk (count and amount: reaching is enough; age: older than the cap)."""
        if waiting.count >= self.max_count:
            return OfflineStop.TOO_MANY
        if waiting.amount >= self.max_total:
            return OfflineStop.TOO_MUCH
        if waiting.oldest_age_s > self.max_age_s:
            return OfflineStop.TOO_OLD
        return None

    def caps(self, waiting_amount: int) -> OfflineCaps:
        """The caps on one offline session: the per-payment cap and what is left of the
        total once the waiting payments (this session excluded) are counted."""
        return OfflineCaps(
            per_payment=Money(self.max_payment),
            total_room=Money(max(0, self.max_total - waiting_amount)),
        )

    def note_refusal(self, inserted: int, note: int, waiting_amount: int) -> LimitReason | None:
        """Why a note of ``note`` tiyn may not go into an offline session that holds
        ``inserted`` already, or None when the offline caps let it in (the session's
        other caps are :func:`kiosk.domain.limits.max_acceptable`'s)."""
        room = max(0, self.max_total - waiting_amount)
        # The tighter cap binds; on a tie the per-payment cap is named (LimitReason order,
        # as max_acceptable does).
        reason, cap = (
            (LimitReason.OFFLINE_PAYMENT_CAP, self.max_payment)
            if self.max_payment <= room
            else (LimitReason.OFFLINE_TOTAL_CAP, room)
        )
        return reason if inserted + note > cap else None


DEFAULT_OFFLINE = OfflinePolicy()
