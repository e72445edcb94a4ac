"""Remote commands on the ledger: issued with who and why, carried in the signed heartbeat
answer until acknowledged, then done; only forward, only the terminal's own; on SQLite and
PostgreSQL through a real server on loopback and the kiosk's own client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import kiosk.cli as cli
from kiosk.domain.clock import ManualClock
from sync.client import LedgerClient
from sync.ledger.commands import CommandRefused
from sync.ledger.server import LedgerThread
from sync.ledger.service import Ledger
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, beat

START_MS = 1_800_000_000_000


@pytest.fixture
def fleet(
    make_ledger: Callable[..., Ledger], any_url: str, clock: ManualClock
) -> Iterator[tuple[Ledger, LedgerClient, LedgerClient]]:
    ledger = make_ledger(any_url)
    secrets = {terminal: ledger.add_terminal(terminal) for terminal in (TERMINAL, OTHER_TERMINAL)}
    with LedgerThread(ledger) as server:
        mine = LedgerClient(server.url, TERMINAL, secrets[TERMINAL], clock, timeout=10.0)
        other = LedgerClient(
            server.url, OTHER_TERMINAL, secrets[OTHER_TERMINAL], clock, timeout=10.0
        )
        yield ledger, mine, other
        mine.close()
        other.close()


def _beat(client: LedgerClient, **fields: Any) -> dict[str, Any]:
    answer = client.heartbeat(json.dumps(beat(**fields)).encode())
    assert isinstance(answer, dict)
    return answer


def _states(ledger: Ledger) -> dict[int, str]:
    return {command.id: command.state for command in ledger.commands()}


def test_a_command_goes_sent_acknowledged_done_through_heartbeats(
    fleet: tuple[Ledger, LedgerClient, LedgerClient],
) -> None:
    ledger, mine, other = fleet
    lock = ledger.issue_command(TERMINAL, "lock", by="aigul", reason="cassette audit")
    plan = ledger.issue_command(
        TERMINAL,
        "maintenance",
        by="aigul",
        reason="software update",
        starts_at=START_MS,
        ends_at=START_MS + 3_600_000,
    )
    assert (lock.state, lock.issued_by, lock.reason) == ("pending", "aigul", "cassette audit")
    assert _beat(other).get("commands") is None  # another terminal's commands stay its own
    first = _beat(mine)
    assert first["commands"] == [
        {"id": lock.id, "kind": "lock"},
        {
            "id": plan.id,
            "kind": "maintenance",
            "starts_at": START_MS,
            "ends_at": START_MS + 3_600_000,
        },
    ]
    assert _states(ledger) == {lock.id: "sent", plan.id: "sent"}
    # Carried again until acknowledged (a lost answer loses nothing).
    assert [c["id"] for c in _beat(mine)["commands"]] == [lock.id, plan.id]
    # Another terminal cannot acknowledge or finish this terminal's commands.
    _beat(other, acknowledged=[lock.id], done=[lock.id])
    assert _states(ledger) == {lock.id: "sent", plan.id: "sent"}
    assert "commands" not in _beat(mine, acknowledged=[lock.id, plan.id])
    assert _states(ledger) == {lock.id: "acknowledged", plan.id: "acknowledged"}
    _beat(mine, done=[lock.id])
    _beat(mine, acknowledged=[lock.id])  # a late repeat never moves a command back
    views = {command.id: command for command in ledger.commands(TERMINAL)}
    assert (views[lock.id].state, views[plan.id].state) == ("done", "acknowledged")
    assert views[lock.id].sent_at and views[lock.id].acknowledged_at and views[lock.id].done_at


def test_a_command_without_who_why_or_a_fitting_time_is_refused(
    fleet: tuple[Ledger, LedgerClient, LedgerClient],
) -> None:
    ledger = fleet[0]
    cases = [
        (dict(kind="lock", by=" ", reason="x"), "--by"),
        (dict(kind="lock", by="a", reason=""), "--reason"),
        (dict(kind="maintenance", by="a", reason="x"), "start time"),
        (
            dict(kind="maintenance", by="a", reason="x", starts_at=START_MS, ends_at=START_MS),
            "after its start",
        ),
        (dict(kind="reboot", by="a", reason="x"), "unknown command"),
    ]
    for fields, words in cases:
        with pytest.raises(CommandRefused, match=words):
            ledger.issue_command(TERMINAL, **fields)  # type: ignore[arg-type]
    with pytest.raises(CommandRefused, match="unknown terminal"):
        ledger.issue_command("KZ-NOPE-0000", "lock", by="a", reason="x")
    assert ledger.commands() == []


def test_the_cli_issues_and_lists_commands(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    assert cli.main(["ledger", "terminal", "add", TERMINAL, "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert (
        cli.main(
            ["ledger", "command", "lock", TERMINAL, "--reason", "audit", "--by", "ops"]
            + ["--db", sqlite_url]
        )
        == 0
    )
    issued = json.loads(capsys.readouterr().out)
    assert (issued["kind"], issued["state"], issued["issued_by"]) == ("lock", "pending", "ops")
    args = ["ledger", "command", "maintenance", TERMINAL, "--start", "2026-12-05T02:00"]
    assert cli.main(args + ["--reason", "r", "--by", "ops", "--db", sqlite_url]) != 0
    assert "UTC offset" in capsys.readouterr().err
    args[-1] = "2026-12-05T02:00+05:00"
    assert cli.main(args + ["--reason", "update", "--by", "ops", "--db", sqlite_url]) == 0
    capsys.readouterr()
    assert cli.main(["ledger", "commands", "--terminal", TERMINAL, "--db", sqlite_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("#2  KZ") and "maintenance  pending" in lines[0]
    assert "from 2026-12-04T21:00:00.000+00:00" in lines[0] and "by ops" in lines[0]
    assert "lock  pending" in lines[1] and ": audit" in lines[1]
