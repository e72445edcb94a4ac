"""A printable document: laid-out lines, a QR code, feeds and a cut. Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line already laid out for the paper width (centring done with spaces)."""

    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code printed by the printer itself (``GS ( k``); ASCII data only."""

    data: str
    module_dots: int = 5

    def __post_init__(self) -> None:
        if not self.data.isascii():
            raise ValueError("QR data must be ASCII (operation id, URL)")


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    pass


Block = TextLine | QrCode | Feed | Cut
Document = tuple[Block, ...]


def lines_of(text: str, *, bold_first: int = 0) -> tuple[TextLine, ...]:
    """Split plain text into lines; the first ``bold_first`` lines are bold."""
    rows = text.rstrip("\n").split("\n")
    return tuple(TextLine(row, bold=index < bold_first) for index, row in enumerate(rows))
