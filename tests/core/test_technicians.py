"""Technicians are people: each with a number and a personal PIN (scrypt, salted), weak PINs
refused with the reason, a pad lock that doubles and survives a restart, and a damaged or
old file told in one line."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.technicians import (
    LOCK_S,
    MAX_LOCK_S,
    MAX_TRIES,
    LegacyPinFile,
    LoginOutcome,
    TechnicianError,
    Technicians,
    WeakPin,
    default_technicians_path,
    weak_pin_reason,
)

PIN, OTHER = "284619", "730582"


def team(tmp_path: Path, clock: ManualClock | None = None, terminal_id: str = "") -> Technicians:
    return Technicians(
        tmp_path / "service-pin.json", clock or ManualClock(), terminal_id=terminal_id
    )


def fail_until_locked(pad: Technicians, number: int = 1) -> None:
    for attempt in range(1, MAX_TRIES):
        result = pad.check(number, "999999")
        assert (result.outcome, result.tries_left) == (LoginOutcome.WRONG, MAX_TRIES - attempt)
    assert pad.check(number, "999999").outcome is LoginOutcome.LOCKED


def test_each_technician_logs_in_with_their_own_number_and_pin(tmp_path: Path) -> None:
    pad = team(tmp_path)
    aigerim = pad.add("Aigerim Sadykova", PIN)
    boris = pad.add("Борис", OTHER)
    assert (aigerim.number, boris.number) == (1, 2)
    assert pad.check(1, PIN).technician == aigerim
    assert pad.check(2, OTHER).technician == boris
    assert pad.check(1, OTHER).outcome is LoginOutcome.WRONG  # someone else's PIN
    assert pad.check(7, PIN).outcome is LoginOutcome.WRONG  # no such number, same answer
    assert [t.name for t in pad.registered()] == ["Aigerim Sadykova", "Борис"]


def test_the_same_pin_for_two_technicians_gets_two_hashes_and_no_clear_text(tmp_path: Path) -> None:
    pad = team(tmp_path)
    pad.add("Aigerim", PIN)
    pad.add("Daniyar", PIN)  # allowed: the number tells them apart, nobody learns a PIN
    text = pad.path.read_text()
    stored = json.loads(text)["technicians"]
    assert PIN not in text
    assert stored[0]["salt"] != stored[1]["salt"] and stored[0]["hash"] != stored[1]["hash"]
    assert (stored[0]["n"], stored[0]["r"]) == (2**14, 8)  # scrypt, memory-hard
    assert pad.path.stat().st_mode & 0o077 == 0
    assert pad.check(2, PIN).technician is not None


@pytest.mark.parametrize(
    ("pin", "reason"),
    [
        ("12345", "6 to 12 digits"),
        ("1234567890123", "6 to 12 digits"),
        ("12a456", "6 to 12 digits"),
        ("١٢٣٤٥٦", "6 to 12 digits"),
        ("777777", "one digit repeated"),
        ("123456", "consecutive digits"),
        ("654321", "consecutive digits"),
        ("890123", "consecutive digits"),
        ("121212", "repeats a short pattern"),
        ("845845", "repeats a short pattern"),
    ],
)
def test_a_weak_pin_is_refused_with_its_reason(tmp_path: Path, pin: str, reason: str) -> None:
    pad = team(tmp_path)
    with pytest.raises(WeakPin, match=reason):
        pad.add("Aigerim", pin)
    assert not pad.path.exists()


def test_a_pin_made_of_the_terminal_id_is_refused(tmp_path: Path) -> None:
    pad = team(tmp_path, terminal_id="KZ-ALM-0042917")
    with pytest.raises(WeakPin, match="terminal id KZ-ALM-0042917"):
        pad.add("Aigerim", "042917")
    assert weak_pin_reason("042917") is None  # only that kiosk's id makes it weak
    assert pad.add("Aigerim", PIN).number == 1


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "1 to 32"),
        ("x" * 33, "1 to 32"),
        ("1234", "has letters"),
        ("Ai\x07gerim", "not"),
        ("Ai;gerim", "not ';'"),
    ],
)
def test_a_name_that_cannot_go_to_the_ledger_is_refused(
    tmp_path: Path, name: str, reason: str
) -> None:
    with pytest.raises(TechnicianError, match=reason):
        team(tmp_path).add(name, PIN)


def test_names_and_numbers_are_unique_and_removed_technicians_cannot_log_in(tmp_path: Path) -> None:
    pad = team(tmp_path)
    pad.add("Aigerim", PIN)
    with pytest.raises(TechnicianError, match="already a technician named 'AIGERIM'"):
        pad.add("AIGERIM", OTHER)
    with pytest.raises(TechnicianError, match="number 1 is taken"):
        pad.add("Boris", OTHER, number=1)
    assert pad.add("Boris", OTHER, number=40).number == 40
    assert pad.remove("aigerim").name == "Aigerim"
    assert pad.check(1, PIN).outcome is LoginOutcome.WRONG
    assert pad.add("Dana", PIN).number == 41  # a number is not handed out again
    with pytest.raises(TechnicianError, match="registered: Boris, Dana"):
        pad.remove("Aigerim")


def test_lockout_doubles_survives_a_restart_and_a_good_login_resets_it(tmp_path: Path) -> None:
    clock = ManualClock()
    pad = team(tmp_path, clock)
    pad.add("Aigerim", PIN)
    assert pad.check(1, PIN).ok
    fail_until_locked(pad)
    restarted = team(tmp_path, clock)
    locked = restarted.check(1, PIN)  # even the right PIN waits out the lock
    assert (locked.outcome, locked.locked_for_s) == (LoginOutcome.LOCKED, LOCK_S)
    clock.advance(LOCK_S - 1)
    assert restarted.check(1, PIN).outcome is LoginOutcome.LOCKED
    clock.advance(1)
    fail_until_locked(restarted)  # the second lockout in a row: twice as long
    assert restarted.lock_remaining() == 2 * LOCK_S
    clock.advance(2 * LOCK_S)
    fail_until_locked(restarted)
    assert team(tmp_path, clock).lock_remaining() == 4 * LOCK_S
    clock.advance(4 * LOCK_S)
    assert restarted.check(1, PIN).ok  # a good login: the next lock is short again
    fail_until_locked(restarted)
    assert restarted.lock_remaining() == LOCK_S


def test_lockout_is_capped_and_a_clock_set_back_does_not_lengthen_it(tmp_path: Path) -> None:
    clock = ManualClock()
    pad = team(tmp_path, clock)
    pad.add("Aigerim", PIN)
    for _ in range(12):
        fail_until_locked(pad)
        clock.advance(pad.lock_remaining())
    fail_until_locked(pad)
    assert pad.lock_remaining() == MAX_LOCK_S
    data = json.loads(pad.path.read_text())
    data["locked_until"] += 10 * MAX_LOCK_S  # as if the wall clock had been far ahead
    pad.path.write_text(json.dumps(data))
    assert pad.lock_remaining() == MAX_LOCK_S


def test_wrong_numbers_count_on_the_pad_not_per_technician(tmp_path: Path) -> None:
    pad = team(tmp_path)
    pad.add("Aigerim", PIN)
    pad.add("Boris", OTHER)
    for number in range(1, MAX_TRIES):
        assert pad.check(number, "999999").outcome is LoginOutcome.WRONG
    assert pad.check(2, "999999").outcome is LoginOutcome.LOCKED
    assert pad.check(2, OTHER).outcome is LoginOutcome.LOCKED
    pad.unlock()
    assert pad.check(2, OTHER).ok


def test_no_file_means_no_technician(tmp_path: Path) -> None:
    pad = team(tmp_path)
    assert pad.check(1, PIN).outcome is LoginOutcome.UNSET
    assert not pad.is_set and pad.registered() == ()


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("{not json", "not JSON"),
        ('{"format": "kiosk-technicians-1", "technicians": [', "not JSON"),  # truncated
        ("[1, 2]", "not a JSON object"),
        ('{"format": "other"}', "format is not"),
        ('{"format": "kiosk-technicians-1"}', "no list of technicians"),
        (
            '{"format": "kiosk-technicians-1", "technicians": [{"number": "1"}]}',
            "technician 1 has no valid 'number'",
        ),
    ],
)
def test_a_damaged_file_is_one_line_saying_what_to_do(
    tmp_path: Path, content: str, what: str
) -> None:
    pad = team(tmp_path)
    pad.path.write_text(content)
    for attempt in (lambda: pad.check(1, PIN), pad.registered, lambda: pad.add("Dana", PIN)):
        with pytest.raises(TechnicianError, match=what) as caught:
            attempt()
        message = str(caught.value)
        assert "\n" not in message and "add-technician" in message and str(pad.path) in message


def test_a_damaged_hash_or_counter_is_caught(tmp_path: Path) -> None:
    pad = team(tmp_path)
    pad.add("Aigerim", PIN)
    good = json.loads(pad.path.read_text())
    changes: list[tuple[Callable[[dict[str, Any]], object], str]] = [
        (lambda d: d["technicians"][0].update(hash="zz"), "not hex"),
        (lambda d: d.update(failures=True), "'failures'"),
        (lambda d: d.pop("locked_until"), "'locked_until'"),
    ]
    for change, what in changes:
        data = json.loads(json.dumps(good))
        change(data)
        pad.path.write_text(json.dumps(data))
        with pytest.raises(TechnicianError, match=what):
            pad.check(1, PIN)


def test_the_old_shared_pin_file_asks_for_technicians_and_the_first_replaces_it(
    tmp_path: Path,
) -> None:
    pad = team(tmp_path)
    pad.path.write_text(
        json.dumps({"salt": "00" * 16, "hash": "11" * 32, "failures": 0, "locked_until": 0.0})
    )
    with pytest.raises(LegacyPinFile, match="old shared service PIN.*add-technician"):
        pad.check(1, "1234")
    pad.add("Aigerim", PIN)
    assert pad.check(1, PIN).ok


def test_the_file_lives_next_to_the_database() -> None:
    assert default_technicians_path("sqlite:////var/lib/kiosk/kiosk.db") == Path(
        "/var/lib/kiosk/service-pin.json"
    )
    with pytest.raises(TechnicianError, match="--pin-file"):
        default_technicians_path("postgresql://db/kiosk")


def test_adds_and_wrong_tries_at_the_same_moment_all_land(tmp_path: Path) -> None:
    clock = ManualClock()
    team(tmp_path, clock).add("Aigerim", PIN)
    names = [f"Technician {letter}" for letter in "ABCDEF"]

    def add(name: str) -> None:
        team(tmp_path, clock).add(name, OTHER)  # a kiosk process and a shell, each its own

    def wrong() -> None:
        team(tmp_path, clock).check(99, "999999")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(add, name) for name in names] + [
            pool.submit(wrong) for _ in range(3)
        ]:
            future.result()
    pad = team(tmp_path, clock)
    assert sorted(t.name for t in pad.registered()) == ["Aigerim", *names]
    assert json.loads(pad.path.read_text())["failures"] == 3
