"""QR codes drawn for QML: ``Image { source: "image://qr/" + encodeURIComponent(text) }``.

The end screen shows the receipt's QR code, so a customer whose receipt did not print (or who
declined it) can photograph it and check the payment later. Modules are drawn as whole
device pixels with the standard four-module quiet zone, black on white, never smoothed: a
blurred code is one a phone cannot read off a kiosk's glossy screen."""

from __future__ import annotations

from urllib.parse import unquote

import qrcode
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider

QUIET_MODULES = 4  # ISO/IEC 18004 quiet zone
MAX_PAYLOAD = 512  # characters: a status address with an operation id is about 80
DEFAULT_SIZE = 320


def qr_matrix(text: str) -> list[list[bool]]:
    """The code's modules (True = dark), quiet zone included; error correction M."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_MODULES)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(dark) for dark in row] for row in code.get_matrix()]


def qr_image(text: str, side: int) -> QImage:
    """A square image at most ``side`` pixels wide with whole-pixel modules (at least one)."""
    matrix = qr_matrix(text)
    modules = len(matrix)
    scale = max(1, side // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        for row, line in enumerate(matrix):
            for column, dark in enumerate(line):
                if dark:
                    painter.fillRect(
                        QRect(column * scale, row * scale, scale, scale), Qt.GlobalColor.black
                    )
    finally:
        painter.end()
    return image


class QrImageProvider(QQuickImageProvider):
    """Serves ``image://qr/<percent-encoded text>`` at the size the Image asks for."""

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)

    def requestImage(self, id: str, size: QSize, requested: QSize) -> QImage:
        text = unquote(id)
        side = min(requested.width(), requested.height()) if requested.isValid() else 0
        side = side if side > 0 else DEFAULT_SIZE
        if not text or len(text) > MAX_PAYLOAD:
            # Never a code of some other (cut) text: no code at all.
            image = QImage(side, side, QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
        else:
            image = qr_image(text, side)
        if size is not None:
            size.setWidth(image.width())
            size.setHeight(image.height())
        return image
