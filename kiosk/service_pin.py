"""The technician's service PIN: a salted, slow hash in a small JSON file; five wrong tries
lock the service menu for five minutes (the count survives a restart)."""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk.clock import Clock

MAX_TRIES = 5
LOCK_S = 300.0
_ITERATIONS = 200_000
_MIN_DIGITS, _MAX_DIGITS = 4, 12


class PinError(ValueError):
    """A PIN that cannot be set, or a PIN file that cannot be read or written."""


class PinOutcome(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    UNSET = "unset"


@dataclass(frozen=True, slots=True)
class PinCheck:
    outcome: PinOutcome
    tries_left: int = MAX_TRIES
    locked_for_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome is PinOutcome.OK


def _digest(pin: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, _ITERATIONS)


class ServicePin:
    """The PIN file at ``path`` (created by ``kiosk service set-pin``)."""

    def __init__(self, path: Path, clock: Clock) -> None:
        self.path = path
        self.clock = clock

    def _read(self) -> dict[str, object] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise PinError(f"cannot read the service PIN file {self.path}: {exc}; "
                           "set the PIN again with 'kiosk service set-pin'") from exc
        if not isinstance(data, dict) or not {"salt", "hash"} <= data.keys():
            raise PinError(f"the service PIN file {self.path} is damaged; "
                           "set the PIN again with 'kiosk service set-pin'")
        return data

    def _write(self, data: dict[str, object]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        try:
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.chmod(temporary, 0o600)
            temporary.replace(self.path)
        except OSError as exc:
            raise PinError(f"cannot write the service PIN file {self.path}: {exc}") from exc

    @property
    def is_set(self) -> bool:
        return self._read() is not None

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (4 to 12 digits); clears any lock."""
        if not (pin.isdigit() and pin.isascii() and _MIN_DIGITS <= len(pin) <= _MAX_DIGITS):
            raise PinError(f"a service PIN is {_MIN_DIGITS} to {_MAX_DIGITS} digits")
        salt = secrets.token_bytes(16)
        self._write({"salt": salt.hex(), "hash": _digest(pin, salt).hex(),
                     "failures": 0, "locked_until": 0.0})

    def check(self, pin: str) -> PinCheck:
        """Compare a typed PIN; the fifth wrong one in a row locks for ``LOCK_S``."""
        data = self._read()
        if data is None:
            return PinCheck(PinOutcome.UNSET, 0)
        now = self.clock.now()
        locked_until = float(data.get("locked_until", 0.0))  # type: ignore[arg-type]
        if now < locked_until:
            return PinCheck(PinOutcome.LOCKED, 0, locked_until - now)
        failures = int(data.get("failures", 0))  # type: ignore[call-overload]
        if locked_until:  # the lock has run out: a fresh set of tries
            failures = 0
        expected = bytes.fromhex(str(data["hash"]))
        if hmac.compare_digest(_digest(pin, bytes.fromhex(str(data["salt"]))), expected):
            self._write({**data, "failures": 0, "locked_until": 0.0})
            return PinCheck(PinOutcome.OK)
        failures += 1
        if failures >= MAX_TRIES:
            self._write({**data, "failures": 0, "locked_until": now + LOCK_S})
            return PinCheck(PinOutcome.LOCKED, 0, LOCK_S)
        self._write({**data, "failures": failures, "locked_until": 0.0})
        return PinCheck(PinOutcome.WRONG, MAX_TRIES - failures)


def default_pin_path(storage_url: str) -> Path:
    """The PIN file next to the kiosk's database (``…/kiosk.db`` → ``…/service-pin.json``)."""
    prefix = "sqlite:///"
    if not storage_url.startswith(prefix):
        raise PinError(f"cannot place the service PIN file next to storage {storage_url!r}; "
                       "pass --pin-file")
    return Path("/" + storage_url[len(prefix):].lstrip("/")).parent / "service-pin.json"
