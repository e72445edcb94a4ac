"""The ledger's wire schema (JSON bodies). Money is integer tiyn; booleans are not numbers.

:class:`PaymentIn` takes exactly the fields of the domain's wire form
(:mod:`kiosk.domain.wire`, which the kiosk builds its payments with), within its bounds; an
unknown field is refused, so nothing a kiosk sends about money is silently dropped.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from kiosk.domain import wire

MAX_BATCH = 1000
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# Upper bounds keep every value, and every total of them, inside a 64-bit column (BIGINT):
# a larger number is refused with 422 instead of failing in the database. The hard ceiling
# of one amount is the wire form's 10**11 tiyn: 2**63 - 1 is then over 92 million amounts at
# the ceiling (decision 014).
MAX_TIYN = wire.MAX_TIYN
# The banknotes of the tenge in tiyn (DOMAIN.md): the only notes a cassette can hold.
KZT_BANKNOTES = frozenset(tenge * 100 for tenge in (200, 500, 1000, 2000, 5000, 10000, 20000))
MAX_NOTES = 10_000  # notes in one encashment: several full cassettes
MAX_COUNT = 2**31 - 1  # INTEGER columns
MAX_BIG = 2**62
Tiyn = Annotated[StrictInt, Field(ge=0, le=MAX_TIYN)]
Positive = Annotated[StrictInt, Field(ge=1, le=MAX_BIG)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]
BigCount = Annotated[StrictInt, Field(ge=0, le=MAX_BIG)]
MAX_DEVICE_KEYS = 16
MAX_DEVICES_BYTES = 4096


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _bounds(name: str) -> Any:
    """The length bounds of a payment's text field, as the domain's wire form says."""
    return Field(min_length=wire.MIN_LENGTH.get(name, 0), max_length=wire.MAX_LENGTH[name])


SequenceNumber = Annotated[StrictInt, Field(ge=1, le=wire.MAX_SEQUENCE)]
Note = Annotated[StrictInt, Field(gt=0, le=wire.MAX_TIYN)]
CommandIds = Annotated[list[Positive], Field(max_length=100)]  # remote command ids


class PaymentIn(_Wire):
    """One payment as the kiosk stored it (:class:`kiosk.domain.wire.PaymentWire`)."""

    operation_id: Annotated[StrictStr, _bounds("operation_id")]
    local_seq: SequenceNumber
    receipt_number: SequenceNumber
    terminal_id: Annotated[StrictStr, _bounds("terminal_id")]
    service: Annotated[StrictStr, _bounds("service")]
    account: Annotated[StrictStr, _bounds("account")]
    inserted: Tiyn
    commission: Tiyn
    credited: Tiyn
    currency: Annotated[StrictStr, _bounds("currency")]
    created_at: Annotated[StrictStr, _bounds("created_at")]
    notes: Annotated[list[Note], Field(max_length=wire.MAX_PAYMENT_NOTES)]
    offline: StrictBool
    recovered: StrictBool
    completion: Annotated[StrictStr, _bounds("completion")]
    # The catalog version the kiosk priced the payment with; absent in payments made before
    # the kiosk sent it (checked against the catalog the ledger serves: decision 014).
    catalog_version: Annotated[StrictStr, _bounds("catalog_version")] | None = None

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: equal for the same content however it was spaced.

        Stored with every payment: the canonical form (:func:`kiosk.domain.wire.canonical_payment`)
        must never change, or a payment sent again after an upgrade would be judged a
        conflict. An absent ``catalog_version`` is left out, so a payment stored before the
        field existed keeps its hash."""
        # The fields are plain str/int/bool and a list of int: __dict__ is model_dump().
        return hashlib.sha256(wire.canonical_payment(self.__dict__)).hexdigest()


if tuple(PaymentIn.model_fields) != wire.PAYMENT_FIELDS:  # one definition of the fields
    raise RuntimeError("sync.ledger.schema.PaymentIn does not take kiosk.domain.wire's fields")


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
    """The ledger's answer for one payment of a batch.

    ``conflict`` means nothing was posted for this item: code 300, the operation id is
    already stored with other content; code 301, the terminal's receipt number is already
    held by another operation (named in ``reason``)."""

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
    """What a kiosk needs to take cash, and no more (docs/decisions/016): the wallet's
    status and per-operation limit (public rules), the most one payment may credit now
    (credited tiyn, never above the per-operation limit; None = no limit) and the largest
    cash amount (inserted terms) that fits every cap. The balance and the day's turnover
    are not told: the figures show only where they bind, and not which of them does."""

    status: str | None
    per_operation: int | None
    max_credit: int | None
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
    """The kiosk's outbox: payments waiting, their amount, the age of the oldest."""

    depth: Count
    amount: Tiyn
    oldest_age_s: BigCount | None = None


class CassetteState(_Wire):
    """The notes in the cassette since the last encashment and their amount."""

    notes: Count
    amount: Tiyn


