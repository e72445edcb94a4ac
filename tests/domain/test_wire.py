"""A payment's wire form: the bytes the kiosk stores and the ledger checks, one definition."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest
from pydantic import ValidationError

from kiosk.domain import wire
from kiosk.domain.wire import PaymentWire, canonical_payment
from sync.ledger.schema import PaymentIn

PAYMENT = PaymentWire(
    operation_id="0190a0b0-0000-7000-8000-000000000001",
    local_seq=1,
    receipt_number=1,
    terminal_id="KZ-ALA-0001",
    service="kaspi",
    account="+77011234567",
    inserted=100_000,
    commission=0,
    credited=100_000,
    currency="KZT",
    created_at="2026-01-01T10:00:00.000+00:00",
    notes=(100_000,),
    offline=False,
    recovered=False,
    completion="customer",
    catalog_version="2026.01",
)


def changed(payment: PaymentWire, **changes: Any) -> PaymentWire:
    """``payment`` with some fields changed (any value: the ledger is what checks them)."""
    return dataclasses.replace(payment, **changes)


def test_the_bytes_are_the_canonical_json_the_kiosk_always_stored() -> None:
    """Pinned: a resent payment must keep its bytes (the signature) and its hash (the ledger)."""
    assert PAYMENT.to_wire() == (
        b'{"account":"+77011234567","catalog_version":"2026.01","commission":0,'
        b'"completion":"customer","created_at":"2026-01-01T10:00:00.000+00:00",'
        b'"credited":100000,"currency":"KZT","inserted":100000,"local_seq":1,"notes":[100000],'
        b'"offline":false,"operation_id":"0190a0b0-0000-7000-8000-000000000001",'
        b'"receipt_number":1,"recovered":false,"service":"kaspi","terminal_id":"KZ-ALA-0001"}'
    )
    as_before = json.dumps(
        PAYMENT.json_object(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    assert PAYMENT.to_wire() == as_before


def test_text_is_utf8_as_is_not_escaped() -> None:
    payment = dataclasses.replace(PAYMENT, completion="тест")
    assert "тест".encode() in payment.to_wire()


def test_an_absent_catalog_version_is_left_out() -> None:
    """A payment from before the field: same bytes, same hash at the ledger as it always had."""
    old = dataclasses.replace(PAYMENT, catalog_version=None)
    assert b"catalog_version" not in old.to_wire()
    fields = old.json_object()
    del fields["catalog_version"]
    assert old.to_wire() == canonical_payment(fields)


def test_the_ledger_takes_exactly_the_wire_fields() -> None:
    assert tuple(PaymentIn.model_fields) == wire.PAYMENT_FIELDS
    optional = {name for name, info in PaymentIn.model_fields.items() if not info.is_required()}
    assert optional == wire.OPTIONAL_FIELDS


def test_the_ledger_hashes_what_the_kiosk_sent() -> None:
    for payment in (PAYMENT, dataclasses.replace(PAYMENT, catalog_version=None)):
        parsed = PaymentIn.model_validate_json(payment.to_wire())
        assert parsed.content_hash() == hashlib.sha256(payment.to_wire()).hexdigest()


@pytest.mark.parametrize("name", sorted(wire.MAX_LENGTH))
def test_text_bounds_are_the_ledgers(name: str) -> None:
    longest = changed(PAYMENT, **{name: "x" * wire.MAX_LENGTH[name]})
    PaymentIn.model_validate_json(longest.to_wire())
    too_long = changed(PAYMENT, **{name: "x" * (wire.MAX_LENGTH[name] + 1)})
    with pytest.raises(ValidationError, match=name):
        PaymentIn.model_validate_json(too_long.to_wire())
    if wire.MIN_LENGTH.get(name):
        with pytest.raises(ValidationError, match=name):
            PaymentIn.model_validate_json(changed(PAYMENT, **{name: ""}).to_wire())


def test_amount_and_sequence_bounds_are_the_ledgers() -> None:
    ceiling = dataclasses.replace(
        PAYMENT,
        inserted=wire.MAX_TIYN,
        credited=wire.MAX_TIYN,
        notes=(wire.MAX_TIYN,),
        local_seq=wire.MAX_SEQUENCE,
        receipt_number=wire.MAX_SEQUENCE,
    )
    PaymentIn.model_validate_json(ceiling.to_wire())
    for over in (
        {"inserted": wire.MAX_TIYN + 1},
        {"notes": (wire.MAX_TIYN + 1,)},
        {"local_seq": wire.MAX_SEQUENCE + 1},
        {"receipt_number": 0},
        {"notes": (1,) * (wire.MAX_PAYMENT_NOTES + 1)},
    ):
        with pytest.raises(ValidationError, match=next(iter(over))):
            PaymentIn.model_validate_json(changed(ceiling, **over).to_wire())
