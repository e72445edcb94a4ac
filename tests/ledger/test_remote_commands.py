"""Remote commands on the ledger: issued with who and why, carried in the signed heartbeat
answer until acknowledged, then done; only forward, only the terminal's own; on SQLite and
PostgreSQL through a real server on loopback and the kiosk's own client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import kiosk
import kiosk.cli as cli
from kiosk.domain.catalog import CatalogError
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


def _catalog(version: str, name: str = "Beeline") -> bytes:
    data = json.loads((Path(kiosk.__file__).parent / "data" / "catalog.json").read_text())
    data["version"] = version
    for service in data["services"]:
        if service["id"] == "beeline":
            service["names"]["en"] = name
    return json.dumps(data, ensure_ascii=False).encode()


def test_an_uploaded_catalog_is_checked_kept_and_served_by_etag(
    fleet: tuple[Ledger, LedgerClient, LedgerClient],
    make_ledger: Callable[..., Ledger],
    any_url: str,
) -> None:
    ledger, mine, _other = fleet
    shipped = mine.get_catalog(None)
    assert shipped is not None and shipped.version == "2026.01"
    with pytest.raises(CatalogError, match="upload.json"):
        ledger.upload_catalog(b'{"version": "2026.02"}', "admin", "upload.json")
    with pytest.raises(CatalogError, match="already kept with other content"):
        ledger.upload_catalog(_catalog("2026.01", "Beeline!"), "admin", "upload.json")
    with pytest.raises(CatalogError, match="--by"):
        ledger.upload_catalog(_catalog("2026.02"), "", "upload.json")
    done = ledger.upload_catalog(_catalog("2026.02"), "admin", "upload.json")
    assert (done.version, done.new, done.uploaded_by) == ("2026.02", True, "admin")
    served = mine.get_catalog(shipped.etag)  # the old ETag: a new catalog comes back
    assert served is not None and served.version == "2026.02" and served.etag == done.etag
    assert served.body == _catalog("2026.02")
    assert mine.get_catalog(done.etag) is None  # unchanged: 304
    assert _beat(mine)["catalog_version"] == "2026.02"
    command = ledger.issue_command(
        TERMINAL, "catalog", by="admin", reason="new prices", catalog_version="2026.02"
    )
    assert _beat(mine)["commands"] == [
        {"id": command.id, "kind": "catalog", "catalog_version": "2026.02"}
    ]
    with pytest.raises(CommandRefused, match="unknown catalog version"):
        ledger.issue_command(TERMINAL, "catalog", by="a", reason="r", catalog_version="1999")
    # A ledger opened again (another worker, a restart) serves the upload, not the file.
    again = make_ledger(any_url)
    assert (again.catalog.version, again.catalog_file.etag) == ("2026.02", done.etag)


def test_the_cli_uploads_a_catalog_and_tells_every_active_terminal(
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    for terminal in (TERMINAL, OTHER_TERMINAL):
        assert cli.main(["ledger", "terminal", "add", terminal, "--db", sqlite_url]) == 0
    assert cli.main(["ledger", "terminal", "disable", OTHER_TERMINAL, "--db", sqlite_url]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 3}')
    capsys.readouterr()
    upload = ["ledger", "catalog", "upload"]
    assert cli.main([*upload, str(bad), "--by", "admin", "--db", sqlite_url]) != 0
    assert "bad.json" in capsys.readouterr().err
    good = tmp_path / "catalog.json"
    good.write_bytes(_catalog("2026.03"))
    assert cli.main([*upload, str(good), "--by", "admin", "--db", sqlite_url]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["version"], printed["terminals_notified"]) == ("2026.03", 1)
    assert cli.main(["ledger", "commands", "--json", "--db", sqlite_url]) == 0
    [command] = json.loads(capsys.readouterr().out)
    assert (command["terminal_id"], command["kind"], command["catalog_version"]) == (
        TERMINAL,
        "catalog",
        "2026.03",
    )
    assert command["issued_by"] == "admin" and "2026.03" in command["reason"]
