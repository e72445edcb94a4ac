"""Receipt size and wire time: a standard payment receipt through the real ESC/POS driver.

The receipt (QPlus wallet, 1 000 tenge inserted, the catalog's commission, QR code and cut)
is printed by ``EscposDriver`` into a ``file://`` printer, in kk, ru and en, on 80 mm and
58 mm paper, three ways: text mode (a profile with KZ-1048), the fallback (a profile
without it: only lines with Kazakh letters as raster images), and the whole receipt as one
raster image (for comparison). Prints one JSON object. Target (issue #4): a standard
receipt at most 1.5 KB in text mode (about 1.6 s at 9600 baud).

Run: ``.venv/bin/python bench/receipt.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
from pathlib import Path

from drivers.printer import Document, EscposDriver, JobReport, get_profile
from drivers.printer.codepages import KZ1048
from drivers.printer.encoder import initialize
from drivers.printer.profiles import PrinterProfile
from drivers.sim.printer import PrinterSimulator, render_png
from kiosk.catalog_file import load_catalog
from kiosk.domain.money import Language, Money
from kiosk.printing import receipt_document
from kiosk.receipts import ReceiptFields

TARGET_TEXT_BYTES = 1536
BAUDS = (9600, 19200, 115200)
BITS_PER_BYTE = 10  # 8N1: start bit, 8 data bits, stop bit
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
INSERTED = Money.tenge(1_000)
# No 58 mm profile in the table has KZ-1048; text mode on 58 mm is measured on generic-58
# given code page 53, i.e. a 58 mm printer that has it.
_GENERIC_58 = get_profile("generic-58")
GENERIC_58_KZ = dataclasses.replace(
    _GENERIC_58, name="generic-58+KZ1048", code_pages=(KZ1048, *_GENERIC_58.code_pages)
)
# paper -> (text-mode profile, fallback profile): same width and columns within a paper.
PAPERS: dict[str, tuple[PrinterProfile, PrinterProfile]] = {
    "80mm": (get_profile("TM-T88V"), get_profile("TM-T88IV")),
    "58mm": (GENERIC_58_KZ, _GENERIC_58),
}


def standard_fields(language: Language) -> ReceiptFields:
    """The fields the payment core stores for a QPlus top-up of 1 000 tenge in cash."""
    service = load_catalog().get("qplus")
    breakdown = service.commission.breakdown(INSERTED)
    return ReceiptFields(
        receipt_number=1042,
        operation_id="0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        paid_at_ms=1_763_790_000_000,
        terminal_id="KZ-ALA-0001",
        terminal_address="Алматы, Абай даңғылы 10",
        agent_name="Demo Payments LLP",
        agent_bin="060640010247",
        support_phone="+7 727 000 00 00",
        service_id=service.id,
        service_name=service.name(language),
        operator_name=service.operator.name,
        operator_bin=service.operator.bin,
        operator_phone=service.operator.phone,
        account="+77011234567",
        inserted=breakdown.inserted.tiyn,
        commission=breakdown.commission.tiyn,
        credited=breakdown.credited.tiyn,
        currency="KZT",
        recovered=False,
        status_url="https://pay.example.kz/status",
    )


def print_to_file(path: Path, document: Document, profile: PrinterProfile) -> JobReport:
    """Print ``document`` with the real driver into the file ``path``."""
    driver = EscposDriver.open(f"file://{path}", profile)
    try:
        return driver.print_document(document)
    finally:
        driver.close()


def whole_raster_to_file(path: Path, text_job: bytes, profile: PrinterProfile) -> None:
    """The same receipt as one raster image: the text-mode job as the paper shows it,
    drawn by the simulator, then sent with ``GS v 0`` by the library the driver uses."""
    simulator = PrinterSimulator()
    simulator.receive(text_job)
    paper = render_png(simulator.pages[-1], dots=profile.dots, columns=profile.columns)
    margin = (paper.width - profile.dots) // 2
    image = paper.crop((margin, margin, margin + profile.dots, paper.height - margin))
    driver = EscposDriver.open(f"file://{path}", profile)
    try:
        initialize(driver.device, profile)
        driver.device.image(image.convert("1"), impl="bitImageRaster")
        driver.device.cut()
    finally:
        driver.close()


def alignment_spaces(lines: tuple[str, ...]) -> int:
    """Spaces that only position text (runs of two or more, and leading ones)."""
    return sum(len(run) for line in lines for run in re.findall(r"^ +| {2,}", line))


def wire(size: int) -> dict[str, float]:
    return {str(baud): round(size * BITS_PER_BYTE / baud, 3) for baud in BAUDS}


def measure(out: Path, paper: str, language: Language) -> tuple[dict[str, object], int]:
    """One paper and language, three ways; and the text-mode size."""
    text_profile, fallback_profile = PAPERS[paper]
    fields = standard_fields(language)
    stem = out / f"receipt-{paper}-{language}"
    result: dict[str, object] = {}
    text_job = b""
    for mode, profile in (("text", text_profile), ("fallback", fallback_profile)):
        path = stem.with_name(f"{stem.name}-{mode}.bin")
        report = print_to_file(
            path, receipt_document(fields, language, width=profile.columns), profile
        )
        size = path.stat().st_size
        if mode == "text":
            text_job = path.read_bytes()
        result[mode] = {
            "profile": profile.name,
            "code_page": profile.text_page.name,
            "bytes": size,
            "text_lines": len(report.text_lines),
            "raster_lines": len(report.raster_lines),
            "alignment_spaces": alignment_spaces(report.text_lines),
            "wire_seconds": wire(size),
        }
    raster_path = stem.with_name(f"{stem.name}-raster.bin")
    whole_raster_to_file(raster_path, text_job, text_profile)
    size = raster_path.stat().st_size
    result["whole_raster"] = {
        "profile": text_profile.name,
        "bytes": size,
        "wire_seconds": wire(size),
    }
    return result, len(text_job)


def run(out: Path) -> dict[str, object]:
    papers: dict[str, dict[str, object]] = {paper: {} for paper in PAPERS}
    text_sizes: list[int] = []
    for paper in PAPERS:
        for language in LANGUAGES:
            papers[paper][language], text_size = measure(out, paper, language)
            text_sizes.append(text_size)
    sample = standard_fields("kk")
    return {
        "benchmark": "receipt",
        "receipt": {
            "service": sample.service_id,
            "inserted_tiyn": sample.inserted,
            "commission_tiyn": sample.commission,
            "credited_tiyn": sample.credited,
            "qr": True,
            "cut": True,
        },
        "bits_per_byte": BITS_PER_BYTE,
        "papers": papers,
        "target": {
            "text_bytes_max": TARGET_TEXT_BYTES,
            "worst_text_bytes": max(text_sizes),
            "met": max(text_sizes) <= TARGET_TEXT_BYTES,
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="keep the printer jobs (.bin) here (default: a temporary dir)",
    )
    args = parser.parse_args()
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        result = run(args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-receipt-") as tmp:
            result = run(Path(tmp))
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
