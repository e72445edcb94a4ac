"""Kiosk days on an SSP validator that requires eSSP (an encrypted session with the unit's
fixed key): crashes around a credit, real SIGKILLs with the key read from its key file, and
the same day over a socket, each keeping the cassette, the journal and the ledger equal."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.crashpoints import CrashPoint
from kiosk.sim.campaign import FaultKind
from kiosk.sim.killcampaign import run_kill_campaign
from kiosk.sim.simulate import ESSP_KEY_FILE, run_simulation

CRASH_POINTS = (CrashPoint.STACK_ORDERED, CrashPoint.STACKED_REPORTED, CrashPoint.NOTE_STACKED)


def broken(report: dict[str, object]) -> list[str]:
    invariants = report["invariants"]
    assert isinstance(invariants, dict)
    return [name for name, held in invariants.items() if not held]


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_crashes_around_a_credit_inside_an_essp_session_keep_the_money_exact(
    tmp_path: Path, seed: int
) -> None:
    report = run_simulation(
        40,
        seed,
        tmp_path,
        faults=frozenset({FaultKind.CRASH}),
        crash_points=CRASH_POINTS,
        protocol="essp",
    )
    print(f"essp seed {seed}: notes_for_cash_count={report['notes_for_cash_count']}")
    assert report["protocol"] == "essp" and report["crashes"], "no crash struck"
    assert report["ok"], (report["first_violation"], broken(report))
    # A restarted kiosk must get the credit again from the unit, as with plain SSP: nothing
    # is left for a technician to settle at the cash count.
    assert report["notes_for_cash_count"] == 0


def test_an_essp_day_over_a_socket_reads_the_key_from_a_private_key_file(
    tmp_path: Path,
) -> None:
    report = run_simulation(20, 5, tmp_path, protocol="essp", transport="socket")
    assert report["ok"], (report["first_violation"], broken(report))
    assert report["payments"] > 5  # the kiosk got past the key exchange and took money
    assert (tmp_path / ESSP_KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_money_is_conserved_across_sigkills_of_a_kiosk_speaking_essp(tmp_path: Path) -> None:
    report = run_kill_campaign(20, 1, tmp_path, kills=3, protocol="essp")
    assert report["protocol"] == "essp"
    assert not broken(report) and report["ok"]
    kinds = [death["kind"] for death in report["kills"]]
    assert "instant" in kinds and len(kinds) >= 2  # real deaths happened
    assert report["payments"] > 5 and report["ledger"]["payments"] == report["payments"]
    assert report["encashment"]["total"] == report["cash_stacked"]