def parse_instant(text: str) -> datetime:
    """An ISO 8601 time with its UTC offset (``2026-01-01T10:00:00.000+00:00`` or ``...Z``);
    ValueError otherwise."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise ValueError(f"an ISO 8601 time needs its UTC offset (e.g. +00:00 or Z): {text!r}")
    return moment.astimezone(UTC)


class HeartbeatIn(_Wire):
    """A terminal's state, sent every ``heartbeat_s``. ``devices`` is free-form but bounded;
    the keys the kiosk sends: ``validator`` {protocol, state, connected}, ``printer`` {state,
    reason, paper} and ``out_of_service`` [reasons]."""

    at: Annotated[StrictStr, Field(max_length=40)]  # ISO 8601 with offset, the kiosk's clock
    software_version: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    devices: dict[Annotated[StrictStr, Field(min_length=1, max_length=32)], Any]
    queue: QueueState
    last_success_at: Annotated[StrictStr, Field(max_length=40)] | None = None
    uptime_s: BigCount | None = None
    cassette: CassetteState | None = None
    last_payment_at: Annotated[StrictStr, Field(max_length=40)] | None = None
    free_disk_bytes: BigCount | None = None
    # Remote commands (sync.ledger.commands): ids the kiosk has received, and has carried out.
    acknowledged: CommandIds = []
    done: CommandIds = []

    @field_validator("at")
    @classmethod
    def _at_is_a_time(cls, value: str) -> str:
        parse_instant(value)
        return value

    @field_validator("devices")
    @classmethod
    def _devices_bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_DEVICE_KEYS:
            raise ValueError(f"at most {MAX_DEVICE_KEYS} devices, got {len(value)}")
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
        if size > MAX_DEVICES_BYTES:
            raise ValueError(f"devices take {size} bytes as JSON, over {MAX_DEVICES_BYTES}")
        return value

    def reported_at_ms(self) -> int:
        """``at`` as Unix milliseconds."""
        return int(parse_instant(self.at).timestamp() * 1000)


class RemoteCommandOut(BaseModel):
    """A command for the terminal (times Unix ms): lock, unlock, maintenance, catalog."""

    id: int
    kind: str
    starts_at: int | None = None
    ends_at: int | None = None
    catalog_version: str | None = None


class HeartbeatOut(BaseModel):
    server_time: int
    catalog_version: str
    stale: bool = False  # True: older than the heartbeat kept for this terminal; ignored
    # Unacknowledged commands, carried in every answer until the kiosk acknowledges them.
    commands: list[RemoteCommandOut] = []


class EncashmentIn(_Wire):
    encashment_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    at: Annotated[StrictStr, Field(max_length=40)]
    cassette_id: Annotated[StrictStr, Field(max_length=32)]
    technician_id: Annotated[StrictStr, Field(max_length=32)]
    notes: Count
    total: Tiyn
    counts: Annotated[
        dict[Annotated[StrictStr, Field(max_length=12)], Count], Field(max_length=16)
    ]  # note amount (tiyn) -> count

    @model_validator(mode="after")
    def _possible(self) -> EncashmentIn:
        """An encashment that cannot be true is refused (422) with the reason."""
        if self.notes <= 0:
            raise ValueError("empty_encashment: an encashment reports at least one note")
        if self.notes > MAX_NOTES:
            raise ValueError(f"too_many_notes: at most {MAX_NOTES} notes, got {self.notes}")
        amount = 0
        for key, count in self.counts.items():
            note = int(key) if key.isdigit() else 0
            if note not in KZT_BANKNOTES:
                raise ValueError(f"not_a_banknote: {key!r} tiyn is not a KZT banknote")
            amount += note * count
        counted = sum(self.counts.values())
        if counted != self.notes:
            raise ValueError(
                f"counts_mismatch: the counts add up to {counted} notes, not "
                f"the {self.notes} reported"
            )
        if amount != self.total:
            raise ValueError(
                f"total_mismatch: the counts add up to {amount} tiyn, not the {self.total} reported"
            )
        return self

    def content_hash(self) -> str:
        canonical = json.dumps(self.model_dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class EncashmentOut(BaseModel):
    encashment_id: str
    status: ItemStatus  # accepted / duplicate / conflict
    total: int
    expected: int  # the terminal's cash at the ledger before this collection
    difference: int  # total - expected; payments still queued at the kiosk explain a shortfall
    # Reconciliation with the notes of the terminal's payments since its last encashment
    # (None for an encashment stored before revision 0006).
    counted: int | None = None  # tiyn of those notes
    counted_difference: int | None = None  # total - counted


class Reconciliation(BaseModel):
    """What the ledger holds of one terminal. ``highest_receipt_number`` is the largest
    receipt number among its stored payments (completed or rejected; 0 when none): a kiosk
    that lost its store (reinstall) numbers on from it, since the ledger refuses a second
    payment with a receipt number already held (``conflict``, code 301)."""

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
