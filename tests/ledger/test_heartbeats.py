"""Heartbeats: the new bounded fields, the latest kept by the kiosk's time (a late older one
is ignored), the migration from a ledger without them, and ``kiosk ledger terminals``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import kiosk.cli as cli
from sync.ledger.db import create_ledger_engine, migrate
from sync.ledger.schema import MAX_DEVICE_KEYS, HeartbeatIn
from sync.ledger.service import Ledger
from tests.ledger.cli_child import ensure_ledger_command
from tests.ledger.helpers import OTHER_TERMINAL, TERMINAL, TerminalClient, beat


@pytest.fixture
def kiosk_main(monkeypatch: pytest.MonkeyPatch) -> Callable[[list[str]], int]:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", cli._COMMAND_MODULES)
    ensure_ledger_command()
    return cli.main


def test_a_full_heartbeat_is_kept_with_its_new_fields(
    client: TerminalClient, ledger: Ledger
) -> None:
    answer = client.post("/v1/heartbeat", beat())
    assert answer.status_code == 200 and "stale" not in answer.json()
    [state] = [state for state in ledger.terminal_states() if state.terminal_id == TERMINAL]
    assert (
        state.validator_state,
        state.validator_connected,
        state.printer_state,
        state.printer_paper,
    ) == ("idle", True, "ok", "near_end")
    assert (state.cassette_notes, state.cassette_amount) == (12, 1_250_050)
    assert (state.queue_depth, state.oldest_age_s, state.uptime_s, state.free_disk_bytes) == (
        3,
        60,
        86_400,
        8_000_000_000,
    )
    assert state.last_payment_at == "2026-01-01T09:58:00.000+00:00"


def test_the_old_heartbeat_form_still_works(client: TerminalClient, ledger: Ledger) -> None:
    old = {
        "at": "2026-01-01T10:00:00Z",
        "software_version": "0.1.0",
        "devices": {"validator": "ok", "printer": "no_paper"},
        "queue": {"depth": 0, "amount": 0, "oldest_age_s": None},
    }
    assert client.post("/v1/heartbeat", old).status_code == 200
    [state] = [state for state in ledger.terminal_states() if state.terminal_id == TERMINAL]
    assert (state.validator_state, state.printer_state, state.cassette_notes) == (
        "ok",
        "no_paper",
        None,
    )


def test_an_older_heartbeat_arriving_late_is_ignored(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    ledger = make_ledger(any_url)
    ledger.add_terminal(TERMINAL)
    newer = HeartbeatIn.model_validate(
        beat("2026-01-01T10:05:00.000+00:00", cassette={"notes": 20, "amount": 2_000_000})
    )
    older = HeartbeatIn.model_validate(
        beat("2026-01-01T10:04:00.000+00:00", cassette={"notes": 19, "amount": 1_900_000})
    )
    assert ledger.heartbeat(TERMINAL, newer).stale is False
    assert ledger.heartbeat(TERMINAL, older).stale is True
    assert ledger.heartbeat(TERMINAL, newer).stale is False  # the same one again is kept
    [state] = ledger.terminal_states()
    assert (state.reported_at, state.cassette_notes) == ("2026-01-01T10:05:00.000+00:00", 20)


def test_a_stale_heartbeat_is_answered_200_with_stale_true(client: TerminalClient) -> None:
    client.post("/v1/heartbeat", beat("2026-01-01T10:05:00.000+00:00"))
    late = client.post("/v1/heartbeat", beat("2026-01-01T11:04:00.000+01:00"))  # 10:04 UTC
    assert late.status_code == 200 and late.json()["stale"] is True


@pytest.mark.parametrize(
    "change",
    [
        {"devices": {f"device{n}": "ok" for n in range(MAX_DEVICE_KEYS + 1)}},
        {"devices": {"validator": {"detail": "x" * 4096}}},
        {"devices": {"": "ok"}},
        {"uptime_s": -1},
        {"uptime_s": 10**30},
        {"uptime_s": True},
        {"cassette": {"notes": 1, "amount": -100}},
        {"cassette": {"notes": 1}},
        {"free_disk_bytes": 1.5},
        {"last_payment_at": "x" * 41},
        {"at": "yesterday"},
        {"at": "2026-01-01T10:00:00"},  # no offset: whose time?
        {"queue": {"depth": 2**40, "amount": 0}},
        {"mood": "happy"},
    ],
)
def test_out_of_bounds_heartbeats_are_refused_with_422(
    client: TerminalClient, change: dict[str, Any]
) -> None:
    assert client.post("/v1/heartbeat", beat(**change)).status_code == 422


def test_nulls_are_accepted_for_the_optional_fields(client: TerminalClient) -> None:
    nulls = beat(uptime_s=None, cassette=None, last_payment_at=None, free_disk_bytes=None)
    assert client.post("/v1/heartbeat", nulls).status_code == 200


def test_a_heartbeat_kept_before_the_upgrade_is_replaced_after_it(
    any_url: str, make_ledger: Callable[..., Ledger]
) -> None:
    engine = create_ledger_engine(any_url)
    try:
        migrate(engine, "0002")
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO terminals (id, secret, created_at, active) "
                f"VALUES ('{TERMINAL}', 'abc', 1, true)"
            )
            connection.exec_driver_sql(
                "INSERT INTO heartbeats (terminal_id, received_at, software_version, "
                "queue_depth, queue_amount, oldest_age_s, body) "
                f"VALUES ('{TERMINAL}', 1, '0.1.0', 0, 0, NULL, '{{}}')"
            )
        migrate(engine)
    finally:
        engine.dispose()
    ledger = make_ledger(any_url)
    assert ledger.heartbeat(TERMINAL, HeartbeatIn.model_validate(beat())).stale is False
    [state] = ledger.terminal_states()
    assert state.software_version == "0.4.0" and state.cassette_notes == 12


def test_terminals_command_lists_every_terminal_with_its_state(
    kiosk_main: Callable[[list[str]], int],
    ledger: Ledger,
    secrets: dict[str, str],
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger.heartbeat(
        TERMINAL,
        HeartbeatIn.model_validate(
            beat(
                devices={
                    "validator": {"protocol": "ccnet", "state": "idle", "connected": True},
                    "printer": {"state": "no_paper", "reason": "paper out", "paper": "out"},
                    "out_of_service": ["printer"],
                }
            )
        ),
    )
    assert kiosk_main(["ledger", "terminals", "--db", sqlite_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"{TERMINAL}  seen 2026-01-01T10:00:00.000+00:00  validator idle  printer no_paper "
        "(paper out)  cassette 12 notes 12,500.50 KZT  outbox 3 (oldest 60 s)  "
        "OUT OF SERVICE: printer",
        f"{OTHER_TERMINAL}  never seen",
    ]

    assert kiosk_main(["ledger", "terminals", "--db", sqlite_url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["terminal_id"] for item in listed] == [TERMINAL, OTHER_TERMINAL]
    assert listed[0]["cassette_amount"] == 1_250_050 and listed[0]["printer_paper"] == "out"
    assert listed[0]["out_of_service"] == ["printer"] and listed[0]["queue_depth"] == 3
    assert listed[1]["last_seen"] is None and listed[1]["queue_depth"] is None


def test_validator_link_alerts_are_kept_and_shown(client: TerminalClient, ledger: Ledger) -> None:
    devices = beat()["devices"]
    devices["validator"] = {
        "protocol": "ssp",
        "state": "idle",
        "connected": True,
        "alerts": {"plain_replies_refused": 2, "junk": "x", "neg": -1},
    }
    assert client.post("/v1/heartbeat", beat(devices=devices)).status_code == 200
    [state] = [state for state in ledger.terminal_states() if state.terminal_id == TERMINAL]
    assert state.validator_alerts == {"plain_replies_refused": 2}  # non-counts dropped
    assert "LINK ALERTS: plain_replies_refused 2" in state.line()
    assert state.to_json()["validator_alerts"] == {"plain_replies_refused": 2}
