"""The core announces crash points only as CrashPoint members, and announces every one of
them: a campaign that kills at a member is sure to meet it on the money path."""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk
from kiosk.crashpoints import CrashPoint

KIOSK = Path(kiosk.__file__).parent


def announced() -> dict[str, list[str]]:
    """Each ``….hooks(X)`` call in the application: file -> the source of X."""
    found: dict[str, list[str]] = {}
    for path in sorted(KIOSK.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "hooks"
            ):
                found.setdefault(path.name, []).extend(ast.unparse(a) for a in node.args)
    return found


def test_every_call_names_a_member() -> None:
    calls = [arg for args in announced().values() for arg in args]
    assert calls, "no crash point announced: the search is broken"
    for arg in calls:
        assert arg.startswith("CrashPoint."), arg
        assert arg.removeprefix("CrashPoint.") in CrashPoint.__members__, arg


def test_every_member_is_announced() -> None:
    named = {arg.removeprefix("CrashPoint.") for args in announced().values() for arg in args}
    assert named == set(CrashPoint.__members__)
