"""Structured logs: JSON lines, rotation, and no account number or secret in a log file."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.logfmt import log_event
from kiosk.logs import setup_logging

MASKED_PHONE = "+7 701 *** ** 67"


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def our_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if getattr(h, "kiosk_structured", False)]


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    path = tmp_path / "logs" / "kiosk.jsonl"
    setup_logging(path, level="DEBUG")
    return path


def test_each_line_is_json_with_time_level_logger_event(log_path: Path) -> None:
    log_event(logging.getLogger("kiosk.core"), "session opened", session="s-1", amount_tiyn=50000)

    (entry,) = read_lines(log_path)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["ts"])
    assert entry["level"] == "INFO"
    assert entry["logger"] == "kiosk.core"
    assert entry["event"] == "session opened"
    assert entry["session"] == "s-1"
    assert entry["amount_tiyn"] == 50000


def test_plain_logging_calls_are_structured_too(log_path: Path) -> None:
    logging.getLogger("drivers.bill").warning("jam at %s", "stacker", extra={"device": "ccnet"})

    (entry,) = read_lines(log_path)
    assert (entry["level"], entry["event"], entry["device"]) == (
        "WARNING",
        "jam at stacker",
        "ccnet",
    )


def test_account_in_message_is_masked(log_path: Path) -> None:
    log_event(logging.getLogger("kiosk"), "top-up to +77011234567 accepted")

    raw = log_path.read_text(encoding="utf-8")
    assert "1234567" not in raw
    assert read_lines(log_path)[0]["event"] == f"top-up to {MASKED_PHONE} accepted"


def test_account_field_is_masked(log_path: Path) -> None:
    log_event(logging.getLogger("kiosk"), "account checked", account="+77011234567")

    assert read_lines(log_path)[0]["account"] == MASKED_PHONE
    assert "1234567" not in log_path.read_text(encoding="utf-8")


def test_account_hidden_in_any_field_shape(log_path: Path) -> None:
    log_event(
        logging.getLogger("kiosk"),
        "ledger answer",
        reply={"to": "+7 701 123 45 67", "purse": "K123456789012"},
        phone_as_number=77011234567,
        payments=[{"account": "K123456789012"}],
    )

    entry = read_lines(log_path)[0]
    raw = log_path.read_text(encoding="utf-8")
    assert "123456789012" not in raw
    assert "123 45 67" not in raw
    assert entry["reply"]["to"] == MASKED_PHONE
    assert entry["phone_as_number"] == MASKED_PHONE
    assert entry["payments"][0]["account"] == "K 1234 **** **12"


@pytest.mark.parametrize("name", ["secret", "pin", "password", "token", "ledger_token", "PIN"])
def test_secrets_are_hidden(log_path: Path, name: str) -> None:
    fields: dict[str, Any] = {name: "s3cr3t-value"}  # a name only known at run time
    log_event(logging.getLogger("kiosk.service"), "login", **fields)

    assert read_lines(log_path)[0][name] == "***"
    assert "s3cr3t-value" not in log_path.read_text(encoding="utf-8")


def test_exception_logged_with_type_and_message_without_account(log_path: Path) -> None:
    try:
        raise ValueError("ledger refused +77011234567")
    except ValueError:
        logging.getLogger("sync").exception("send failed")

    entry = read_lines(log_path)[0]
    assert entry["exc_type"] == "ValueError"
    assert entry["exc_message"] == f"ledger refused {MASKED_PHONE}"
    assert "Traceback" in entry["traceback"]
    assert "1234567" not in log_path.read_text(encoding="utf-8")


def test_exception_as_field_keeps_type_and_message(log_path: Path) -> None:
    log_event(
        logging.getLogger("kiosk.printer"),
        "print failed",
        logging.ERROR,
        error=OSError("paper out"),
    )

    entry = read_lines(log_path)[0]
    assert entry["level"] == "ERROR"
    assert entry["error"] == {"type": "OSError", "message": "paper out"}


def test_fields_cannot_overwrite_the_four_core_keys(log_path: Path) -> None:
    log_event(logging.getLogger("kiosk"), "note stacked", ts="forged")
    logging.getLogger("kiosk").info("note returned", extra={"event": "other", "level": "x"})

    stacked, returned = read_lines(log_path)
    assert (stacked["ts"] != "forged", stacked["field_ts"]) == (True, "forged")
    assert (returned["event"], returned["level"]) == ("note returned", "INFO")
    assert (returned["field_event"], returned["field_level"]) == ("other", "x")


def test_non_ascii_text_stays_readable(log_path: Path) -> None:
    log_event(logging.getLogger("ui"), "экран оплаты", language="kk")

    assert "экран оплаты" in log_path.read_text(encoding="utf-8")


def test_level_filters_lower_events(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.jsonl"
    setup_logging(path, level="WARNING")

    log_event(logging.getLogger("kiosk"), "routine poll", logging.INFO)
    log_event(logging.getLogger("kiosk"), "validator lost", logging.WARNING)

    assert [e["event"] for e in read_lines(path)] == ["validator lost"]


def test_rotation_keeps_the_configured_number_of_files(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.jsonl"
    setup_logging(path, max_bytes=2000, backups=2)

    for number in range(200):
        log_event(logging.getLogger("kiosk"), "poll", number=number)

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["kiosk.jsonl", "kiosk.jsonl.1", "kiosk.jsonl.2"]
    for name in files:
        assert (tmp_path / name).stat().st_size <= 2000
        assert all(entry["event"] == "poll" for entry in read_lines(tmp_path / name))
    assert read_lines(path)[-1]["number"] == 199


def test_setup_twice_does_not_double_lines(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.jsonl"
    setup_logging(path)
    setup_logging(path)

    log_event(logging.getLogger("kiosk"), "started")

    assert len(read_lines(path)) == 1
    assert len(our_handlers()) == 1


def test_setup_again_moves_logs_to_the_new_place(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    setup_logging(first)
    setup_logging(second)

    log_event(logging.getLogger("kiosk"), "moved")

    assert first.read_text(encoding="utf-8") == ""
    assert read_lines(second)[0]["event"] == "moved"


def test_no_path_logs_json_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(None)

    log_event(logging.getLogger("kiosk"), "to stderr", account="+77011234567")

    entry = json.loads(capsys.readouterr().err.strip())
    assert (entry["event"], entry["account"]) == ("to stderr", MASKED_PHONE)


def test_unknown_level_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown log level 'LOUD'"):
        setup_logging(tmp_path / "kiosk.jsonl", level="LOUD")
