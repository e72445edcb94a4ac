"""The service PIN file and the ``screenshots`` / ``service set-pin`` commands."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.cli import CliError, ui_cmd
from kiosk.clock import ManualClock
from kiosk.service_pin import LOCK_S, MAX_TRIES, PinError, PinOutcome, ServicePin


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    ui_cmd.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_pin_is_stored_salted_and_never_in_clear(tmp_path: Path) -> None:
    first, second = ServicePin(tmp_path / "a.json", ManualClock()), ServicePin(
        tmp_path / "b.json", ManualClock())
    first.set_pin("4321")
    second.set_pin("4321")
    a, b = (json.loads(p.read_text()) for p in (first.path, second.path))
    assert "4321" not in first.path.read_text()
    assert a["salt"] != b["salt"] and a["hash"] != b["hash"]
    assert first.check("4321").ok


def test_lockout_survives_a_restart_and_ends_after_five_minutes(tmp_path: Path) -> None:
    clock = ManualClock()
    pins = ServicePin(tmp_path / "pin.json", clock)
    pins.set_pin("4321")
    for _ in range(MAX_TRIES - 1):
        assert pins.check("0000").outcome is PinOutcome.WRONG
    assert pins.check("0000").outcome is PinOutcome.LOCKED
    restarted = ServicePin(tmp_path / "pin.json", clock)
    assert restarted.check("4321").outcome is PinOutcome.LOCKED
    clock.advance(LOCK_S)
    assert restarted.check("4321").ok


def test_a_short_or_non_digit_pin_is_refused(tmp_path: Path) -> None:
    pins = ServicePin(tmp_path / "pin.json", ManualClock())
    for bad in ("123", "12a4", "1234567890123", "١٢٣٤"):
        with pytest.raises(PinError):
            pins.set_pin(bad)
    assert pins.check("1234").outcome is PinOutcome.UNSET


def test_a_damaged_pin_file_says_how_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "pin.json"
    path.write_text("{not json")
    with pytest.raises(PinError, match="kiosk service set-pin"):
        ServicePin(path, ManualClock()).check("1234")


def test_set_pin_command_reads_the_pin_from_stdin(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    args = parse("service", "set-pin", "--pin-file", str(tmp_path / "pin.json"))
    assert args.handler(args) == 0
    assert ServicePin(tmp_path / "pin.json", ManualClock()).check("97531").ok
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    with pytest.raises(CliError, match="4 to 12 digits"):
        args.handler(args)


def test_screenshots_command_renders_every_screen_of_a_language(tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    args = parse("screenshots", "--out", str(tmp_path), "--language", "kk", "--size", "portrait")
    assert args.handler(args) == 0
    shots = sorted(tmp_path.glob("portrait_kk_*.png"))
    assert len(shots) == 25  # with the status screen asking for the amount
    image = QImage(str(shots[0]))
    assert (image.width(), image.height()) == (1080, 1920)
