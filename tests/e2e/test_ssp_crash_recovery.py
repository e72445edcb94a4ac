"""Kiosk days on the SSP simulator where the process dies while a credit (0xEE) is being
committed: the restarted kiosk gets the note reported again and journals it exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.crashpoints import CrashPoint
from kiosk.sim.campaign import FaultKind
from kiosk.sim.simulate import run_simulation


def test_seed_4_day_with_a_crash_at_the_credit_keeps_cassette_and_journal_equal(
    tmp_path: Path,
) -> None:
    faults = frozenset({FaultKind.CRASH, FaultKind.JAM, FaultKind.UNPLUG})
    # The day this was found on drew its crash points from these seven (receipt_printed,
    # now in the campaign's list too, would move the seeded draws).
    points = tuple(point for point in CrashPoint if point is not CrashPoint.RECEIPT_PRINTED)
    report = run_simulation(60, 4, tmp_path, faults=faults, protocol="ssp", crash_points=points)
    assert "stacked_reported" in report["crashes"]  # the case this test is about happened
    assert report["ok"], (
        report["first_violation"],
        {k: v for k, v in report["invariants"].items() if not v},
    )
    assert report["notes_for_cash_count"] == 0  # nothing left for a technician to count


@pytest.mark.parametrize("seed", [1, 2, 3, 6])
def test_crashes_around_a_credit_never_lose_double_or_strand_a_note(
    tmp_path: Path, seed: int
) -> None:
    report = run_simulation(
        40,
        seed,
        tmp_path,
        faults=frozenset({FaultKind.CRASH}),
        crash_points=(
            CrashPoint.STACK_ORDERED,
            CrashPoint.STACKED_REPORTED,
            CrashPoint.NOTE_STACKED,
        ),
        protocol="ssp",
    )
    assert report["crashes"], "no crash struck"
    assert report["ok"], report["first_violation"]
    assert report["notes_for_cash_count"] == 0
