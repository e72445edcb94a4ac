"""Text drawn as a 1-bit image in the printer's own character grid (12 x 24 dots, Font A).

Used only for the lines a printer's code page cannot carry, so a receipt stays mostly text.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from drivers.printer.fonts import mono_font

CELL_WIDTH = 12
CELL_HEIGHT = 24
_FONT_SIZE = 19


def render_line(text: str, *, bold: bool = False, cell_width: int = CELL_WIDTH) -> Image.Image:
    """Draw ``text`` one character per cell; width is rounded up to whole bytes."""
    text = text.rstrip()
    width = max(8, -(-len(text) * cell_width // 8) * 8)
    image = Image.new("1", (width, CELL_HEIGHT), 1)
    draw = ImageDraw.Draw(image)
    font = mono_font(_FONT_SIZE, bold=bold)
    for index, char in enumerate(text):
        if char != " ":
            draw.text(
                (index * cell_width + cell_width / 2, CELL_HEIGHT - 5),
                char,
                font=font,
                fill=0,
                anchor="ms",
            )
    return image
