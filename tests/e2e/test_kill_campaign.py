"""Real process deaths: ``kiosk simulate --sigkill N`` runs the kiosk as a child process,
SIGKILLs it exactly N times, at random instants and at money-path step boundaries planned
from the seed, and restarts it, while the device simulator and the ledger (HTTP on
loopback) live on in the parent. Every invariant holds after each restart and at the end,
checked against the device's cassette and the ledger's books; a kill that could not be done
fails the report."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.crashpoints import CrashPoint
from kiosk.sim.killcampaign import Kill, kill_summary, plan_kills, run_kill_campaign


@pytest.mark.parametrize("protocol", ["ccnet", "ssp"])
def test_money_is_conserved_across_sigkills_and_restarts(tmp_path: Path, protocol: str) -> None:
    report_file = tmp_path / "report.json"
    code = main(
        [
            "simulate",
            "--customers",
            "16",
            "--seed",
            "21",
            "--sigkill",
            "4",
            "--protocol",
            protocol,
            "--faults",
            "jam,cassette_out,paper_out",
            "--state-dir",
            str(tmp_path / "state"),
            "--report",
            str(report_file),
        ]
    )
    report = json.loads(report_file.read_text())
    failed = [name for name, held in report["invariants"].items() if not held]
    assert code == 0 and not failed, failed
    # Exactly the four planned deaths, of both kinds, each followed by a checked start.
    assert report["kills_planned"] == report["kills_done"] == len(report["kills"]) == 4
    assert (
        [death["kind"] for death in report["kills"]]
        == [kill["kind"] for kill in report["plan"]]
        == ["instant", "boundary"] * 2
    )
    assert report["restarts_checked"] >= 5 and report["first_broken_restart"] is None
    assert report["invariants"]["held_after_every_restart"]
    assert report["customers_served"] >= 16
    assert report["payments"] > 5 and report["ledger"]["payments"] == report["payments"]
    assert report["ledger"]["audit"]["balanced"]
    # Every note is collected once: at the end, or earlier by the technician who replaced a
    # pulled cassette (the day's length follows the kills' instants, and so do its faults).
    assert report["invariants"]["encashments_equal_cash_journal"]
    assert report["encashment"]["total"] <= report["cash_stacked"]


def test_sigkill_refuses_options_it_cannot_honour(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--sigkill", "2", "--ledger", "embedded"]) == 2
    assert "--sigkill runs its own ledger" in capsys.readouterr().err


def test_the_seed_alone_plans_the_kills() -> None:
    plan = plan_kills(6, 21)
    assert plan == plan_kills(6, 21) != plan_kills(6, 22)
    assert [kill.kind for kill in plan] == ["instant", "boundary"] * 3
    assert all(
        kill.delay_s is not None and 0.3 <= kill.delay_s <= 4.0
        for kill in plan
        if kill.kind == "instant"
    )
    assert all(
        isinstance(kill.point, CrashPoint) and kill.wait >= 0
        for kill in plan
        if kill.kind == "boundary"
    )
    assert [json.loads(json.dumps(dataclasses.asdict(kill))) for kill in plan] == [
        dataclasses.asdict(kill) for kill in plan
    ]  # the report's plan replays as it reads


def test_a_planned_kill_that_did_not_happen_fails_the_report(tmp_path: Path) -> None:
    # An instant far beyond the child's customers, and no second try: the kill never lands.
    never = Kill("instant", None, 600.0)
    report = run_kill_campaign(2, 21, tmp_path, kills=1, plan=[never], extra_rounds=0)
    assert report["kills_planned"] == 1 and report["kills_done"] == 0
    assert all(report["invariants"].values())  # the money is fine, the campaign is not
    assert report["ok"] is False
    assert "KILLS MISSING" in kill_summary(report) and "0 of 1 planned" in kill_summary(report)
