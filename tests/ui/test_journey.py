"""``kiosk journey`` through the real command: the window offscreen, simulated devices, an
embedded ledger. Every file in tests/journeys/ is played and must pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from kiosk.cli import main

JOURNEYS = sorted((Path(__file__).resolve().parents[1] / "journeys").glob("*.json"))

PAYMENT: dict[str, Any] = {
    "language": "ru",
    "steps": [
        {"choose": "qplus"},
        {"type": "7711234567"},
        {"press": "next"},
        {"press": "confirm"},
        {"press": "continue"},
        {"insert": 1000},
        {"insert": 500},
        {"expect_text": "Внесено"},
        {"expect_text": "1 500 ₸"},
        {"expect_text": "30 ₸"},
        {"expect_text": "1 470 ₸"},
        {"press": "pay"},
        {"expect_screen": "thanks"},
        {"expect_text": "1 470 ₸"},
        {"press": "done"},
    ],
}


def write(tmp_path: Path, journey: Any, name: str = "journey.json") -> Path:
    path = tmp_path / name
    path.write_text(journey if isinstance(journey, str) else json.dumps(journey), "utf-8")
    return path


def run(*args: str | Path) -> int:
    return main(["journey", *(str(a) for a in args)])


@pytest.mark.parametrize("path", JOURNEYS, ids=lambda p: p.stem)
def test_every_journey_file_plays_to_its_end(qapp: Any, path: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert run(path, "--report", report) == 0
    played = json.loads(report.read_text("utf-8"))
    assert played["ok"] is True
    assert len(played["steps"]) == len(json.loads(path.read_text("utf-8"))["steps"])


def test_the_journey_files_cover_what_the_issue_names() -> None:
    names = {path.stem for path in JOURNEYS}
    expected = {
        "wallet_typed_whole",
        "ten_digits_typed_whole",
        "beeline_payment",
        "beeline_to_kcell_number",
        "commission_before_cash",
        "jam_with_cash",
        "ledger_rejection",
        "below_minimum",
        "paper_out",
        "encashment",
    }
    assert expected | {"ledger_down"} <= names


def test_a_payment_journey_reports_screens_texts_payments_and_the_receipt(
    qapp: Any, tmp_path: Path
) -> None:
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    assert run(write(tmp_path, PAYMENT), "--report", report) == 0
    played = json.loads(report.read_text("utf-8"))
    steps = played["steps"]
    assert [s["screen"] for s in steps[:5]] == ["entry", "entry", "confirm", "checked", "cash"]
    assert steps[0]["do"] == {"choose": "qplus"} and steps[0]["step"] == 1
    cash = steps[6]["texts"]
    # Reading order: each label before its amount, the amounts top to bottom.
    labels = [cash.index(t) for t in ("Внесено", "Комиссия", "К зачислению")]
    assert labels == sorted(labels)
    assert cash[labels[0] + 1] == "1\xa0500\xa0₸" and cash[labels[1] + 1] == "30\xa0₸"
    assert steps[-1]["screen"] == "idle"
    (payment,) = played["payments"]
    assert payment["service"] == "qplus"
    assert (payment["inserted"], payment["commission"], payment["credited"]) == (
        150_000,
        3_000,
        147_000,
    )
    assert payment["ledger"]["status"] == "completed" and payment["offline"] is False
    (receipt,) = played["receipts"]
    assert payment["operation_id"] in receipt["text"] and "1 470" in receipt["text"]
    assert played["open_session"] is None and played["size"] == "1080x1920"


def test_language_replays_a_journey_in_another_language_to_look_at_it(
    qapp: Any, tmp_path: Path
) -> None:
    """--language kk on a Russian file: the screens and the money are checked as written,
    the Russian texts are not (each marked unchecked), and the screens speak Kazakh."""
    report = tmp_path / "report.json"
    assert run(write(tmp_path, PAYMENT), "--language", "kk", "--report", report) == 0
    played = json.loads(report.read_text("utf-8"))
    assert (played["language"], played["written_in"]) == ("kk", "ru")
    text_steps = [s for s in played["steps"] if "expect_text" in s["do"]]
    assert text_steps and all(s["checked"] is False for s in text_steps)
    assert all("checked" not in s for s in played["steps"] if "expect_text" not in s["do"])
    cash = played["steps"][6]["texts"]
    assert "Салынды" in cash, cash
    assert not any("Внесено" in t for t in cash)
    (payment,) = played["payments"]
    assert payment["credited"] == 147_000 and payment["ledger"]["status"] == "completed"


def test_a_screen_expectation_still_fails_in_another_language(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = {**PAYMENT, "steps": [*PAYMENT["steps"][:2], {"expect_screen": "cash"}]}
    assert run(write(tmp_path, journey), "--language", "en") == 1
    assert "step 3 (expect_screen" in capsys.readouterr().err


def test_a_journey_left_with_cash_in_says_so_and_plays_the_same_twice(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = write(tmp_path, {"language": "en", "steps": PAYMENT["steps"][:6]})
    reports = []
    for _ in range(2):
        assert run(journey) == 0
        reports.append(json.loads(capsys.readouterr().out))
    # Simulated time, seeded devices: the same screens (the operation ids come from a
    # process-wide generator, so only a new process repeats them too).
    assert reports[0]["steps"] == reports[1]["steps"]
    played = reports[0]
    assert played["payments"] == []
    assert played["open_session"]["state"] == "accepting"
    assert played["open_session"]["inserted"] == 100_000


def test_without_report_the_report_is_printed_on_one_line(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = {"language": "en", "steps": [{"press": "info"}, {"expect_screen": "info"}]}
    assert run(write(tmp_path, journey)) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    played = json.loads(out[0])
    assert [s["screen"] for s in played["steps"]] == ["info", "info"]
    assert any("KZ-ALA-0001" in text for text in played["steps"][0]["texts"])
    assert played["payments"] == [] and played["receipts"] == []


def test_a_failed_expectation_stops_the_run_with_exit_1_naming_the_step(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = {
        "language": "en",
        "steps": [
            {"choose": "kaspi"},
            {"expect_text": "Enter the phone number"},
            {"expect_screen": "cash"},
            {"press": "cancel"},
        ],
    }
    report = tmp_path / "report.json"
    assert run(write(tmp_path, journey), "--report", report) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert error.startswith('kiosk journey: error: step 3 (expect_screen "cash")')
    assert "screen 'entry'" in error and "Enter the phone number" in error
    played = json.loads(report.read_text("utf-8"))
    assert played["ok"] is False and played["failed"]["step"] == 3
    assert len(played["steps"]) == 3  # the fourth step never ran


def test_a_press_without_its_button_fails_naming_the_buttons_there(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = {"language": "en", "steps": [{"choose": "kaspi"}, {"press": "pay"}]}
    assert run(write(tmp_path, journey)) == 1
    error = capsys.readouterr().err
    assert "step 2 (press \"pay\"): no pay button on screen 'entry'" in error
    assert "buttons here: next, cancel" in error


def test_expect_no_text_fails_when_the_text_shows(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = {"language": "en", "steps": [{"expect_no_text": "Mobile phone"}]}
    assert run(write(tmp_path, journey)) == 1
    assert "step 1 (expect_no_text \"Mobile phone\"): shown in 'Mobile phone'" in (
        capsys.readouterr().err
    )


def test_a_purse_missing_from_the_wallets_is_not_found(qapp: Any, tmp_path: Path) -> None:
    journey = {
        "language": "en",
        "wallets": [{"service": "wmk", "account": "K111111111111", "status": "basic"}],
        "steps": [
            {"choose": "wmk"},
            {"type": "123456789012"},
            {"press": "next"},
            {"press": "confirm"},
            {"expect_screen": "confirm"},
            {"expect_text": "No wallet with this number was found"},
            {"expect_no_text": "Minimum payment"},
        ],
    }
    assert run(write(tmp_path, journey)) == 0


def test_shots_saves_one_png_per_step_at_the_size_asked(qapp: Any, tmp_path: Path) -> None:
    journey = {"language": "kk", "steps": [{"choose": "beeline"}, {"type": "77"}]}
    shots = tmp_path / "shots"
    assert run(write(tmp_path, journey), "--shots", shots, "--size", "1280x1024") == 0
    names = sorted(p.name for p in shots.iterdir())
    assert names == ["01_choose_beeline.png", "02_type_77.png"]
    image = QImage(str(shots / names[1]))
    assert (image.width(), image.height()) == (1280, 1024)
    colours = {image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 1024, 40)}
    assert len(colours) > 3  # a drawn screen, not an empty frame


BAD_FILES = [
    ("{not json", "is not valid JSON"),
    (json.dumps([1, 2]), "expected a JSON object"),
    (json.dumps({"language": "de", "steps": [{"press": "next"}]}), "'language' must be one of"),
    (json.dumps({"language": "en", "steps": []}), "'steps' must be a non-empty list"),
    (json.dumps({"language": "en", "steps": [{"jump": 1}]}), "step 1: unknown step word 'jump'"),
    (json.dumps({"language": "en", "steps": [{"insert": "1000"}]}), "step 1 (insert): expected"),
    (json.dumps({"language": "en", "steps": [{"insert": True}]}), "step 1 (insert): expected"),
    (json.dumps({"language": "en", "steps": [{"idle": -5}]}), "step 1 (idle): expected"),
    (json.dumps({"language": "en", "steps": [{"type": 771}]}), "step 1 (type): expected"),
    (json.dumps({"language": "en", "steps": [{"press": "ok"}]}), "unknown button 'ok'"),
    (json.dumps({"language": "en", "steps": [{"fault": "fire"}]}), "unknown fault 'fire'"),
    (json.dumps({"language": "en", "steps": [{"choose": "nokia"}]}), "unknown service 'nokia'"),
    (json.dumps({"language": "en", "steps": [{"expect_screen": "home"}]}), "unknown screen"),
    (json.dumps({"language": "en", "steps": [{"press": "next", "idle": 1}]}), "one word"),
    (json.dumps({"language": "en", "steps": [{"press": "next"}], "x": 1}), "unknown key 'x'"),
    (json.dumps({"language": "en", "wallets": {"a": 1}, "steps": [{"idle": 1}]}), "'wallets'"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[m for _, m in BAD_FILES])
def test_a_bad_file_exits_2_with_one_line_and_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    report = tmp_path / "report.json"
    assert run(write(tmp_path, text), "--report", report, "--shots", tmp_path / "s") == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and error.startswith("kiosk journey: error: ")
    assert message in error
    assert not report.exists() and not (tmp_path / "s").exists()


def test_a_bad_wallet_is_refused_before_any_step(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journey = {
        "language": "en",
        "wallets": [{"service": "wmk", "account": "K1", "status": "gold"}],
        "steps": [{"choose": "wmk"}],
    }
    report = tmp_path / "report.json"
    assert run(write(tmp_path, journey), "--report", report) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("kiosk journey: error: journey 'wallets', wallet #1")
    assert "gold" in error and not report.exists()


@pytest.mark.parametrize("size", ["big", "1080", "1080x", "10x10", "1080x1920x2"])
def test_a_bad_size_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], size: str) -> None:
    path = write(tmp_path, PAYMENT)
    assert run(path, "--size", size) == 2
    assert "--size" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "nowhere.json") == 2
    assert "cannot be read" in capsys.readouterr().err


def test_a_greyed_button_is_not_pressed(
    qapp: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps = PAYMENT["steps"][:5] + [{"press": "pay"}]  # no cash in yet
    assert run(write(tmp_path, {"language": "en", "steps": steps})) == 1
    assert "step 6 (press \"pay\"): payButton is greyed out on screen 'cash'" in (
        capsys.readouterr().err
    )


def test_the_command_goes_offscreen_by_itself_without_a_display(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")
    }
    journey = {"language": "kk", "steps": [{"press": "info"}, {"press": "back"}]}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "journey", str(write(tmp_path, journey))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    played = json.loads(done.stdout)
    assert [s["screen"] for s in played["steps"]] == ["info", "idle"]
