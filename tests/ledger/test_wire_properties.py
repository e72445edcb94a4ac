"""Property tests of the ledger's wire schema (sync/ledger/schema.py): any JSON a client can
send as a payment batch, a heartbeat or an encashment is refused with a ValidationError (a 422)
or accepted with every amount within the schema's bounds — never another exception, never a
float, a NaN or an int beyond the bound taken as money."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sync.ledger import schema
from tests.ledger.helpers import payment_dict

EXTREME_INTS = st.sampled_from(
    [
        0,
        1,
        -1,
        2**31,
        2**53 + 1,
        2**63 - 1,
        2**63,
        -(2**63),
        2**64,
        10**30,
        schema.MAX_TIYN,
        schema.MAX_TIYN + 1,
    ]
)
ODD_VALUES = st.one_of(
    EXTREME_INTS,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=5),
    st.just("1" * 400),
    st.just({"$gt": 0}),
)
AMOUNT_FIELDS = ("inserted", "commission", "credited", "local_seq", "receipt_number")


def _dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()  # NaN/Infinity as a hostile client sends


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [*AMOUNT_FIELDS, "notes", "operation_id", "account", "currency", "offline", "extra"]
        ),
        ODD_VALUES,
        max_size=4,
    )
)
def test_a_payment_with_odd_fields_is_refused_or_bounded(changes: dict[str, Any]) -> None:
    payment = {**payment_dict(1), **changes}
    try:
        batch = schema.PaymentBatch.model_validate_json(_dumps({"payments": [payment]}))
    except ValidationError:
        return
    [taken] = batch.payments
    for value in (taken.inserted, taken.commission, taken.credited, *taken.notes):
        assert type(value) is int and 0 <= value <= schema.MAX_TIYN, value
    assert "extra" not in taken.model_dump()


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        ODD_VALUES,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_any_json_is_refused_or_taken_by_every_model(document: Any) -> None:
    for model in (schema.PaymentBatch, schema.HeartbeatIn, schema.EncashmentIn):
        try:
            taken = model.model_validate_json(_dumps(document))
        except ValidationError:
            continue
        for value in _numbers(taken.model_dump()):
            assert not (isinstance(value, float) and not math.isfinite(value))


def _numbers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return [value] if isinstance(value, int | float) else []
