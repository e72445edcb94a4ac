"""The fault campaign: every fault kind on a seeded day, money conserved; and proof that the
campaign catches a driver that acknowledges a stacked note before its commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.bill.notes import Ack, Actions, NoteRule, Report
from kiosk.crashpoints import CrashPoint
from kiosk.printing import EscposReceiptPrinter
from kiosk.sim.campaign import FaultKind
from kiosk.sim.simulate import run_simulation


def test_a_day_with_every_fault_kind_conserves_the_money(tmp_path: Path) -> None:
    report = run_simulation(200, 5, tmp_path, ledger="embedded", faults=frozenset(FaultKind))
    assert report["ok"], (
        report["first_violation"],
        {k: v for k, v in report["invariants"].items() if not v},
    )
    assert set(report["faults"]) == {kind.value for kind in FaultKind}
    assert report["crashes"], "no crash struck: the schedule did not reach a step boundary"
    assert report["ledger"]["audit"]["cash_in"] == report["cash_stacked"]


_sound_stacked = NoteRule._stacked


def _ack_before_commit(self: NoteRule, note: int | None) -> Actions:
    """The bug class, planted in the one note rule every protocol runs: acknowledge the
    stacked report first, then tell the core."""
    return (Ack(Report.STACKED), *_sound_stacked(self, note))


@pytest.mark.parametrize("protocol", ["ccnet", "id003"])
def test_the_campaign_catches_a_driver_that_acks_before_the_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, protocol: str
) -> None:
    crashes = frozenset({FaultKind.CRASH})
    sound = run_simulation(
        60,
        4,
        tmp_path / "sound",
        faults=crashes,
        protocol=protocol,
        crash_points=(CrashPoint.STACKED_REPORTED,),
    )
    assert sound["ok"] and sound["crashes"]

    monkeypatch.setattr(NoteRule, "_stacked", _ack_before_commit)
    broken = run_simulation(
        60,
        4,
        tmp_path / "broken",
        faults=crashes,
        protocol=protocol,
        crash_points=(CrashPoint.STACKED_REPORTED,),
    )
    assert not broken["ok"]
    assert broken["invariants"]["device_cassette_equals_journal"] is False
    first = broken["first_violation"]
    assert first is not None and "device_cassette_equals_journal" in first["broken"]
    assert first["crashes_so_far"] == ["stacked_reported"]


def test_the_campaign_catches_a_printer_job_left_to_come_out_for_the_next_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    covers = frozenset({FaultKind.COVER_OPEN})
    sound = run_simulation(40, 11, tmp_path / "sound", faults=covers)
    assert sound["ok"] and sound["faults"].get("cover_open")

    # The bug class: a failed job stays in the printer and prints when the cover closes.
    monkeypatch.setattr(EscposReceiptPrinter, "_drop_held_job", lambda self, what: None)
    broken = run_simulation(40, 11, tmp_path / "broken", faults=covers)
    assert broken["invariants"]["every_printed_page_is_a_known_receipt"] is False


@pytest.mark.parametrize("transport", ["socket", "pty"])
def test_the_campaign_holds_over_a_real_socket_and_a_real_pty(
    tmp_path: Path, transport: str
) -> None:
    faults = frozenset(
        {
            FaultKind.CRASH,
            FaultKind.JAM,
            FaultKind.LINE_NOISE,
            FaultKind.UNPLUG,
            FaultKind.POWER_CYCLE,
        }
    )
    report = run_simulation(25, 11, tmp_path, faults=faults, transport=transport)
    assert report["ok"], report["first_violation"]
    assert report["transport"] == transport and report["payments"] > 0
    assert set(report["faults"]) == {kind.value for kind in faults}


@pytest.mark.parametrize("protocol", ["id003", "ssp"])
def test_the_campaign_holds_on_the_other_acceptor_protocols(tmp_path: Path, protocol: str) -> None:
    device_faults = frozenset(FaultKind) - {
        FaultKind.NETWORK_DOWN,
        FaultKind.NETWORK_FLAPPING,
        FaultKind.LEDGER_ERRORS,
        FaultKind.LEDGER_SLOW,
        FaultKind.ANSWER_LOST,
        FaultKind.LEDGER_GARBAGE,
    }
    report = run_simulation(200, 5, tmp_path, faults=device_faults, protocol=protocol)
    assert report["ok"], report["first_violation"]
    assert report["protocol"] == protocol
    assert set(report["faults"]) == {kind.value for kind in device_faults}
