"""``kiosk simulate``: the report, its invariants, replay from the seed, a clean log."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main

REQUIRED = (
    "customers",
    "payments",
    "receipts",
    "notes_stacked",
    "cash_stacked",
    "inserted",
    "commission",
    "credited",
    "invariants",
    "ok",
)


def simulate(tmp_path: Path, name: str, *extra: str) -> dict[str, Any]:
    report = tmp_path / f"{name}.json"
    code = main(["simulate", "--customers", "40", "--seed", "7", "--report", str(report), *extra])
    assert code == 0
    data: dict[str, Any] = json.loads(report.read_text())  # the report is JSON
    return data


def test_report_has_the_agreed_keys_and_every_invariant_holds(tmp_path: Path) -> None:
    report = simulate(tmp_path, "r")
    assert all(key in report for key in REQUIRED)
    assert report["ok"] is True and all(report["invariants"].values())
    assert report["cash_stacked"] == report["inserted"]
    assert report["inserted"] == report["commission"] + report["credited"]
    assert report["receipts"] == report["payments"] and report["customers"] == 40


def test_the_same_seed_replays_the_same_day(tmp_path: Path) -> None:
    first, second = simulate(tmp_path, "a"), simulate(tmp_path, "b")
    first.pop("wall_seconds"), second.pop("wall_seconds")
    assert first == second


def test_the_log_never_holds_a_full_account_number(tmp_path: Path) -> None:
    log = tmp_path / "kiosk.log"
    simulate(tmp_path, "r", "--log", str(log))
    lines = log.read_text().splitlines()
    assert any('"payment committed"' in line for line in lines)
    assert all(json.loads(line)["ts"] for line in lines)
    assert not [line for line in lines if re.search(r"\+7\d{10}|K\d{12}", line)]


def test_bad_customer_count_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--customers", "0"]) == 2
    assert capsys.readouterr().err.strip() == (
        "kiosk simulate: error: --customers must be at least 1"
    )


def test_an_essp_day_reports_its_protocol_and_holds_every_invariant(tmp_path: Path) -> None:
    report = simulate(tmp_path, "essp", "--protocol", "essp")
    assert report["protocol"] == "essp" and report["ok"] is True
    assert report["payments"] and report["cash_stacked"] == report["inserted"]
