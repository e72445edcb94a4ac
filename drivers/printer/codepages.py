"""Code pages the receipt printers use, and the one fix python-escpos 3.1 needs for Kazakh.

python-escpos lists code page 53 "RK1048" (KZ-1048) in its capabilities but gives it no
Python codec, so it can never encode with it. :func:`install_kz1048` maps it to Python's
``kz1048`` codec in the capabilities table the library has already loaded; every module of
this package calls it before it builds a printer profile, and nothing else touches the
library's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escpos import capabilities

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN_UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
RUSSIAN_LOWER = RUSSIAN_UPPER.lower()
# The 42 letters of the Kazakh Cyrillic alphabet, in alphabetical order.
KAZAKH_ALPHABET_UPPER = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
KAZAKH_ALPHABET_LOWER = KAZAKH_ALPHABET_UPPER.lower()


@dataclass(frozen=True, slots=True)
class CodePage:
    """One printer code page: its name in python-escpos, its ``ESC t`` number, its codec."""

    name: str
    number: int
    codec: str

    def can_encode(self, text: str) -> bool:
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            return False
        return True

    def encode(self, text: str) -> bytes:
        """Encode strictly: a character the page lacks raises instead of becoming ``?``."""
        return text.encode(self.codec)


KZ1048 = CodePage("RK1048", 53, "kz1048")
CP866 = CodePage("CP866", 17, "cp866")
CP1251 = CodePage("CP1251", 46, "cp1251")

# ESC t numbers the simulator and the profiles understand (Epson numbering).
BY_NUMBER: dict[int, CodePage] = {page.number: page for page in (KZ1048, CP866, CP1251)}
BY_NUMBER[0] = CodePage("CP437", 0, "cp437")


def install_kz1048() -> None:
    """Give python-escpos's RK1048 entry the ``kz1048`` codec (idempotent)."""
    encodings: dict[str, dict[str, Any]] = capabilities.CAPABILITIES["encodings"]
    entry = encodings.setdefault(KZ1048.name, {"name": KZ1048.name})
    entry["python_encode"] = KZ1048.codec
