"""Receipt printer: Kazakh text survives, status is never guessed, simulator round trips."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.printer import Cut, EscposDriver, PrinterState, TextLine, encode_document, get_profile
from drivers.printer.codepages import KAZAKH_ALPHABET_LOWER, KAZAKH_ALPHABET_UPPER, KAZAKH_LETTERS
from drivers.printer.raster import render_line
from drivers.printer.status import classify, is_valid_reply
from drivers.sim.printer import PrinterServer, PrinterSimulator, ReceiptWriter, send_control
from kiosk.cli import CliError, printer_cmd
from kiosk.payment import PrinterError
from kiosk.printing import EscposReceiptPrinter
from kiosk.receipts import ReceiptFields

ALL = KAZAKH_ALPHABET_UPPER + KAZAKH_ALPHABET_LOWER


def fields() -> ReceiptFields:
    return ReceiptFields(
        receipt_number=17,
        operation_id="0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        paid_at_ms=1_763_790_000_000,
        terminal_id="T-0042",
        terminal_address="Алматы, Абай 10",
        agent_name="ТОО Агент Төлем",
        agent_bin="060640010247",
        support_phone="+7 727 000 00 00",
        service_id="kaspi",
        service_name="Kaspi Gold",
        operator_name="Kaspi",
        operator_bin="971240001315",
        operator_phone="+7 727 258 59 65",
        account="+7 701 *** 45 67",
        inserted=200_000,
        commission=4_000,
        credited=196_000,
        currency="KZT",
        recovered=False,
        status_url="https://pay.example.kz/check",
    )


def test_every_kazakh_letter_decodes_back_on_kz1048_profile() -> None:
    data, report = encode_document((TextLine(ALL), Cut()), get_profile("TM-T88V"))
    assert b"\x1b@\x1bt\x35" in data
    assert ALL.encode("kz1048") in data
    assert report.text_lines == (ALL,) and report.raster_lines == ()


def test_fallback_profile_sends_only_kazakh_lines_as_raster() -> None:
    profile = get_profile("TM-T88IV")
    lines = (TextLine("Сумма 2 000 тг"), TextLine(KAZAKH_LETTERS), Cut())
    data, report = encode_document(lines, profile)
    assert "Сумма 2 000 тг".encode("cp866") in data
    assert report.raster_lines == (KAZAKH_LETTERS,)
    sim = PrinterSimulator()
    sim.receive(data)
    image = next(row for row in sim.pages[0].rows if hasattr(row, "image")).image
    assert image.tobytes() == render_line(KAZAKH_LETTERS, cell_width=12).tobytes()


def test_code_page_is_sent_again_after_init_on_a_reused_printer() -> None:
    driver = EscposDriver.open("sim://", "TM-T88V")
    driver.print_document((TextLine("Әә"), Cut()))
    driver.print_document((TextLine("Әә"), Cut()))
    assert [page.text(42).splitlines()[0] for page in driver.device.simulator.pages] == ["Әә"] * 2


@pytest.mark.parametrize(
    ("byte", "valid"),
    [(0x12, True), (0x7E, True), (0x00, False), (0xFF, False), (0x13, False), (0x92, False)],
)
def test_status_byte_pattern(byte: int, valid: bool) -> None:
    assert is_valid_reply(byte) is valid


def test_silence_or_garbage_is_unknown_never_ok() -> None:
    assert classify({1: None, 2: None, 3: None, 4: None}).state is PrinterState.UNKNOWN
    assert classify({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x00}).state is PrinterState.UNKNOWN
    assert classify({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x72}).state is PrinterState.PAPER_OUT
    assert classify({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}).state is PrinterState.PAPER_NEAR_END
    assert classify({1: 0x12, 2: 0x16, 3: 0x12, 4: 0x12}).state is PrinterState.COVER_OPEN
    assert classify({1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x12}).state is PrinterState.OFFLINE


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PrinterServer, Path]]:
    sim = PrinterSimulator(ReceiptWriter(tmp_path, dots=512, columns=42))
    server = PrinterServer(sim, listen="tcp://127.0.0.1:0", control="tcp://127.0.0.1:0")
    server.start()
    yield server, tmp_path
    server.stop()


def test_cli_test_page_over_tcp_writes_every_letter(
    served: tuple[PrinterServer, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    server, out = served
    args = _parse(["printer", "test", "--port", server.data_address])
    assert args.handler(args) == 0
    text = (out / "receipt-0001.txt").read_text(encoding="utf-8")
    assert KAZAKH_ALPHABET_UPPER in text and KAZAKH_ALPHABET_LOWER in text
    assert (out / "receipt-0001.png").stat().st_size > 0


def test_socket_url_reaches_the_same_printer_as_tcp(served: tuple[PrinterServer, Path]) -> None:
    # The validator's port is a pyserial URL (socket://host:port); a configuration that writes
    # the printer's port the same way must reach the same printer.
    server, out = served
    url = server.data_address.replace("tcp://", "socket://")
    args = _parse(["printer", "test", "--port", url])
    assert args.handler(args) == 0
    assert KAZAKH_ALPHABET_UPPER in (out / "receipt-0001.txt").read_text(encoding="utf-8")


def test_cli_test_page_fails_clearly_when_paper_out(served: tuple[PrinterServer, Path]) -> None:
    server, out = served
    assert server.control_address is not None  # the fixture listens for control lines
    assert send_control(server.control_address, "paper-out") == "ok"
    args = _parse(["printer", "test", "--port", server.data_address])
    with pytest.raises(CliError, match="out of paper") as failure:
        args.handler(args)
    assert failure.value.exit_code != 0


def test_silent_printer_refuses_receipt_over_pty(tmp_path: Path) -> None:
    sim = PrinterSimulator(ReceiptWriter(tmp_path, dots=512, columns=42))
    server = PrinterServer(sim, pty=True)
    server.start()
    try:
        driver = EscposDriver.open(
            f"serial://{server.data_address}?flow=none", "TM-T88V", reply_timeout=0.2
        )
        assert driver.status().state is PrinterState.OK
        assert sim.control("mute 30") == "ok"
        printer = EscposReceiptPrinter(driver)
        with pytest.raises(PrinterError, match="silent"):
            printer.print_receipt("", fields(), "kk", False)
        driver.close()
    finally:
        server.stop()


def test_reprint_clears_held_job_and_is_marked_duplicate() -> None:
    printer = EscposReceiptPrinter(EscposDriver.open("sim://", "TM-T88V"))
    sim = printer.driver.device.simulator
    sim.control("paper-out")
    sim.receive(encode_document((TextLine("held job"), Cut()), get_profile("TM-T88V"))[0])
    sim.control("paper-in")  # the held job prints once when paper is in: clear it next time
    sim.control("paper-out")
    sim.receive(encode_document((TextLine("held again"), Cut()), get_profile("TM-T88V"))[0])
    sim.faults = type(sim.faults)()  # paper loaded without resuming, as after a roll change
    printer.print_receipt("", fields(), "kk", True)
    texts = [page.text(42) for page in sim.pages]
    assert not any("held again" in text for text in texts)
    assert "ТҮБІРТЕК КӨШІРМЕСІ" in texts[-1]


def test_receipt_has_every_required_field() -> None:
    printer = EscposReceiptPrinter(EscposDriver.open("sim://", "TM-T88V"))
    printer.print_receipt("", fields(), "ru", False)
    text = printer.driver.device.simulator.pages[-1].text(42)
    for needed in (
        "2 000 тг",
        "22.11.2025",
        "Квитанция №",
        "17",
        "ТОО Агент Төлем",
        "060640010247",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "+7 701 *** 45 67",
        "+7 727 258 59 65",
        "T-0042",
        "Алматы, Абай 10",
        "Kaspi Gold",
        "40 тг",
        "1 960 тг",
        "Принят, зачисляется",
        "[QR] https://pay.example.kz/check?op=0190a1b2",
    ):
        assert needed in text, needed
    assert re.search(r"Принято наличными\s+2 000 тг", text)


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kiosk")
    printer_cmd.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_the_simulated_cover_opens_inside_a_job_when_armed() -> None:
    sim = PrinterSimulator()
    assert sim.control("cover-open-in x") == "error: usage: cover-open-in <bytes>"
    assert sim.control("cover-open-in 4") == "ok"
    sim.receive(b"\x1b@" + "Сумма".encode("cp866") + b"\n\x1dV\x00")
    assert sim.faults.cover_open and sim.held and sim.pages == []  # the rest waits
    sim.control("cover-close")
    assert len(sim.pages) == 1 and not sim.held  # closing the cover lets it out


def test_a_pyserial_url_opens_the_serial_printer_through_pyserial() -> None:
    # rfc2217:// (a serial port server) and the other pyserial URLs reach python-escpos'
    # serial printer through serial_for_url; loop:// hands back what was written.
    from drivers.printer.connection import open_device, parse_url
    from drivers.printer.profiles import get_profile

    assert parse_url("rfc2217://10.0.0.5:4001").scheme == "serial"
    device = open_device("loop://", get_profile("TM-T88V"))
    try:
        device._raw(b"\x1b@hello")
        assert device.device.read(8) == b"\x1b@hello"
    finally:
        device.close()
