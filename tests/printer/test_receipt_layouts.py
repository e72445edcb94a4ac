"""Receipt layouts as printed: the bytes are decoded by the simulator and compared with the
source text, for every language and paper width."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from drivers.printer import (
    Document,
    EscposDriver,
    PrinterProfile,
    TextLine,
    encode_document,
    get_profile,
)
from drivers.printer.codepages import KAZAKH_LETTERS
from drivers.printer.driver import CLEAR_BUFFERS
from drivers.printer.raster import render_line
from drivers.sim.printer import PrinterSimulator
from drivers.sim.printer.loopback import LoopbackPrinter
from drivers.sim.printer.page import ImageRow, Page, QrRow, TextRow
from kiosk.domain.money import Language
from kiosk.printing import EscposReceiptPrinter, receipt_document, text_document
from kiosk.receipts import (
    EncashmentFields,
    ReceiptFields,
    render_encashment_text,
    render_text,
)

LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
OPERATION_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
SERVICE_NAMES = {"kk": "QPlus әмияны", "ru": "Кошелёк QPlus", "en": "QPlus wallet"}
ADDRESS = "Алматы, Абай даңғылы 10"
INIT_KZ1048 = b"\x1b@\x1bt\x35"  # ESC @, then ESC t 53 (KZ-1048)


def payment(language: Language) -> ReceiptFields:
    """A QPlus top-up as the core stores it (the account as the core keeps it, unmasked)."""
    return ReceiptFields(
        receipt_number=1042,
        operation_id=OPERATION_ID,
        paid_at_ms=1_763_790_000_000,
        terminal_id="KZ-ALA-0001",
        terminal_address=ADDRESS,
        agent_name="Demo Payments LLP",
        agent_bin="150440000003",
        support_phone="+7 727 000 00 00",
        service_id="qplus",
        service_name=SERVICE_NAMES[language],
        operator_name="QIWI Kazakhstan LLP",
        operator_bin="060640010247",
        operator_phone="+7 (727) 356-12-12",
        account="+77011234567",
        inserted=100_000,
        commission=2_000,
        credited=98_000,
        currency="KZT",
        recovered=False,
        status_url="https://pay.example.kz/status",
    )


def encashment() -> EncashmentFields:
    return EncashmentFields(
        encashment_id="0190a1c0-0000-7000-8000-00000000e001",
        terminal_id="KZ-ALA-0001",
        terminal_address=ADDRESS,
        agent_name="Demo Payments LLP",
        cassette_id="CS-7781",
        technician_id="TECH-015",
        period_start_ms=1_763_190_000_000,
        period_end_ms=1_763_790_000_000,
        notes=((200_000, 5), (100_000, 12), (1_000_000, 1), (500_000, 3)),
    )


class Tap(PrinterSimulator):
    """A simulator that also keeps each write the driver made, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []

    def receive(self, data: bytes) -> bytes:
        self.writes.append(data)
        return super().receive(data)


def sim_printer(profile: str = "TM-T88V") -> tuple[EscposReceiptPrinter, Tap]:
    chosen = get_profile(profile)
    tap = Tap()
    driver = EscposDriver(
        LoopbackPrinter(tap, profile=chosen.escpos_profile()), chosen, url="sim://"
    )
    return EscposReceiptPrinter(driver), tap


def printed_lines(page: Page, raster_texts: tuple[str, ...], profile: PrinterProfile) -> list[str]:
    """What the paper says, line by line: text rows as decoded; each raster row checked
    pixel for pixel against the line it claims to carry; QR codes as ``[QR] data``."""
    cell = profile.dots // profile.columns
    raster = iter(raster_texts)
    lines: list[str] = []
    for row in page.rows:
        if isinstance(row, TextRow):
            lines.append(row.text.rstrip())
        elif isinstance(row, ImageRow):
            text = next(raster)
            drawn = {
                render_line(text, bold=bold, cell_width=cell).tobytes() for bold in (False, True)
            }
            assert row.image.tobytes() in drawn, f"raster row is not {text!r}"
            assert row.image.width <= profile.dots
            lines.append(text)
        elif isinstance(row, QrRow):
            lines.append(f"[QR] {row.data}")
    assert next(raster, None) is None, "a raster line was not printed"
    while lines and not lines[-1]:
        lines.pop()
    return lines


