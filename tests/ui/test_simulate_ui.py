"""``kiosk simulate --ui``: the scripted customers tap the kiosk window (offscreen) and the
day is the same as without it; the report says when the window did not follow the core."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.catalog_file import load_catalog
from kiosk.cli import main
from kiosk.domain.accounts import validate_account
from kiosk.session import Snapshot
from kiosk.sim.day import account_for, typo_of
from kiosk.sim.ui.day import keys_for
from ui.texts import fill_mask
from ui.viewmodel import KioskViewModel

SAME_DAY = (
    "customers",
    "payments",
    "receipts",
    "receipts_printed",
    "notes_stacked",
    "cash_stacked",
    "inserted",
    "commission",
    "credited",
    "outcomes",
    "encashment",
    "faults",
    "typos_caught",
    "notes_rejected",
    "notes_refused",
)


def simulate(tmp_path: Path, name: str, *extra: str) -> tuple[int, dict[str, Any]]:
    report = tmp_path / f"{name}.json"
    code = main(
        [
            "simulate",
            "--customers",
            "25",
            "--seed",
            "3",
            "--faults",
            "jam,paper_out",
            "--report",
            str(report),
            *extra,
        ]
    )
    data: dict[str, Any] = json.loads(report.read_text())
    return code, data


def test_a_day_through_the_window_is_the_same_day_with_every_invariant_holding(
    qapp: QApplication, tmp_path: Path
) -> None:
    code, through_ui = simulate(tmp_path, "ui", "--ui")
    assert code == 0
    assert through_ui["ok"] is True and through_ui["ui"] is True
    assert all(through_ui["invariants"].values())
    assert through_ui["invariants"]["ui_followed_the_core"] is True
    assert through_ui["ui_mismatches"] == []
    assert through_ui["ui_taps"] > 25 * 5 and through_ui["ui_frames"] > 25
    assert set(through_ui["faults"]) == {"jam", "paper_out"}  # both struck the window's day

    code, headless = simulate(tmp_path, "headless")
    assert code == 0 and headless["ui"] is False
    assert through_ui["payments"] == headless["payments"] > 0
    assert {key: through_ui[key] for key in SAME_DAY} == {key: headless[key] for key in SAME_DAY}


def test_a_window_that_stops_following_the_core_fails_the_day(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The broken window ignores the core's snapshots: a note taken or a payment completed
    # on a timeout never reaches the screen until the customer's next tap.
    def ignore(self: KioskViewModel, snapshot: Snapshot) -> None:
        return None

    monkeypatch.setattr(KioskViewModel, "_on_snapshot", ignore)
    report_file = tmp_path / "broken.json"
    code = main(
        ["simulate", "--ui", "--customers", "6", "--seed", "3", "--report", str(report_file)]
    )
    report = json.loads(report_file.read_text())
    assert code == 1 and report["ok"] is False
    assert report["invariants"]["ui_followed_the_core"] is False
    first = report["ui_mismatches"][0]
    assert first["customer"] >= 1 and first["shown"] != first["core"]
    assert report["cash_stacked"] == report["inserted"]  # the money is still right


def test_every_number_the_customers_type_reads_the_same_on_the_keypad() -> None:
    rng = random.Random(5)
    for service in load_catalog().services:
        for _ in range(60):
            account = account_for(service, rng)
            for text in (account, typo_of(account, rng)):
                typed = fill_mask(service.input_mask, keys_for(service.input_mask, text)).text
                direct = validate_account(service.account_rule, text)
                on_screen = validate_account(service.account_rule, typed)
                assert (on_screen.ok, on_screen.account) == (direct.ok, direct.account), text


def test_the_window_and_sigkill_do_not_mix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--ui", "--sigkill", "1"]) == 2
    assert "--ui" in capsys.readouterr().err
