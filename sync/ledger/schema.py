"""The ledger's wire schema (JSON bodies). Money is integer tiyn; booleans are not numbers.

:class:`PaymentIn` takes exactly the fields of ``kiosk.payment.payment_body``; an unknown
field is refused, so nothing a kiosk sends about money is silently dropped.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

MAX_BATCH = 1000
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
Tiyn = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(ge=1)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PaymentIn(_Wire):
    """One payment as the kiosk stored it (canonical JSON of ``payment_body``)."""

    operation_id: Annotated[StrictStr, Field(min_length=1, max_length=36)]
    local_seq: Positive
    receipt_number: Positive
    terminal_id: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    service: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    account: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    inserted: Tiyn
    commission: Tiyn
    credited: Tiyn
    currency: Annotated[StrictStr, Field(max_length=3)]
    created_at: Annotated[StrictStr, Field(max_length=40)]
    notes: list[Annotated[StrictInt, Field(gt=0)]]
    offline: StrictBool
    recovered: StrictBool
    completion: Annotated[StrictStr, Field(max_length=16)]

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal for the same content however it was spaced.

        Stored with every payment: the canonical form must never change, or a payment sent
        again after an upgrade would be judged a conflict."""
        # The fields are plain str/int/bool and a list of int: __dict__ is model_dump().
        return hashlib.sha256(_CANONICAL.encode(self.__dict__).encode()).hexdigest()


class PaymentBatch(_Wire):
    payments: Annotated[list[PaymentIn], Field(min_length=1, max_length=MAX_BATCH)]


class ItemStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class PaymentStatus(StrEnum):
    """What a customer is told (QIWI pages): processing or completed, or rejected with why."""

    PROCESSING = "processing"
    COMPLETED = "completed"
    REJECTED = "rejected"


class ItemResult(BaseModel):
    """The ledger's answer for one payment of a batch."""

    operation_id: str
    status: ItemStatus
    payment_status: PaymentStatus
    code: int
    reason: str | None = None
    first_status: ItemStatus | None = None  # for a duplicate: what the first post was told


class BatchResult(BaseModel):
    results: list[ItemResult]


class AccountCheckIn(_Wire):
    service: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    account: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    amount: Tiyn | None = None  # inserted terms; None checks the account only


class Limits(BaseModel):
    """Room left for this wallet in credited tiyn (None = no limit), and the largest cash
    amount (inserted terms) that fits every cap."""

    status: str | None
    per_operation: int | None
    balance_room: int | None
    daily_room: int | None
    max_inserted: int


class AccountCheckOut(BaseModel):
    code: int
    message: str
    account: str | None = None  # normalised
    holder: str | None = None  # masked
    limits: Limits | None = None


class PaymentView(BaseModel):
    operation_id: str
    terminal_id: str
    receipt_number: int
    local_seq: int
    service: str
    account: str  # masked
    inserted: int
    commission: int
    credited: int
    status: PaymentStatus
    code: int
    reason: str | None = None


class ReceiptLookup(BaseModel):
    terminal_id: str
    receipt_number: int
    status: PaymentStatus
    payment: PaymentView | None = None


class QueueState(_Wire):
    depth: Annotated[StrictInt, Field(ge=0)]
    amount: Tiyn
    oldest_age_s: Annotated[StrictInt, Field(ge=0)] | None = None


class HeartbeatIn(_Wire):
    at: Annotated[StrictStr, Field(max_length=40)]
    software_version: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    devices: dict[str, Any]
    queue: QueueState
    last_success_at: Annotated[StrictStr, Field(max_length=40)] | None = None


class HeartbeatOut(BaseModel):
    server_time: int
    catalog_version: str


class EncashmentIn(_Wire):
    encashment_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    at: Annotated[StrictStr, Field(max_length=40)]
    cassette_id: Annotated[StrictStr, Field(max_length=32)]
    technician_id: Annotated[StrictStr, Field(max_length=32)]
    notes: Annotated[StrictInt, Field(ge=0)]
    total: Tiyn
    counts: dict[str, Annotated[StrictInt, Field(ge=0)]]  # note amount (tiyn) -> count

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class EncashmentOut(BaseModel):
    encashment_id: str
    status: ItemStatus  # accepted / duplicate / conflict
    total: int
    expected: int  # the terminal's cash at the ledger before this collection
    difference: int  # total - expected; payments still queued at the kiosk explain a shortfall


class Reconciliation(BaseModel):
    terminal_id: str
    payments: int
    highest_local_seq: int
    highest_receipt_number: int
    missing_local_seq: list[int]
    missing_count: int


class DeviceEventIn(_Wire):
    """A device fault or state change as the kiosk logged it; ``event_id`` is the kiosk's
    own id for it, so that a resent report is stored once."""

    event_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    at: Annotated[StrictStr, Field(max_length=40)]
    device: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    kind: Annotated[StrictStr, Field(min_length=1, max_length=32)]
    detail: Annotated[StrictStr, Field(max_length=1000)] | None = None

    def content_hash(self) -> str:
        return hashlib.sha256(_CANONICAL.encode(self.__dict__).encode()).hexdigest()


class DeviceEventBatch(_Wire):
    events: Annotated[list[DeviceEventIn], Field(min_length=1, max_length=MAX_BATCH)]


class DeviceEventResult(BaseModel):
    event_id: str
    status: ItemStatus  # accepted / duplicate / conflict (same id, other content: kept as was)


class DeviceEventsOut(BaseModel):
    results: list[DeviceEventResult]
