"""The printer as the core meets it: no-paper policies before cash, a receipt that fails
mid-payment, reprints as duplicates, and a printer that comes and goes.

The printer is the real python-escpos driver over the byte-level simulator (in process, or
on a loopback TCP port), so the status comes from real DLE EOT replies.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from drivers.bill.base import Escrow, Stacked
from drivers.sim.printer import PrinterServer, PrinterSimulator
from kiosk.config import Config, NoPaperPolicy, PrinterConfig
from kiosk.core import PRINTER_CHECK_S, KioskCore, NotAllowed, NotAvailable, ReceiptUnavailable
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.printing import ConfiguredPrinter
from kiosk.session import State

NUMBER = "+7 701 123 45 67"


def with_policy(config: Config, policy: NoPaperPolicy) -> Config:
    return dataclasses.replace(config, printer=PrinterConfig(no_paper_policy=policy))


@pytest.fixture
def printer() -> ConfiguredPrinter:
    return ConfiguredPrinter(PrinterConfig())


def paper(printer: ConfiguredPrinter) -> PrinterSimulator:
    assert printer.driver is not None
    simulator: PrinterSimulator = printer.driver.device.simulator
    return simulator


def checked(core: KioskCore, service: str = "kaspi") -> str:
    operation_id = core.choose_service(service)
    assert core.enter_account(NUMBER).ok
    assert core.confirm_account().ok
    return operation_id


def insert(core: KioskCore, tenge: int) -> None:
    core.on_acceptor_event(Escrow(tenge * 100, 3))
    core.on_acceptor_event(Stacked(tenge * 100, 3))


def rows(core: KioskCore, sql: str) -> list[tuple[Any, ...]]:
    with core.store.reading() as s:
        return [tuple(r) for r in s.execute(text(sql)).all()]


def test_paper_out_before_cash_asks_the_customer_and_records_the_choice(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "ask"), printer=printer)
    paper(printer).control("paper-out")
    operation_id = checked(core)
    snap = core.snapshot()
    assert snap.receipt_choice and snap.printer_state == "paper_out"
    with pytest.raises(ReceiptUnavailable, match="out of paper"):
        core.start_cash()
    assert core.snapshot().state is State.ACCOUNT_CHECKED  # nothing enabled, nothing taken
    core.start_cash(without_receipt=True)
    insert(core, 1000)
    paid = core.pay()
    assert not paid.printed and core.snapshot().without_receipt
    assert rows(
        core,
        f"SELECT detail FROM session_transitions WHERE operation_id = "
        f"'{operation_id}' AND to_state = 'accepting'",
    ) == [("without receipt: paper_out",)]
    # The receipt is stored with the payment all the same, and nothing reached the paper.
    assert rows(core, "SELECT printed_at IS NULL, last_error FROM receipts") == [
        (1, "receipt 1 not printed: printer is out of paper")
    ]
    assert paper(printer).pages == []


def test_a_customer_who_declines_leaves_without_cash_taken(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "ask"), printer=printer)
    paper(printer).control("cover-open")
    checked(core)
    with pytest.raises(ReceiptUnavailable, match="cover is open"):
        core.start_cash()
    core.cancel()
    assert rows(core, "SELECT outcome FROM sessions") == [("cancelled",)]
    assert rows(core, "SELECT count(*) FROM cash_journal") == [(0,)]


def test_out_of_service_policy_closes_the_kiosk_until_paper_is_loaded(
    make_core: Callable[..., KioskCore],
    config: Config,
    printer: ConfiguredPrinter,
    clock: ManualClock,
) -> None:
    core = make_core(with_policy(config, "out_of_service"), printer=printer)
    paper(printer).control("paper-out")
    with pytest.raises(NotAvailable) as refused:
        core.choose_service("qplus")
    assert refused.value.reasons == ("printer",)
    assert core.faults == {"printer": "printer is out of paper"}
    paper(printer).control("paper-in")
    core.tick()  # too soon: the idle kiosk asks the printer every PRINTER_CHECK_S
    assert not core.in_service
    clock.advance(PRINTER_CHECK_S)
    core.tick()
    assert core.in_service and core.snapshot().printer_state == "ok"
    checked(core, "qplus")


def test_paper_near_end_keeps_working_and_is_reported(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "out_of_service"), printer=printer)
    paper(printer).control("paper-near-end")
    checked(core)
    assert core.snapshot().printer_state == "paper_near_end"
    assert not core.snapshot().receipt_choice
    core.start_cash()
    insert(core, 500)
    assert core.pay().printed
    assert len(paper(printer).pages) == 1


def test_paper_running_out_mid_payment_leaves_the_payment_standing_then_reprint_is_a_duplicate(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "ask"), printer=printer)
    operation_id = checked(core)
    core.start_cash()
    insert(core, 2000)
    paper(printer).control("paper-out")  # the roll ends while the customer feeds notes
    paid = core.pay()
    assert not paid.printed
    assert rows(core, "SELECT inserted FROM payments") == [(200000,)]
    core.finish()
    checked(core, "qplus")
    core.start_cash(without_receipt=True)
    with pytest.raises(NotAllowed):  # never while the next customer's cash is taken
        core.reprint(operation_id)
    core.cancel()
    paper(printer).control("paper-in")
    assert core.reprint(operation_id)
    pages = paper(printer).pages
    assert len(pages) == 1
    printed = pages[0].text(42)
    assert "ДУБЛИКАТ КВИТАНЦИИ" in printed or "DUPLICATE RECEIPT" in printed
    assert operation_id in printed
    assert rows(core, "SELECT print_count, last_error FROM receipts") == [(1, None)]


def test_a_job_the_printer_kept_is_dropped_so_it_never_comes_out_for_someone_else(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "ask"), printer=printer)
    operation_id = checked(core)
    core.start_cash()
    insert(core, 1000)
    sim = paper(printer)
    # The printer looks fine to the status check, then keeps the job: its cover opens as
    # it prints, and the rest would come out when the cover closes.
    sim.control("cover-open-in 200")
    assert not core.pay().printed
    assert sim.faults.cover_open
    assert not sim.held  # the failed job was dropped from the printer's buffer
    core.finish()
    assert core.reprint(operation_id) is False  # cover still open: refused, nothing sent
    sim.control("cover-close")
    assert sim.pages == []  # nothing comes out by itself for the next customer to take
    assert core.reprint(operation_id)
    assert len(sim.pages) == 1  # one receipt, marked as a duplicate
    assert "ДУБЛИКАТ КВИТАНЦИИ" in sim.pages[0].text(42) or "DUPLICATE" in sim.pages[0].text(42)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_a_network_printer_that_is_away_reads_offline_and_is_reopened_when_back(
    make_core: Callable[..., KioskCore], config: Config
) -> None:
    port = free_port()
    printer = ConfiguredPrinter(PrinterConfig(port=f"tcp://127.0.0.1:{port}"), reply_timeout=0.3)
    reading = printer.readiness()
    assert reading.state == "offline" and f"127.0.0.1:{port}" in reading.reason
    core = make_core(with_policy(config, "ask"), printer=printer)
    checked(core)
    with pytest.raises(ReceiptUnavailable):
        core.start_cash()
    core.cancel()
    simulator = PrinterSimulator()
    server = PrinterServer(simulator, listen=f"tcp://127.0.0.1:{port}")
    server.start()
    try:
        operation_id = checked(core)
        assert core.snapshot().printer_state == "ok"
        core.start_cash()
        insert(core, 1000)
        assert core.pay().printed
        assert operation_id in simulator.pages[0].text(42)
    finally:
        server.stop()
        printer.close()


def test_an_encashment_prints_its_receipt_and_stands_without_paper(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "ask"), printer=printer)
    checked(core)
    core.start_cash()
    insert(core, 1000)
    insert(core, 1000)
    core.pay()
    core.finish()
    done = core.encash("CAS-7", "tech-42")
    assert done.printed and done.encashment.notes == 2 and done.fields.notes == ((100000, 2),)
    page = paper(printer).pages[-1].text(42)
    assert "CAS-7" in page and "tech-42" in page and "2 000 тг" in page
    paper(printer).control("paper-out")
    checked(core, "qplus")
    core.start_cash(without_receipt=True)
    insert(core, 500)
    with pytest.raises(NotAllowed):  # not while a customer's cash is being taken
        core.encash("CAS-8", "tech-42")
    core.pay()
    core.finish()
    done = core.encash("CAS-8", "tech-42")
    assert not done.printed and done.print_error and "out of paper" in done.print_error
    assert rows(core, "SELECT cassette_id, notes, total FROM encashments ORDER BY id") == [
        ("CAS-7", 2, 200000),
        ("CAS-8", 1, 50000),
    ]


def test_the_customers_reprint_prints_only_a_receipt_that_never_came_out(
    make_core: Callable[..., KioskCore], config: Config, printer: ConfiguredPrinter
) -> None:
    core = make_core(with_policy(config, "ask"), printer=printer)
    paper(printer).control("paper-out")
    missing = checked(core)
    core.start_cash(without_receipt=True)
    insert(core, 500)
    core.pay()
    core.finish()
    paper(printer).control("paper-in")
    # Asked with the receipt number only: a copy with the account masked, and the receipt
    # stays unprinted for its owner.
    assert core.print_missing_receipt(missing)
    masked = paper(printer).pages[-1].text(42)
    assert "+7 701 *** ** 67" in masked and "1234567" not in masked.replace(" ", "")
    status = core.payment_status(1, Money.tenge(500))
    assert status is not None and not status.printed
    # The start of the operation number is a clock reading: still masked.
    assert core.print_missing_receipt(missing, typed_operation=missing[:8])
    assert "*** **" in paper(printer).pages[-1].text(42)
    # The whole operation number (only the payer has it): whole, once.
    assert core.print_missing_receipt(missing, typed_operation=missing.replace("-", "").upper())
    assert "+77011234567" in paper(printer).pages[-1].text(42).replace(" ", "")
    for typed in ("", missing):
        with pytest.raises(NotAllowed, match="printed already"):  # then only the service menu
            core.print_missing_receipt(missing, typed_operation=typed)
    assert core.reprint(missing)
    assert len(paper(printer).pages) == 4
