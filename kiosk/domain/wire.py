"""A payment's wire form: the JSON object the kiosk stores and sends, and the ledger checks.

One definition for both sides: the field names (:data:`PAYMENT_FIELDS`), their bounds (the
ledger's :class:`sync.ledger.schema.PaymentIn` refuses a value outside them with 422) and the
canonical bytes (:func:`canonical_payment`): sorted keys, no spaces, UTF-8 as is. The kiosk
stores those bytes once and resends them unchanged (the request signature covers them); the
ledger hashes the same canonical form of what it parsed to tell a repeat from a conflict, so
the form must never change (decision 014).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The hard ceiling of one amount: 10**11 tiyn (one billion tenge, far over any catalog
# maximum), so that sums of amounts stay inside a 64-bit column (decision 014).
MAX_TIYN = 10**11
MAX_SEQUENCE = 2**62  # local_seq and receipt_number: 1..MAX_SEQUENCE
MAX_PAYMENT_NOTES = 1000  # banknotes in one payment
# Longest text of each field (characters); ids and texts may not be empty where MIN_LENGTH says.
MAX_LENGTH: Mapping[str, int] = {
    "operation_id": 36,  # a UUID in its text form
    "terminal_id": 32,
    "service": 32,
    "account": 32,
    "currency": 3,
    "created_at": 40,  # ISO 8601 with its offset
    "completion": 16,
    "catalog_version": 64,
}
MIN_LENGTH: Mapping[str, int] = {
    "operation_id": 1,
    "terminal_id": 1,
    "service": 1,
    "account": 1,
    "catalog_version": 1,
}

_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class PaymentWire:
    """One payment as it travels: whole tiyn, the kiosk's own ids, the catalog it was priced
    with (None only in payments stored before the kiosk sent it)."""

    operation_id: str
    local_seq: int
    receipt_number: int
    terminal_id: str
    service: str
    account: str
    inserted: int
    commission: int
    credited: int
    currency: str
    created_at: str
    notes: tuple[int, ...]
    offline: bool
    recovered: bool
    completion: str
    catalog_version: str | None = None

    def json_object(self) -> dict[str, Any]:
        """The payment as a JSON object (``notes`` as a list)."""
        values = dataclasses.asdict(self)
        values["notes"] = list(self.notes)
        return values

    def to_wire(self) -> bytes:
        """The exact bytes the kiosk stores and the ledger receives."""
        return canonical_payment(self.json_object())


# The names of the JSON object's fields; the ledger's schema takes exactly these.
PAYMENT_FIELDS: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(PaymentWire))
# Fields a payment may leave out (the ledger reads them as None).
OPTIONAL_FIELDS = frozenset({"catalog_version"})


def canonical_payment(fields: Mapping[str, Any]) -> bytes:
    """The canonical bytes of a payment's JSON object: sorted keys, no spaces, UTF-8.

    An absent (None) ``catalog_version`` is left out, so a payment stored before the field
    existed has the same bytes, and the same content hash at the ledger, as it always had."""
    if fields.get("catalog_version", "") is None:
        fields = {key: value for key, value in fields.items() if key != "catalog_version"}
    return _CANONICAL.encode(fields).encode()
