"""What the core tells the endings about a payment: the ledger's answer as the outbox worker
stores it (pending, credited, held), followed on the thanks screen until the customer leaves,
and a below-minimum completion held at once, on the snapshot and on the paper
(docs/decisions/029-truthful-endings.md)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update

from kiosk.config import Config, PrinterConfig
from kiosk.core import KioskCore
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Language, Money
from kiosk.printing import ConfiguredPrinter
from kiosk.receipts import ReceiptFields, render_text
from kiosk.session import State
from kiosk.store import lookups
from kiosk.store.models import OutboxItem
from tests.core.helpers import insert, ready

NOT_CREDITED = {"kk": "Есепке алынбады", "ru": "Не зачислен", "en": "Not credited"}
BEING_CREDITED = {
    "kk": "Қабылданды, есепке алынуда",
    "ru": "Принят, зачисляется",
    "en": "Accepted, being credited",
}
HELD = {"kk": "қайтару үшін ұсталып", "ru": "удержаны для", "en": "held for a refund"}


def answer(core: KioskCore, operation_id: str, result: str, error: str | None = None) -> None:
    """The outbox worker's bookkeeping of the ledger's answer (sync/outbox.py)."""
    with core.store.transaction() as s:
        s.execute(
            update(OutboxItem)
            .where(OutboxItem.kind == "payment", OutboxItem.ref == operation_id)
            .values(sent_at=1, result=result, last_error=error)
        )


def below_minimum_by_timeout(
    core: KioskCore, clock: ManualClock, config: Config, language: Language
) -> str:
    """200 ₸ into a WMK purse (minimum 500 ₸), the customer gone: completed on timeout."""
    core.set_language(language)
    operation_id = ready(core, "wmk", "K123456789012")
    insert(core, 200, 0)
    clock.advance(config.kiosk.cash_complete_s + 1)
    core.tick()
    assert core.snapshot().state is State.DONE
    return operation_id


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_below_minimum_completion_prints_not_credited_and_whom_to_call(
    make_core: Callable[..., KioskCore], clock: ManualClock, config: Config, language: Language
) -> None:
    core = make_core()
    below_minimum_by_timeout(core, clock, config, language)
    snap = core.snapshot()
    assert snap.below_minimum and snap.min_amount == Money.tenge(500)
    paper = snap.receipt_text or ""
    assert NOT_CREDITED[language] in paper and HELD[language] in paper
    assert BEING_CREDITED[language] not in paper
    assert config.terminal.support_phone in paper
    assert "500" in paper  # the minimum it fell short of
    held = {"kk": "Қайтаруға ұсталды", "ru": "Удержано для возврата", "en": "Held for refund"}
    assert held[language] in paper and "200" in paper
    assert "Комиссия" not in paper and "Commission" not in paper
    assert all(len(line) <= 42 for line in paper.splitlines())


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_payment_over_the_minimum_prints_being_credited(
    make_core: Callable[..., KioskCore], language: Language
) -> None:
    core = make_core()
    core.set_language(language)
    ready(core)
    insert(core, 1000)
    paper = core.pay().receipt_text
    assert BEING_CREDITED[language] in paper and NOT_CREDITED[language] not in paper
    assert not core.snapshot().below_minimum


def test_a_receipt_stored_before_the_field_existed_still_prints_being_credited() -> None:
    fields = ReceiptFields(
        1,
        "op",
        0,
        "T",
        "A",
        "Agent",
        "1",
        "+7 1",
        "kaspi",
        "Kaspi",
        "Op",
        None,
        "",
        "+7701",
        1,
        0,
        1,
        "KZT",
        False,
    )
    old_json = fields.to_json().replace(', "below_minimum": false', "")
    assert "below_minimum" not in old_json
    stored = ReceiptFields.from_json(old_json)
    assert "Accepted, being credited" in render_text(stored, "en")


@pytest.mark.parametrize(
    ("result", "error", "expected"),
    [
        ("accepted", None, lookups.CREDITED),
        ("rejected", "wallet blocked", lookups.HELD),
        ("duplicate", None, lookups.CREDITED),
        ("duplicate", "wallet blocked", lookups.HELD),  # the first answer was a rejection
        ("conflict", "other content", lookups.HELD),
    ],
)
def test_the_thanks_screen_follows_the_ledgers_answer(
    make_core: Callable[..., KioskCore], result: str, error: str | None, expected: str
) -> None:
    core = make_core()
    seen: list[str] = []
    core.subscribe(lambda snap: seen.append(snap.ledger_status))
    operation_id = ready(core)
    insert(core, 1000)
    core.pay()
    assert core.snapshot().ledger_status == lookups.PENDING  # queued, no answer yet
    core.tick()
    assert core.snapshot().ledger_status == lookups.PENDING
    answer(core, operation_id, result, error)
    core.tick()
    assert core.snapshot().ledger_status == expected
    assert seen[-1] == expected  # published: the screen changes without a touch
    published = len(seen)
    core.tick()
    assert len(seen) == published  # an answer once known is not published again
    status = core.payment_status(1, core.snapshot().inserted)
    assert status is not None and status.ledger == expected
    assert status.completed is (expected == lookups.CREDITED)


def test_a_rejected_below_minimum_payment_stays_held(
    make_core: Callable[..., KioskCore], clock: ManualClock, config: Config
) -> None:
    core = make_core()
    operation_id = below_minimum_by_timeout(core, clock, config, "en")
    status = core.payment_status(1, core.snapshot().inserted)
    assert status is not None and status.below_minimum and status.ledger == lookups.PENDING
    answer(core, operation_id, "rejected", "below the service minimum")
    core.tick()
    snap = core.snapshot()
    assert snap.ledger_status == lookups.HELD and snap.below_minimum


@pytest.mark.parametrize(
    ("result", "error", "held"), [("rejected", "wallet blocked", True), ("accepted", None, False)]
)
def test_a_copy_printed_after_the_ledger_rejected_says_not_credited(
    make_core: Callable[..., KioskCore], result: str, error: str | None, held: bool
) -> None:
    """The status screen's "print my receipt" after a rejection: the copy tells what is known
    now, not what the first receipt could know."""
    printer = ConfiguredPrinter(PrinterConfig())
    core = make_core(printer=printer)
    core.set_language("en")
    operation_id = ready(core)
    insert(core, 1000)
    core.pay()
    answer(core, operation_id, result, error)
    assert core.reprint(operation_id)
    assert printer.driver is not None
    pages = printer.driver.device.simulator.pages
    copy = pages[-1].text(42)
    assert "DUPLICATE" in copy
    assert ("Not credited" in copy) is held and ("Accepted, being credited" in copy) is not held
    assert ("The recipient did not accept" in " ".join(copy.split())) is held
    assert ("Held for refund" in copy) is held
    assert "Not credited" not in pages[0].text(42)  # the first receipt, before the answer


def test_the_rejected_paper_wording_fits_in_every_language() -> None:
    base = ReceiptFields(
        1,
        "op",
        0,
        "T",
        "A",
        "Agent",
        "1",
        "+7 727 000 00 00",
        "kaspi",
        "Kaspi",
        "Op",
        None,
        "",
        "+77011234567",
        100000,
        0,
        100000,
        "KZT",
        False,
        rejected=True,
    )
    for language, words in NOT_CREDITED.items():
        paper = render_text(base, language, width=32)  # type: ignore[arg-type]
        assert words in paper and all(len(line) <= 32 for line in paper.splitlines())
        assert "+7 727 000 00 00" in paper
