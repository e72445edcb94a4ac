"""The status look-up by operation number: the whole number or its start, dashes optional."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.domain.privacy import LookupLocked, LookupThrottle
from kiosk.store.lookups import AmbiguousOperation
from tests.core.helpers import insert, ready

PAID = Money.tenge(1000)  # what paid() inserts


def paid(core: KioskCore) -> str:
    operation_id = ready(core)
    insert(core, 1000)
    core.pay()
    core.finish()
    return operation_id


def test_a_payment_is_found_by_its_operation_number_or_its_start(
    make_core: Callable[..., KioskCore], clock: ManualClock
) -> None:
    # Operation ids never go back within a process (kiosk/ids.py): past any id made earlier
    # in this run on the real clock, so the hour between the payments shows in their ids.
    clock.advance(10 * 365 * 86400)
    core = make_core()
    first = paid(core)
    clock.advance(3600)  # an hour later: the first 8 hex digits differ
    second = paid(core)
    found = core.payment_status_by_operation(second)
    assert found is not None and found.operation_id == second and found.receipt_number == 2
    found = core.payment_status_by_operation(first.replace("-", "").upper()[:8])
    assert found is not None and found.receipt_number == 1
    assert core.payment_status_by_operation(first[:7]) is None  # too short to look up
    assert core.payment_status_by_operation("ffffffff") is None
    assert core.payment_status_by_operation("0190zz%%") is None  # not hex: never a LIKE pattern


def test_a_start_shared_by_two_payments_asks_for_more(make_core: Callable[..., KioskCore]) -> None:
    core = make_core()
    first, second = paid(core), paid(core)  # the same millisecond on the manual clock
    shared = first.replace("-", "")[:12]
    assert second.replace("-", "").startswith(shared)
    with pytest.raises(AmbiguousOperation):
        core.payment_status_by_operation(shared)
    found = core.payment_status_by_operation(second)
    assert found is not None and found.receipt_number == 2


def test_repeated_misses_pause_the_look_ups_longer_each_time_and_a_hit_buys_nothing(
    make_core: Callable[..., KioskCore], clock: ManualClock
) -> None:
    core = make_core()
    paid(core)  # receipt 1, 1 000 tenge
    free = LookupThrottle.FREE_MISSES
    assert core.payment_status(1, Money.tenge(999)) is None  # the number, but not the amount
    for number in range(100, 100 + free - 1):
        assert core.payment_status(number, PAID) is None
    assert core.payment_status(1, PAID) is not None  # one's own receipt does not reset the count
    assert core.payment_status(200, PAID) is None  # one miss too many: a pause begins
    with pytest.raises(LookupLocked) as first:
        core.payment_status(1, PAID)
    assert first.value.seconds == LookupThrottle.FIRST_PAUSE_S
    with pytest.raises(LookupLocked):
        core.payment_status_by_operation("ffffffff")  # every kind of look-up waits
    clock.advance(LookupThrottle.FIRST_PAUSE_S)
    assert core.payment_status(201, PAID) is None  # the next miss doubles the pause
    with pytest.raises(LookupLocked) as second:
        core.payment_status(1, PAID)
    assert second.value.seconds == 2 * LookupThrottle.FIRST_PAUSE_S
    clock.advance(LookupThrottle.WINDOW_S)  # misses an hour old are forgotten
    for number in range(300, 300 + free):
        assert core.payment_status(number, PAID) is None
    assert core.payment_status(1, PAID) is not None