def print_through_simulator(document: Document, profile: PrinterProfile) -> list[str]:
    data, report = encode_document(document, profile)
    simulator = PrinterSimulator()
    simulator.receive(data)
    [page] = simulator.pages
    return printed_lines(page, report.raster_lines, profile)


def source_lines(document: Document) -> list[str]:
    return [block.text.rstrip() for block in document if isinstance(block, TextLine)]


def has_pair(text: str, label: str, value: str) -> bool:
    """``label`` followed by ``value`` on its line, or right-aligned on the next one."""
    return (
        re.search(re.escape(label) + r" *\n? +" + re.escape(value) + "$", text, re.MULTILINE)
        is not None
    )


# Every field DOMAIN.md requires on a payment receipt (QPlus offer §5.4) and those a
# terminal adds, written out per language, not taken from the code's label table.
REQUIRED: dict[Language, dict[str, tuple[str, str]]] = {
    "kk": {
        "payment amount (cash)": ("Қабылданған қолма-қол ақша", "1 000 тг"),
        "commission": ("Комиссия", "20 тг"),
        "amount credited": ("Есепке алынатын сома", "980 тг"),
        "date and time": ("Күні мен уақыты", "22.11.2025 10:40:00"),
        "receipt number": ("Түбіртек №", "1042"),
        "agent BIN": ("БСН", "150440000003"),
        "terminal": ("Терминал", "KZ-ALA-0001"),
        "service": ("Қызмет", "QPlus әмияны"),
        "account": ("Шот / нөмір", "+77011234567"),
        "status": ("Күйі", "Қабылданды, есепке алынуда"),
        "operator": ("Оператор", "QIWI Kazakhstan LLP"),
        "operator phone": ("Оператор телефоны", "+7 (727) 356-12-12"),
        "support phone": ("Қолдау қызметі", "+7 727 000 00 00"),
    },
    "ru": {
        "payment amount (cash)": ("Принято наличными", "1 000 тг"),
        "commission": ("Комиссия", "20 тг"),
        "amount credited": ("К зачислению", "980 тг"),
        "date and time": ("Дата и время", "22.11.2025 10:40:00"),
        "receipt number": ("Квитанция №", "1042"),
        "agent BIN": ("БИН", "150440000003"),
        "terminal": ("Терминал", "KZ-ALA-0001"),
        "service": ("Услуга", "Кошелёк QPlus"),
        "account": ("Счёт / номер", "+77011234567"),
        "status": ("Статус", "Принят, зачисляется"),
        "operator": ("Оператор", "QIWI Kazakhstan LLP"),
        "operator phone": ("Телефон оператора", "+7 (727) 356-12-12"),
        "support phone": ("Служба поддержки", "+7 727 000 00 00"),
    },
    "en": {
        "payment amount (cash)": ("Cash accepted", "1,000 KZT"),
        "commission": ("Commission", "20 KZT"),
        "amount credited": ("Amount credited", "980 KZT"),
        "date and time": ("Date and time", "22.11.2025 10:40:00"),
        "receipt number": ("Receipt No.", "1042"),
        "agent BIN": ("BIN", "150440000003"),
        "terminal": ("Terminal", "KZ-ALA-0001"),
        "service": ("Service", "QPlus wallet"),
        "account": ("Account", "+77011234567"),
        "status": ("Status", "Accepted, being credited"),
        "operator": ("Operator", "QIWI Kazakhstan LLP"),
        "operator phone": ("Operator phone", "+7 (727) 356-12-12"),
        "support phone": ("Support", "+7 727 000 00 00"),
    },
}
TITLES = {"kk": "ТӨЛЕМ ТҮБІРТЕГІ", "ru": "КВИТАНЦИЯ ОБ ОПЛАТЕ", "en": "PAYMENT RECEIPT"}
ADDRESS_LABELS = {"kk": "Мекенжай", "ru": "Адрес", "en": "Address"}
OPERATION_LABELS = {"kk": "Операция №:", "ru": "Операция №:", "en": "Operation No.:"}
DUPLICATE_MARKS = {
    "kk": "ТҮБІРТЕК КӨШІРМЕСІ",
    "ru": "ДУБЛИКАТ КВИТАНЦИИ",
    "en": "DUPLICATE RECEIPT",
}


