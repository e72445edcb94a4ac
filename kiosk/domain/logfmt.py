"""The structured-log vocabulary both the kiosk and the ledger speak: one JSON object a line,
account numbers masked, secrets hidden.

Every line has ``ts`` (ISO-8601 UTC with milliseconds), ``level``, ``logger`` and ``event`` (the
message), then the fields passed to :func:`log_event` or ``extra=``. Every text goes through
:func:`kiosk.domain.privacy.redact` on its way out, so no full account number reaches a log.

Only the stdlib ``logging`` module: where the lines go is the caller's choice (the kiosk's
rotating files in :mod:`kiosk.logs`, the ledger's stderr in :mod:`sync.ledger.logs`); both
install their handler with :func:`install_handler`, so handlers never double.
"""

from __future__ import annotations

import enum
import json
import logging
import sys
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from kiosk.domain.privacy import mask_account, redact

HIDDEN = "***"
LEVELS = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}

_FIELDS_ATTR = "kiosk_fields"
_OURS_ATTR = "kiosk_structured"
_SECRET_NAMES = ("secret", "pin", "password", "token")
_ACCOUNT_NAMES = ("account",)
_CORE_KEYS = ("ts", "level", "logger", "event")
_MAX_DEPTH = 6
# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    _FIELDS_ATTR,
}


def _named(key: str, names: tuple[str, ...]) -> bool:
    """``pin``, ``PIN`` and ``card_pin`` all count as a ``pin`` field."""
    lowered = key.lower()
    return any(lowered == name or lowered.endswith("_" + name) for name in names)


def clean_value(key: str, value: Any, depth: int = 0) -> Any:
    """A field value made safe for a log line and for JSON."""
    if _named(key, _SECRET_NAMES):
        return HIDDEN
    if _named(key, _ACCOUNT_NAMES) and isinstance(value, str | int) and not isinstance(value, bool):
        return mask_account(str(value))
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return clean_value(key, value.value, depth + 1)
    if isinstance(value, int | float):
        text = str(value)
        masked = redact(text)
        return value if masked == text else masked  # a phone number given as an int
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, BaseException):
        return {"type": type(value).__name__, "message": redact(str(value))}
    if depth >= _MAX_DEPTH:
        return redact(str(value))
    if isinstance(value, Mapping):
        return {str(k): clean_value(str(k), v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_value(key, item, depth + 1) for item in value]
    return redact(str(value))


def _timestamp(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": _timestamp(record.created),
            "level": record.levelname,
            "logger": record.name,
            "event": redact(record.getMessage()),
        }
        fields = {k: v for k, v in vars(record).items() if k not in _RECORD_ATTRS}
        fields.update(getattr(record, _FIELDS_ATTR, None) or {})
        for key, value in fields.items():
            # A field never overwrites the four keys every reader relies on.
            entry[f"field_{key}" if key in _CORE_KEYS else key] = clean_value(key, value)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["exc_type"] = type(error).__name__
            entry["exc_message"] = redact(str(error))
            entry["traceback"] = redact("".join(traceback.format_exception(error)))
        if record.stack_info:
            entry["stack"] = redact(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the moment (it may be replaced, e.g. by tests)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        """The stream is always the current stderr; assignments are ignored."""


def level_number(level: str) -> int:
    """The logging level named ``level`` (any case); ValueError naming the known ones."""
    numeric = LEVELS.get(level.upper())
    if numeric is None:
        raise ValueError(f"unknown log level {level!r}; use one of {', '.join(LEVELS)}")
    return numeric


def install_handler(handler: logging.Handler, level: str) -> None:
    """Make ``handler`` the root logger's structured handler (JSON lines) at ``level``.

    The handler installed by an earlier call (by the kiosk or the ledger) is removed and
    closed first, so handlers never double."""
    numeric = level_number(level)
    setattr(handler, _OURS_ATTR, True)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, _OURS_ATTR, False):
            root.removeHandler(old)
            old.close()
    root.addHandler(handler)
    root.setLevel(numeric)


def log_event(logger: logging.Logger, event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log ``event`` with structured ``fields`` (masked and redacted when formatted)."""
    logger.log(level, event, extra={_FIELDS_ATTR: fields}, stacklevel=2)
