"""What the simulated printer put on paper: rows of styled text, images and QR codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PIL import Image

Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Style:
    bold: bool = False
    underline: bool = False
    invert: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True, slots=True)
class TextRow:
    text: str
    align: Align = "left"
    style: Style = Style()


@dataclass(frozen=True, slots=True)
class ImageRow:
    image: Image.Image
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class QrRow:
    data: str
    module_dots: int = 3
    align: Align = "center"


Row = TextRow | ImageRow | QrRow


@dataclass(slots=True)
class Page:
    """One receipt: the rows printed between two cuts."""

    rows: list[Row] = field(default_factory=list)

    def text(self, columns: int) -> str:
        """The decoded text, aligned to ``columns``; images and QR codes as one-line notes."""
        lines: list[str] = []
        for row in self.rows:
            if isinstance(row, TextRow):
                width = columns // max(1, row.style.width)
                if row.align == "center":
                    lines.append(row.text.center(width).rstrip())
                elif row.align == "right":
                    lines.append(row.text.rjust(width))
                else:
                    lines.append(row.text.rstrip())
            elif isinstance(row, ImageRow):
                lines.append(f"[raster image {row.image.width}x{row.image.height} dots]")
            else:
                lines.append(f"[QR] {row.data}")
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + "\n"
