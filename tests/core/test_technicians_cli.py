"""``kiosk service add-technician | list-technicians | remove-technician | unlock | set-pin``
through the real entry point: the PIN from stdin, the file next to the configured database,
every refusal one line on stderr."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.domain.clock import ManualClock
from kiosk.technicians import MAX_TRIES, Technicians

PIN = "284619"
CONFIG = """\
[terminal]
id = "KZ-ALA-0042917"
address = "Almaty, Abay Ave 10"
agent_name = "Demo Payments LLP"
agent_bin = "060640010247"
support_phone = "+7 727 000 00 00"

[devices.validator]
protocol = "ccnet"
port = "/dev/ttyS0"

[limits]
mrp = 432500

[storage]
url = "sqlite:///{db}"
"""


def kiosk(monkeypatch: pytest.MonkeyPatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["service", *argv])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG.format(db=tmp_path / "state" / "kiosk.db"), encoding="utf-8")
    return path


def test_add_list_and_remove_technicians_next_to_the_database(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    config: Path,
    tmp_path: Path,
) -> None:
    assert (
        kiosk(
            monkeypatch,
            "add-technician",
            "Aigerim Sadykova",
            "--config",
            str(config),
            stdin=PIN + "\n",
        )
        == 0
    )
    assert (
        kiosk(
            monkeypatch,
            "add-technician",
            "Борис",
            "--number",
            "7",
            "--config",
            str(config),
            stdin="730582\n",
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "technician 1 Aigerim Sadykova added" in out and "type 1, Enter, then the PIN" in out
    assert "technician 7 Борис added" in out
    stored = tmp_path / "state" / "service-pin.json"
    assert PIN not in stored.read_text()
    assert Technicians(stored, ManualClock()).check(7, "730582").ok
    assert kiosk(monkeypatch, "list-technicians", "--config", str(config)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  (added")[0] for line in lines] == ["  1  Aigerim Sadykova", "  7  Борис"]
    assert kiosk(monkeypatch, "remove-technician", "борис", "--config", str(config)) == 0
    assert "technician 7 Борис removed" in capsys.readouterr().out
    assert not Technicians(stored, ManualClock()).check(7, "730582").ok


def test_a_weak_pin_or_the_terminal_id_is_refused_and_nothing_changes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], config: Path
) -> None:
    for pin, reason in (
        ("123456", "consecutive digits"),
        ("42917", "6 to 12 digits"),
        ("042917", "terminal id KZ-ALA-0042917"),
    ):
        assert (
            kiosk(
                monkeypatch, "add-technician", "Aigerim", "--config", str(config), stdin=pin + "\n"
            )
            == 2
        )
        err = capsys.readouterr().err
        assert reason in err and err.count("\n") == 1 and "nothing changed" in err
    assert kiosk(monkeypatch, "list-technicians", "--config", str(config)) == 0
    assert "no technicians" in capsys.readouterr().out


def test_unlock_opens_a_locked_pad(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "pins.json"
    pad = Technicians(path, ManualClock(time.time()))  # the command reads the system clock
    pad.add("Aigerim", PIN)
    for _ in range(MAX_TRIES):
        pad.check(1, "999999")
    assert pad.lock_remaining() > 0
    assert kiosk(monkeypatch, "list-technicians", "--pin-file", str(path)) == 0
    assert "locked for" in capsys.readouterr().out
    assert kiosk(monkeypatch, "unlock", "--pin-file", str(path)) == 0
    assert pad.check(1, PIN).ok


def test_set_pin_and_a_missing_place_say_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert kiosk(monkeypatch, "set-pin", "--pin-file", "x.json") == 2
    assert "add-technician" in capsys.readouterr().err
    assert kiosk(monkeypatch, "list-technicians") == 2
    assert "give --pin-file FILE or --config FILE" in capsys.readouterr().err


def run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "service", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_installed_command_refuses_a_damaged_or_old_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "service-pin.json"
    path.write_text('{"format": "kiosk-technicians-1", "technicians": [{"numb')  # truncated
    for action in (
        ("list-technicians",),
        ("remove-technician", "Aigerim"),
        ("add-technician", "Aigerim"),
    ):
        done = run(*action, "--pin-file", str(path), stdin=PIN + "\n")
        assert done.returncode == 2, done
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert f"the technician file {path} is damaged (not JSON" in done.stderr
    path.write_text(json.dumps({"salt": "00" * 16, "hash": "11" * 32}))  # the shared PIN
    done = run("list-technicians", "--pin-file", str(path))
    assert done.returncode == 2 and "old shared service PIN" in done.stderr
    done = run("add-technician", "Aigerim", "--pin-file", str(path), stdin=PIN + "\n")
    assert done.returncode == 0, done.stderr
    assert "the old shared service PIN" in done.stdout and "technician 1 Aigerim" in done.stdout
    assert Technicians(path, ManualClock()).check(1, PIN).ok
