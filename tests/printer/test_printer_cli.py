"""`kiosk device serve printer` and `kiosk printer test` as a technician runs them (subprocesses)."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from drivers.printer import PrinterState, PrinterStatus, get_profile
from drivers.printer.codepages import (
    KAZAKH_ALPHABET_LOWER,
    KAZAKH_ALPHABET_UPPER,
    KAZAKH_LETTERS,
)
from drivers.sim.printer import send_control
from kiosk import printing
from kiosk.cli import build_parser, main, printer_cmd

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
TIMEOUT = 20.0
PNG_MARGIN = 16  # drivers.sim.printer.render draws a 16-dot margin on each side


class Kiosk:
    """A `python -m kiosk …` subprocess whose stdout lines are read with a timeout."""

    def __init__(self, *args: str) -> None:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "kiosk", *args],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def field(self, name: str) -> str:
        """The value of the next ``printer simulator: NAME VALUE`` line."""
        line = self._lines.get(timeout=TIMEOUT) or ""
        match = re.fullmatch(rf"printer simulator: {name} (\S+)", line)
        assert match, f"expected a {name!r} line, got {line!r}; stderr: {self._stderr()}"
        return match.group(1)

    def _stderr(self) -> str:
        if self.popen.poll() is None or self.popen.stderr is None:
            return "(running)"
        return self.popen.stderr.read()

    def finish(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=TIMEOUT)


@dataclass(frozen=True)
class Outcome:
    status: int
    stdout: str
    stderr: str


def printer_test(port: str, *extra: str) -> Outcome:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "printer",
            "test",
            "--port",
            port,
            "--timeout",
            "0.5",
            *extra,
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Served:
    port: str
    control: str
    out: Path

    def command(self, line: str) -> None:
        assert send_control(self.control, line) == "ok", line

    def receipts(self) -> list[Path]:
        return sorted(self.out.glob("receipt-*.txt"))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`kiosk device serve printer` on a free TCP port, control channel on another."""
    out = tmp_path / "receipts"
    serve = Kiosk(
        "device",
        "serve",
        "printer",
        "--listen",
        "tcp://127.0.0.1:0",
        "--control",
        "tcp://127.0.0.1:0",
        "--out",
        str(out),
    )
    try:
        yield Served(serve.field("port"), serve.field("control"), Path(serve.field("out")))
    finally:
        assert serve.finish() == 0


def test_test_page_carries_every_kazakh_letter_into_txt_and_png(served: Served) -> None:
    outcome = printer_test(served.port)
    assert outcome.status == 0, outcome.stderr
    assert "status: ok" in outcome.stdout
    [txt] = served.receipts()
    lines = txt.read_text(encoding="utf-8").splitlines()
    assert KAZAKH_ALPHABET_UPPER in lines and KAZAKH_ALPHABET_LOWER in lines
    assert len(set(KAZAKH_ALPHABET_UPPER)) == len(set(KAZAKH_ALPHABET_LOWER)) == 42
    png = txt.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(png) as image:
        image.load()
        assert image.format == "PNG"
        assert image.width == get_profile("TM-T88V").dots + 2 * PNG_MARGIN
        assert image.height > 9 * 24  # nine text lines at 24 dots, plus the QR code
        assert image.convert("L").getextrema()[0] == 0  # something was printed in black


def test_printer_faults_fail_the_test_page_until_they_are_cleared(served: Served) -> None:
    # Each fault is cleared as the next is set: its message shows the previous one is gone.
    served.command("paper-out")
    outcome = printer_test(served.port)
    assert outcome.status != 0
    assert "out of paper" in outcome.stderr and "load a paper roll" in outcome.stderr

    served.command("paper-in")
    served.command("offline")
    outcome = printer_test(served.port)
    assert outcome.status != 0
    assert "offline" in outcome.stderr and "paper" not in outcome.stderr.split(";")[0]

    served.command("online")
    served.command("mute 5")
    outcome = printer_test(served.port)
    assert outcome.status != 0
    assert "no reply" in outcome.stderr and served.port in outcome.stderr

    served.command("mute 0")
    outcome = printer_test(served.port)
    assert outcome.status == 0, outcome.stderr
    assert "status: ok" in outcome.stdout
    # The refused test pages were never sent, so none comes out late: one receipt only.
    assert [path.name for path in served.receipts()] == ["receipt-0001.txt"]


def test_serve_on_a_pty_answers_a_serial_url(tmp_path: Path) -> None:
    serve = Kiosk(
        "device", "serve", "printer", "--pty", "--out", str(tmp_path), "--profile", "generic-58"
    )
    try:
        path = serve.field("port")
        assert path.startswith("/dev/")
        outcome = printer_test(f"serial://{path}?baud=19200&flow=none", "--profile", "generic-58")
        assert outcome.status == 0, outcome.stderr
        text = (tmp_path / "receipt-0001.txt").read_text(encoding="utf-8")
        printed = text.splitlines()
        assert max(len(line) for line in printed) <= 32
        assert {
            "Profile: generic-58",
            "Paper: 58 mm, 32 columns",
            "Съешь же ещё этих мягких",
            "французских булок",
        } <= set(printed)
        # generic-58 has no KZ-1048: every line with a Kazakh letter went as a raster image.
        page = printing.test_page_text(
            get_profile("generic-58"), PrinterStatus(PrinterState.OK, "ok")
        )
        kazakh_lines = [line for line in page.splitlines() if set(line) & set(KAZAKH_LETTERS)]
        assert len(kazakh_lines) >= 5
        assert sum(line.startswith("[raster image ") for line in printed) == len(kazakh_lines)
        assert not set(text) & set(KAZAKH_LETTERS)
    finally:
        assert serve.finish() == 0


def test_printer_serve_and_device_serve_printer_are_the_same_command() -> None:
    parser = build_parser()
    for argv in (["device", "serve", "printer"], ["printer", "serve"]):
        args = parser.parse_args([*argv, "--pty", "--out", "receipts"])
        assert args.handler is printer_cmd.serve_printer
        assert args.pty and args.profile == "TM-T88V" and args.control == "tcp://127.0.0.1:0"


@pytest.mark.parametrize(
    "argv",
    [
        ["device", "serve", "printer", "--listen", "tcp://127.0.0.1:0"],  # no --out
        ["device", "serve", "printer", "--pty", "--listen", "tcp://127.0.0.1:0", "--out", "x"],
        ["device", "serve", "printer", "--listen", "127.0.0.1:9100", "--out", "{out}"],
        ["device", "serve", "printer", "--pty", "--out", "{out}", "--profile", "TM-U220"],
    ],
)
def test_bad_serve_command_lines_exit_2_with_one_error_line(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    try:
        status = main([arg.replace("{out}", str(tmp_path)) for arg in argv])
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    assert status == 2
    assert "error" in capsys.readouterr().err
