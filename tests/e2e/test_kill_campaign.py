"""Real process deaths: ``kiosk simulate --sigkill N`` runs the kiosk as a child process,
SIGKILLs it at random instants and at money-path step boundaries, and restarts it, while
the device simulator and the ledger (HTTP on loopback) live on in the parent. Every
invariant holds at the end, checked against the device's cassette and the ledger's books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main


@pytest.mark.parametrize("protocol", ["ccnet", "ssp"])
def test_money_is_conserved_across_sigkills_and_restarts(tmp_path: Path, protocol: str) -> None:
    report_file = tmp_path / "report.json"
    code = main(["simulate", "--customers", "24", "--seed", "21", "--sigkill", "4",
                 "--protocol", protocol, "--faults", "jam,cassette_out,paper_out",
                 "--state-dir", str(tmp_path / "state"), "--report", str(report_file)])
    report = json.loads(report_file.read_text())
    failed = [name for name, held in report["invariants"].items() if not held]
    assert code == 0 and not failed, failed
    kinds = [death["kind"] for death in report["kills"]]
    assert "instant" in kinds and len(kinds) >= 3  # real deaths happened, of both kinds
    assert report["payments"] > 5 and report["ledger"]["payments"] == report["payments"]
    assert report["ledger"]["audit"]["balanced"]
    assert report["encashment"]["total"] == report["cash_stacked"]


def test_sigkill_refuses_options_it_cannot_honour(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--sigkill", "2", "--ledger", "embedded"]) == 2
    assert "--sigkill runs its own ledger" in capsys.readouterr().err
