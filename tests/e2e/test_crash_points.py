"""One set of crash points: the points the kiosk fires through its ``hooks`` are exactly the
CrashPoint members, the campaigns can kill at every one of them, and a crash campaign run
really dies at each (receipt_printed included) with the money conserved."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kiosk.crashpoints import CrashPoint
from kiosk.sim.campaign import CRASH_POINTS, FaultKind
from kiosk.sim.killcampaign import plan_kills
from kiosk.sim.simulate import run_simulation

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"


def _point_of(call: ast.Call, where: str) -> str:
    """The point a ``hooks(...)`` call fires: a string literal or ``CrashPoint.X``."""
    assert len(call.args) == 1 and not call.keywords, f"{where}: hooks takes one point"
    arg = call.args[0]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    if (
        isinstance(arg, ast.Attribute)
        and isinstance(arg.value, ast.Name)
        and arg.value.id == "CrashPoint"
    ):
        assert arg.attr in CrashPoint.__members__, f"{where}: no CrashPoint.{arg.attr}"
        return CrashPoint[arg.attr].value
    raise AssertionError(
        f"{where}: the point is neither a literal nor a CrashPoint member: {ast.unparse(arg)}"
    )


def fired_points() -> dict[str, list[str]]:
    """Point → where the kiosk (outside the harness) fires it."""
    fired: dict[str, list[str]] = {}
    for path in sorted(KIOSK.rglob("*.py")):
        relative = path.relative_to(KIOSK.parent).as_posix()
        if relative.startswith("kiosk/sim/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), relative)):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else (func.attr if isinstance(func, ast.Attribute) else None)
            )
            if name == "hooks":
                where = f"{relative}:{node.lineno}"
                fired.setdefault(_point_of(node, where), []).append(where)
    return fired


def test_the_kiosk_fires_exactly_the_crash_points_of_the_enum() -> None:
    fired = fired_points()
    unknown = {point: where for point, where in fired.items() if point not in set(CrashPoint)}
    assert unknown == {}, "fired but not a CrashPoint"
    never = sorted(set(CrashPoint) - set(fired))
    assert never == [], "a CrashPoint nobody fires"
    assert sum(len(where) for where in fired.values()) >= len(CrashPoint)


def test_the_campaigns_can_kill_at_every_crash_point() -> None:
    assert set(CRASH_POINTS) == set(CrashPoint) and len(CRASH_POINTS) == len(CrashPoint)
    # The SIGKILL plan deals its boundary kills from every point before repeating one.
    boundary = [
        kill.point
        for kill in plan_kills(2 * len(CrashPoint), seed=3)
        if kill.kind == "boundary" and kill.point is not None
    ]
    assert sorted(boundary) == sorted(CrashPoint)


@pytest.mark.parametrize("point", list(CrashPoint))
def test_a_crash_campaign_dies_at_the_point_and_keeps_the_money(
    tmp_path: Path, point: CrashPoint
) -> None:
    report = run_simulation(
        16, 3, tmp_path, faults=frozenset({FaultKind.CRASH}), crash_points=(point,)
    )
    assert point in report["crashes"], f"no crash at {point}: {report['crashes']}"
    assert report["ok"], {name: held for name, held in report["invariants"].items() if not held}
    if point is CrashPoint.RECEIPT_PRINTED:  # the page was out before the process died
        assert report["receipts_printed"] > report["receipts"] - report["receipts_unprinted"]
