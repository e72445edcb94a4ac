"""A kiosk built as ``kiosk run`` builds it (the configured ledger over HTTPS, no proxy):
a wrong ledger secret keeps payments queued, the service menu says why, and once the secret
is fixed they drain, each credited once; stopping with a note on its way loses nothing."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from kiosk.technicians import Technicians
from sync.ledger.service import Ledger
from tests.e2e.helpers import NUMBERS, TERMINAL, pay, start, terminal_config, wait_until
from tests.waiting import Snapshots


def test_a_wrong_secret_keeps_payments_queued_and_the_fix_drains_them_once(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str], qtbot: Any
) -> None:
    books, url, ca, secret = ledger
    good = terminal_config(tmp_path, url, ca, secret)
    kiosk = start(good)  # a working terminal first: its receipt numbering is confirmed
    wait_until(
        lambda: kiosk.core.in_service and kiosk.worker is not None and kiosk.worker.online,
        "the terminal to be online",
    )
    kiosk.stop()

    kiosk = start(terminal_config(tmp_path, url, ca, "0" * 64))  # the secret is now wrong
    try:
        wait_until(
            lambda: kiosk.worker is not None and kiosk.worker.state().last_error, "the link to fail"
        )
        paid = [pay(kiosk, number, 1000) for number in NUMBERS]
        assert kiosk.worker is not None
        kiosk.worker.retry_now()
        wait_until(
            lambda: (
                kiosk.worker is not None
                and kiosk.worker.state().last_error
                and kiosk.worker.state().pending_count == 2
            ),
            "two payments queued",
        )
        state = kiosk.worker.state()
        assert not state.online and state.flagged == 0
        assert all(books.payment(operation_id) is None for operation_id in paid)

        from ui.service_vm import ServiceViewModel

        assert kiosk.runner is not None  # started threaded
        menu = ServiceViewModel(
            kiosk.runner,
            Technicians(tmp_path / "pin.json", kiosk.clock),
            clock=kiosk.clock,
            terminal_id=TERMINAL,
            worker=kiosk.worker,
        )
        menu.refresh()  # read on the core thread; the answer comes back as a queued signal
        qtbot.waitUntil(lambda: menu.pending == 0, timeout=10_000)
        shown = menu.property("status")
        assert shown["ledger"] == "auth", shown  # "the ledger refuses this terminal"
        assert "secret" in shown["ledgerDetail"], shown
    finally:
        kiosk.stop()

    kiosk = start(good)  # the technician fixes the secret file; the kiosk restarts
    try:
        wait_until(
            lambda: (
                kiosk.worker is not None
                and kiosk.worker.state().pending_count == 0
                and kiosk.worker.online
            ),
            "the queue to drain",
        )
    finally:
        kiosk.stop()
    audit = books.audit()
    assert audit.balanced
    views = [books.payment(operation_id) for operation_id in paid]
    assert all(view is not None and view.inserted == 100_000 for view in views)
    assert books.reconciliation(TERMINAL).payments == 2


def test_stopping_with_a_note_on_its_way_decides_it_and_the_next_start_pays_it(
    tmp_path: Path, ledger: tuple[Ledger, str, Path, str]
) -> None:
    from kiosk.store.db import Store
    from kiosk.store.records import Records

    books, url, ca, secret = ledger
    config = terminal_config(tmp_path, url, ca, secret)
    kiosk = start(config)
    runner, core = kiosk.runner, kiosk.core
    assert runner is not None
    wait_until(lambda: core.in_service, "the kiosk to open")
    operation_id = runner.call(core.choose_service, "kaspi")
    assert runner.call(core.enter_account, NUMBERS[0]).ok
    runner.call(core.confirm_account)
    runner.call(core.start_cash)
    device: Any = kiosk.acceptor.device  # type: ignore[attr-defined]
    snapshots = Snapshots(core, partial(runner.call, core.snapshot))
    wait_until(lambda: 100_000 in device.enabled_amounts, "the note to be enabled")
    device.insert(100_000)
    snapshots.wait(lambda snapshot: snapshot.note_in_progress, 30.0, "the note in escrow")
    kiosk.stop()  # SIGTERM arrives while the note is on its way
    assert runner.stopped
    stacked = list(device.ground_truth()["notes"])
    # Whatever the unit did with the note, the journal says the same and no order is open.
    records = Records(Store(config.storage.url))
    assert records.session_notes(str(operation_id)) == stacked
    assert records.open_orders() == []
    records.store.close()

    kiosk = start(config)  # the next start pays the interrupted customer
    try:
        wait_until(
            lambda: (
                kiosk.worker is not None
                and kiosk.worker.online
                and kiosk.worker.state().pending_count == 0
            ),
            "the payment to be delivered",
        )
        payment = kiosk.core.records.payment_of(str(operation_id))
        assert payment is not None and payment.inserted == sum(stacked) > 0
    finally:
        kiosk.stop()
    assert books.payment(str(operation_id)) is not None
