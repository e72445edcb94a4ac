"""Money as integer tiyn (1 tenge = 100 tiyn): one type, one formatter, one parser.

Floats are refused everywhere: a float amount raises TypeError at construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")

TIYN_PER_TENGE = 100
CURRENCY_CODE = "KZT"
CURRENCY_NUMERIC = 398
TENGE_SIGN = "\u20b8"
NBSP = "\u00a0"


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of Kazakh tenge held as whole tiyn."""

    tiyn: int

    def __post_init__(self) -> None:
        # bool is an int subclass; a True amount is always a bug.
        if type(self.tiyn) is not int:
            raise TypeError(f"Money takes whole tiyn as int, got {type(self.tiyn).__name__}")

    @classmethod
    def tenge(cls, tenge: int) -> Money:
        if type(tenge) is not int:
            raise TypeError(f"Money.tenge takes an int, got {type(tenge).__name__}")
        return cls(tenge * TIYN_PER_TENGE)

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.tiyn + other.tiyn)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.tiyn - other.tiyn)

    def __neg__(self) -> Money:
        return Money(-self.tiyn)

    def __bool__(self) -> bool:
        return self.tiyn != 0

    @property
    def whole_tenge(self) -> int:
        """Tenge part, truncated toward zero."""
        return abs(self.tiyn) // TIYN_PER_TENGE * (1 if self.tiyn >= 0 else -1)

    def format(self, language: Language = "ru", *, sign: str = TENGE_SIGN) -> str:
        """Format as customers read it: ``1 000 ₸`` / ``1 000,50 ₸`` (kk, ru), ``1,000.50 ₸`` (en).

        Tiyn are shown only when non-zero. ``sign`` lets a receipt printer use ``тг`` or
        ``KZT`` where the printer's code page has no tenge sign.
        """
        if language in ("kk", "ru"):
            group, decimal = NBSP, ","
        elif language == "en":
            group, decimal = ",", "."
        else:
            raise ValueError(f"unknown language {language!r}")
        negative = self.tiyn < 0
        whole, frac = divmod(abs(self.tiyn), TIYN_PER_TENGE)
        digits = f"{whole:,}".replace(",", group)
        text = f"{digits}{decimal}{frac:02d}" if frac else digits
        if negative:
            text = "-" + text
        return f"{text}{NBSP}{sign}" if sign else text

    def __str__(self) -> str:
        return self.format("en", sign=CURRENCY_CODE)


_AMOUNT = re.compile(r"^(?P<sign>-)?(?P<whole>\d+)(?:[.,](?P<frac>\d{1,2}))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f'_]")


def parse_money(text: str) -> Money:
    """Parse an amount typed or configured in tenge.

    Accepted forms: ``1000``, ``1 000,50``, ``1000.5 ₸``, ``1,000``.

    A comma followed by exactly three digits is a thousands separator; otherwise a single
    comma or dot is the decimal mark. Raises ValueError with the offending text.
    """
    cleaned = text.strip()
    for suffix in (TENGE_SIGN, "KZT", "kzt", "тг", "тенге", "теңге", "tenge"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
            break
    cleaned = _SPACES.sub("", cleaned)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d{1,2})?", cleaned):
        cleaned = cleaned.replace(",", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise ValueError(f"not an amount in tenge: {text!r}")
    whole = int(match["whole"])
    frac = int((match["frac"] or "0").ljust(2, "0"))
    tiyn = whole * TIYN_PER_TENGE + frac
    return Money(-tiyn if match["sign"] else tiyn)
