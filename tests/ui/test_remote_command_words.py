"""The words of the remote commands: a locked or maintained kiosk says so, and the idle
screen announces a planned maintenance with its local start time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.catalog_file import load_catalog
from kiosk.config import TerminalConfig, demo_config
from kiosk.session import Snapshot, State
from ui.i18n import I18N_DIR, read_ts
from ui.texts import CONTEXT
from ui.views import UiState, settle, view_of

START = int(datetime(2026, 12, 4, 21, 0, tzinfo=UTC).timestamp() * 1000)  # 02:00 in Almaty


@pytest.fixture(scope="module")
def terminal(tmp_path_factory: pytest.TempPathFactory) -> TerminalConfig:
    return demo_config(Path(tmp_path_factory.mktemp("words"))).terminal


def _frame(terminal: TerminalConfig, **changes: object):  # type: ignore[no-untyped-def]
    snapshot = dataclasses.replace(Snapshot(State.IDLE, True, (), True, "en"), **changes)  # type: ignore[arg-type]
    ui = UiState()
    settle(ui, snapshot)
    return view_of(snapshot, ui, load_catalog(), terminal, now=0.0).frame


def test_locked_and_maintenance_say_temporarily_out_of_service(terminal: TerminalConfig) -> None:
    locked = _frame(terminal, in_service=False, out_of_service_reasons=("locked",))
    assert locked.screen == "out_of_service"
    assert locked.out_of_service_text == "The kiosk is temporarily out of service."
    planned = _frame(terminal, in_service=False, out_of_service_reasons=("maintenance",))
    assert planned.out_of_service_text == (
        "Planned maintenance: the kiosk is temporarily out of service."
    )


def test_the_idle_screen_announces_a_planned_maintenance(terminal: TerminalConfig) -> None:
    assert _frame(terminal).maintenance_notice == ""
    frame = _frame(terminal, maintenance_notice_at=START)
    assert frame.screen == "idle"
    assert frame.maintenance_notice == (
        "Planned maintenance from 02:00: payments will not be possible."
    )


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_words_are_translated_with_the_time_kept(language: str) -> None:
    catalogue = read_ts(I18N_DIR / f"{language}.ts")
    notice = catalogue[(CONTEXT, "Planned maintenance from %1: payments will not be possible.")]
    assert "%1" in notice
    assert catalogue[(CONTEXT, "The kiosk is temporarily out of service.")]
