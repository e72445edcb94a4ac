"""The ``screenshots`` command."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage

from kiosk.cli import ui_cmd


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    ui_cmd.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_screenshots_command_renders_every_screen_of_a_language(
    tmp_path: Path, qapp: QCoreApplication
) -> None:
    args = parse("screenshots", "--out", str(tmp_path), "--language", "kk", "--size", "1080x1920")
    assert args.handler(args) == 0
    shots = sorted(tmp_path.glob("portrait_kk_*.png"))
    # With the status screen asking for the amount, the number-entry cases, the jam with cash
    # in, and the endings the ledger's answers bring (credited, not credited, below the
    # minimum, no receipt), and the cash screen under the offline banner.
    assert len(shots) == 38  # the attract layer, the encashment preview, count and review
    assert (tmp_path / "portrait_kk_00_attract.png").exists()
    # The customer's screens again with the large-text switch on (no attract layer, no menu).
    large = sorted(tmp_path.glob("large_portrait_kk_*.png"))
    assert len(large) == 29
    assert not any("_service_" in shot.name or "attract" in shot.name for shot in large)
    assert len(list(tmp_path.glob("*.png"))) == len(shots) + len(large)
    image = QImage(str(shots[0]))
    assert (image.width(), image.height()) == (1080, 1920)
    normal = QImage(str(tmp_path / "portrait_kk_10_checked.png"))
    bigger = QImage(str(tmp_path / "large_portrait_kk_10_checked.png"))
    assert normal != bigger  # the switch changed what is drawn
