"""Write each simulated receipt to a directory as ``.txt`` (decoded text) and ``.png``."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw

from drivers.printer.fonts import mono_font
from drivers.printer.raster import CELL_HEIGHT
from drivers.sim.printer.page import Align, ImageRow, Page, QrRow, TextRow

_MARGIN = 16
_FONT_SIZE = 19


def render_png(page: Page, *, dots: int, columns: int) -> Image.Image:
    """Draw the receipt as the paper would look, ``dots`` wide plus a margin."""
    cell = dots // columns
    rows: list[tuple[Image.Image, Align]] = []
    for row in page.rows:
        if isinstance(row, TextRow):
            rows.append((_text_image(row, cell), row.align))
        elif isinstance(row, ImageRow):
            rows.append((row.image.convert("L"), row.align))
        else:
            rows.append((_qr_image(row), row.align))
    height = sum(image.height for image, _ in rows) + 2 * _MARGIN
    paper = Image.new("L", (dots + 2 * _MARGIN, max(height, 2 * _MARGIN)), 255)
    y = _MARGIN
    for image, align in rows:
        free = max(0, dots - image.width)
        x = {"left": 0, "center": free // 2, "right": free}[align]
        paper.paste(image, (_MARGIN + x, y))
        y += image.height
    return paper


def _text_image(row: TextRow, cell: int) -> Image.Image:
    text = row.text.rstrip()
    style = row.style
    image = Image.new("L", (max(1, len(text)) * cell, CELL_HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    font = mono_font(_FONT_SIZE, bold=style.bold)
    for index, char in enumerate(text):
        draw.text((index * cell + cell / 2, CELL_HEIGHT - 5), char, font=font, fill=0, anchor="ms")
    if style.underline:
        draw.line((0, CELL_HEIGHT - 2, image.width, CELL_HEIGHT - 2), fill=0)
    if style.width > 1 or style.height > 1:
        image = image.resize((image.width * style.width, image.height * style.height))
    if style.invert:
        image = image.point(lambda value: 255 - value)
    return image


def _qr_image(row: QrRow) -> Image.Image:
    code = qrcode.QRCode(box_size=max(1, row.module_dots), border=2)
    code.add_data(row.data)
    code.make(fit=True)
    rendered: Image.Image = code.make_image().get_image()
    return rendered.convert("L")


class ReceiptWriter:
    """A page sink numbering receipts ``receipt-0001`` on in ``out_dir``."""

    def __init__(self, out_dir: Path, *, dots: int, columns: int) -> None:
        self.out_dir = out_dir
        self.dots = dots
        self.columns = columns
        self._lock = threading.Lock()
        out_dir.mkdir(parents=True, exist_ok=True)
        numbers = [
            int(m.group(1))
            for p in out_dir.glob("receipt-*.txt")
            if (m := re.fullmatch(r"receipt-(\d+)\.txt", p.name))
        ]
        self._next = max(numbers, default=0) + 1
        self.written: list[Path] = []

    def __call__(self, page: Page) -> None:
        with self._lock:
            stem = self.out_dir / f"receipt-{self._next:04d}"
            self._next += 1
            stem.with_suffix(".txt").write_text(page.text(self.columns), encoding="utf-8")
            render_png(page, dots=self.dots, columns=self.columns).save(stem.with_suffix(".png"))
            self.written.append(stem.with_suffix(".txt"))