def assert_required_fields(lines: list[str], language: Language) -> None:
    text = "\n".join(lines)
    missing = [
        name
        for name, (label, value) in REQUIRED[language].items()
        if not has_pair(text, label, value)
    ]
    assert not missing, f"{language}: {missing} not printed as label and value:\n{text}"
    assert lines[0].strip() == TITLES[language]
    assert "Demo Payments LLP" in lines

    # Long values are wrapped to the paper width at spaces and hyphens (the operation id
    # and the address on 58 mm), so they are looked for in the lines read one after
    # another, whitespace aside.
    def flat(value: str) -> str:
        return "".join(value.split())

    flowing = flat("".join(lines))
    assert flat(f"{OPERATION_LABELS[language]}{OPERATION_ID}") in flowing
    assert flat(f"{ADDRESS_LABELS[language]}: {ADDRESS}") in flowing
    assert f"[QR] https://pay.example.kz/status?op={OPERATION_ID}" in lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_payment_receipt_prints_every_required_field(language: Language) -> None:
    printer, tap = sim_printer("TM-T88V")
    printer.print_receipt("", payment(language), language, False)
    profile = printer.driver.profile
    [page] = tap.pages
    lines = printed_lines(page, (), profile)
    source = source_lines(receipt_document(payment(language), language, width=42))
    assert lines[: len(source)] == source
    assert source == render_text(payment(language), language, width=42).splitlines()
    assert_required_fields(lines, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_reprint_clears_the_buffer_first_and_is_marked_duplicate_in_its_language(
    language: Language,
) -> None:
    printer, tap = sim_printer("TM-T88V")
    printer.print_receipt("", payment(language), language, True)
    job = [write for write in tap.writes if not re.fullmatch(rb"\x10\x04[\x01-\x04]", write)]
    assert b"".join(job).startswith(CLEAR_BUFFERS + INIT_KZ1048)
    [page] = tap.pages
    lines = printed_lines(page, (), printer.driver.profile)
    assert lines[0].strip() == DUPLICATE_MARKS[language]
    assert lines[1].strip() == TITLES[language]
    assert (
        lines[:-1]
        == render_text(payment(language), language, width=42, duplicate=True).splitlines()
    )
    assert [isinstance(row, TextRow) and row.style.bold for row in page.rows[:3]] == [
        True,
        True,
        False,
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_encashment_receipt_lists_notes_totals_period_cassette_and_technician(
    language: Language,
) -> None:
    printer, tap = sim_printer("TM-T88V")
    printer.print_encashment(encashment(), language)
    [page] = tap.pages
    lines = printed_lines(page, (), printer.driver.profile)
    assert lines == render_encashment_text(encashment(), language, width=42).splitlines()
    text = "\n".join(lines)
    group = "," if language == "en" else " "

    sign = "KZT" if language == "en" else "тг"  # no printer code page has ₸

    def tenge(amount: int) -> str:
        return f"{amount:,} {sign}".replace(",", group)

    # Largest note first, each with its count and subtotal.
    for note, count in ((10_000, 1), (5_000, 3), (2_000, 5), (1_000, 12)):
        assert has_pair(text, f"{tenge(note)} x {count}", tenge(note * count)), (note, text)
    order = [text.index(f"{tenge(note)} x ") for note in (10_000, 5_000, 2_000, 1_000)]
    assert order == sorted(order)
    labels = {
        "kk": ("Кассета", "Техник", "Купюралар саны", "Жалпы сома", "Кезең:"),
        "ru": ("Кассета", "Техник", "Всего купюр", "Итого сумма", "Период:"),
        "en": ("Cassette", "Technician", "Notes in total", "Total amount", "Period:"),
    }[language]
    cassette, technician, notes_total, amount_total, period = labels
    assert has_pair(text, cassette, "CS-7781")
    assert has_pair(text, technician, "TECH-015")
    assert has_pair(text, notes_total, "21")
    assert has_pair(text, amount_total, tenge(47_000))
    assert f"{period}\n15.11.2025 12:00 - 22.11.2025 10:40" in text
    assert "0190a1c0-0000-7000-8000-00000000e001" in lines


@pytest.mark.parametrize("profile_name", ["generic-58", "TM-T88V", "TM-T20II"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_receipts_fit_the_paper_and_keep_every_field(profile_name: str, language: Language) -> None:
    profile = get_profile(profile_name)
    width = profile.columns
    documents = {
        "payment": receipt_document(payment(language), language, width=width),
        "duplicate": receipt_document(payment(language), language, width=width, duplicate=True),
        "encashment": text_document(
            render_encashment_text(encashment(), language, width=width), width
        ),
    }
    for name, document in documents.items():
        lines = print_through_simulator(document, profile)
        # generic-58 has no KZ-1048: its Kazakh lines come back from raster rows.
        assert [line for line in lines if not line.startswith("[QR]")] == source_lines(document)
        too_wide = [line for line in lines if len(line) > width and not line.startswith("[QR]")]
        assert not too_wide, f"{name} on {profile_name}: {too_wide}"
    assert_required_fields(print_through_simulator(documents["payment"], profile), language)


def test_only_lines_with_kazakh_letters_go_as_raster_on_a_printer_without_kz1048() -> None:
    profile = get_profile("generic-58")
    document = receipt_document(payment("kk"), "kk", width=32)
    data, report = encode_document(document, profile)
    kazakh = [line for line in source_lines(document) if set(line) & set(KAZAKH_LETTERS)]
    assert list(report.raster_lines) == kazakh
    assert len(report.text_lines) + len(kazakh) == len(source_lines(document))
    assert "БСН                 150440000003".encode("cp866") in data


def test_sim_url_with_a_directory_writes_each_receipt_there_without_overwriting(
    tmp_path: Path,
) -> None:
    out = tmp_path / "receipts"
    runs: tuple[tuple[int, Language], ...] = ((1, "kk"), (2, "en"))
    for _, language in runs:  # two runs of the kiosk on the same directory
        driver = EscposDriver.open(f"sim://{out}", "TM-T20II")
        EscposReceiptPrinter(driver).print_receipt("", payment(language), language, False)
        driver.close()
    assert sorted(path.name for path in out.iterdir()) == [
        "receipt-0001.png",
        "receipt-0001.txt",
        "receipt-0002.png",
        "receipt-0002.txt",
    ]
    for number, language in runs:
        text = (out / f"receipt-{number:04d}.txt").read_text(encoding="utf-8")
        expected = render_text(payment(language), language, width=48)
        assert text.startswith(expected)
        assert text.endswith(f"[QR] https://pay.example.kz/status?op={OPERATION_ID}\n")
        with Image.open(out / f"receipt-{number:04d}.png") as image:
            assert image.format == "PNG" and image.width == 576 + 2 * 16


SUPPORT_LABEL = {
    "kk": "Оператордың қолдау қызметі",
    "ru": "Техподдержка оператора",
    "en": "Operator tech support",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_operators_support_line_is_printed_labelled_beside_its_phone(
    language: Language,
) -> None:
    wmk = dataclasses.replace(
        payment(language),
        operator_name="ТОО «Гермес Гарант Групп»",
        operator_phone="+7 777 715 9510",
        operator_support_phone="+7 777 715 95 11",
    )
    text = render_text(wmk, language)
    assert has_pair(text, SUPPORT_LABEL[language], "+7 777 715 95 11")
    lines = text.splitlines()
    phone_at = next(i for i, line in enumerate(lines) if "+7 777 715 9510" in line)
    assert any("+7 777 715 95 11" in line for line in lines[phone_at + 1 : phone_at + 3])
    assert max(len(line) for line in lines) <= 42
    # Most operators name one phone: no empty support line then.
    assert SUPPORT_LABEL[language] not in render_text(payment(language), language)


def test_a_receipt_stored_before_the_support_line_reads_back_without_one() -> None:
    stored = json.loads(payment("ru").to_json())
    del stored["operator_support_phone"]
    again = ReceiptFields.from_json(json.dumps(stored))
    assert again.operator_support_phone is None
    assert again == payment("ru")
