"""Every session state change the kiosk stores is one of its tables: ``ALLOWED`` (a customer's
session, and recovery closing one after a crash) or ``LATE_NOTE`` (a note stacked after its
session ended). Checked on what days with every device fault and crashes actually wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.config import demo_config
from kiosk.session import ALLOWED, LATE_NOTE, State
from kiosk.sim.campaign import parse_faults
from kiosk.sim.simulate import run_simulation
from kiosk.store.db import Store
from kiosk.store.models import Transition


def _moves(table: dict[State, frozenset[State]]) -> set[tuple[str, str]]:
    return {(start.value, end.value) for start, ends in table.items() for end in ends}


def _stored_moves(state_dir: Path) -> list[tuple[str, str, str | None]]:
    store = Store(demo_config(state_dir).storage.url)
    try:
        with store.reading() as s:
            rows = s.execute(select(Transition.from_state, Transition.to_state, Transition.detail))
            return [(row[0], row[1], row[2]) for row in rows]
    finally:
        store.close()


@pytest.mark.parametrize("seed", [3, 11])  # 11 has a late note as well as crashes
def test_a_day_with_every_fault_stores_only_tabled_moves(tmp_path: Path, seed: int) -> None:
    report = run_simulation(60, seed, tmp_path, faults=parse_faults("all", ledger=False))
    assert report["ok"], report["first_violation"]
    assert report["crashes"], "no crash struck: recovery's moves went unchecked"
    stored = _stored_moves(tmp_path)
    assert len(stored) > 200
    tabled = _moves(ALLOWED) | _moves(LATE_NOTE)
    # A session opens from idle into service_chosen (ALLOWED's first move).
    assert [m for m in stored if (m[0], m[1]) not in tabled] == []
    recovered = [m for m in stored if m[2] == "recovered"]
    assert recovered, "the day had crashes, so recovery closed sessions"


def test_the_tables_refuse_what_they_do_not_list() -> None:
    assert (State.IDLE.value, State.PAYING.value) not in _moves(ALLOWED)
    assert (State.PAYING.value, State.DONE.value) not in _moves(ALLOWED)
    assert _moves(LATE_NOTE) == {(State.IDLE.value, State.PAYING.value)}
