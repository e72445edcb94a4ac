"""The monospace font used to draw text as pixels (fallback raster lines, simulator images).

DejaVu Sans Mono has every Kazakh letter; it comes from Debian's ``fonts-dejavu-core``. The
path can be overridden with ``KIOSK_PRINTER_FONT``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_ENV = "KIOSK_PRINTER_FONT"
_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
    "/usr/local/share/fonts/DejaVuSansMono.ttf",
)
_BOLD_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSansMono-Bold.ttf",
)


class FontMissingError(RuntimeError):
    """No font with Kazakh letters is installed."""


def font_path(*, bold: bool = False) -> Path:
    """Where the monospace font is; raises FontMissingError with the fix."""
    override = os.environ.get(FONT_ENV)
    if override and not bold:
        return Path(override)
    for candidate in _BOLD_CANDIDATES if bold else _CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    if bold:
        return font_path(bold=False)
    raise FontMissingError(
        f"DejaVu Sans Mono not found; install fonts-dejavu-core or set {FONT_ENV}"
    )


@lru_cache(maxsize=16)
def mono_font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold=bold)), size)
