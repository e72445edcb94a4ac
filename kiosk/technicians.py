"""The kiosk's technicians: each one a person with a number and a personal service PIN.

The PIN pad asks for the technician's number, then the PIN: one scrypt per try (a PIN alone
would mean trying every technician's hash, and refusing a PIN already taken would tell the
person adding it someone else's PIN). Each PIN is kept as a salted scrypt hash (memory-hard:
a stolen file is slow to guess through) in one small JSON file next to the kiosk's database.

Wrong tries count on the pad, not per technician (so trying every number does not multiply
the guesses): ``MAX_TRIES`` wrong ones in a row lock the pad for ``LOCK_S``, and each further
lockout before a good login doubles it (up to ``MAX_LOCK_S``). The count and the lock are in
the file, so a restart does not reset them. Decision 021."""

from __future__ import annotations

import contextlib
import enum
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from kiosk.domain.clock import Clock

FORMAT = "kiosk-technicians-1"
MAX_TRIES = 5
LOCK_S = 300.0
MAX_LOCK_S = 24 * 3600.0
MIN_DIGITS, MAX_DIGITS = 6, 12
NUMBER_DIGITS = 3  # technician numbers 1..999
NAME_MAX = 32  # the ledger's technician_id (sync/ledger/schema.py EncashmentIn)
_NAME_PUNCTUATION = frozenset(" .-_'")
ADD_HINT = "kiosk service add-technician NAME"


@dataclass(frozen=True, slots=True)
class ScryptCost:
    """scrypt's parameters, stored with each hash so a later kiosk can raise them."""

    n: int = 2**14
    r: int = 8
    p: int = 1

    def digest(self, pin: str, salt: bytes) -> bytes:
        return hashlib.scrypt(
            pin.encode(),
            salt=salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=256 * self.n * self.r + 1024 * 1024,
            dklen=32,
        )


DEFAULT_COST = ScryptCost()


class TechnicianError(ValueError):
    """A technician who cannot be added or removed, or a file that cannot be read or
    written; the message is one line saying what to do."""


class WeakPin(TechnicianError):
    """A PIN that is too easy to guess, with the reason."""


class LegacyPinFile(TechnicianError):
    """The file holds the old shared service PIN, which no longer opens the menu."""


class LoginOutcome(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"  # no such number, or a wrong PIN: the pad does not say which
    LOCKED = "locked"
    UNSET = "unset"  # no technician is registered


@dataclass(frozen=True, slots=True)
class Technician:
    number: int
    name: str
    added_at: float


@dataclass(frozen=True, slots=True)
class LoginCheck:
    outcome: LoginOutcome
    technician: Technician | None = None
    tries_left: int = MAX_TRIES
    locked_for_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome is LoginOutcome.OK


# -- what a PIN and a name may be --------------------------------------------------------
def _steps(pin: str) -> set[int]:
    return {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}


def weak_pin_reason(pin: str, terminal_id: str = "") -> str | None:
    """Why ``pin`` is refused, in one line, or None for a PIN that may be used."""
    if not (pin.isascii() and pin.isdigit() and MIN_DIGITS <= len(pin) <= MAX_DIGITS):
        return f"a service PIN is {MIN_DIGITS} to {MAX_DIGITS} digits 0-9"
    if len(set(pin)) == 1:
        return "this PIN is one digit repeated; choose digits that are hard to guess"
    if _steps(pin) in ({1}, {9}):
        return (
            "this PIN is a run of consecutive digits (like 123456 or 654321); "
            "choose digits that are hard to guess"
        )
    for size in range(2, len(pin) // 2 + 1):
        if len(pin) % size == 0 and pin == pin[:size] * (len(pin) // size):
            return (
                "this PIN repeats a short pattern (like 121212); "
                "choose digits that are hard to guess"
            )
    runs = [run for run in re.findall(r"\d+", terminal_id) if len(run) >= 4]
    if any(pin in run or run in pin for run in runs):
        return (
            f"this PIN contains the digits of the terminal id {terminal_id}, which is "
            "printed on the kiosk; choose other digits"
        )
    return None


def check_name(name: str) -> str:
    """The technician's name as it is recorded (trimmed), or TechnicianError: 1 to 32
    letters, digits, spaces and . - _ ' (it goes on the encashment receipt and to the
    ledger as technician_id)."""
    clean = " ".join(name.split())
    if not clean or len(clean) > NAME_MAX:
        raise TechnicianError(
            f"a technician's name is 1 to {NAME_MAX} characters "
            f"(it goes to the ledger), not {len(clean)}"
        )
    if not any(ch.isalpha() for ch in clean):
        raise TechnicianError(f"a technician's name has letters: {clean!r}")
    odd = sorted(
        {
            ch
            for ch in clean
            if not (ch.isalnum() or ch in _NAME_PUNCTUATION)
            or unicodedata.category(ch).startswith("C")
        }
    )
    if odd:
        raise TechnicianError(
            f"a technician's name is letters, digits, spaces and . - _ ', not {' '.join(odd)!r}"
        )
    return clean


# -- the file ----------------------------------------------------------------------------
def _damaged(path: Path, what: str) -> TechnicianError:
    return TechnicianError(
        f"the technician file {path} is damaged ({what}); move it away "
        f"and add the technicians again with '{ADD_HINT}'"
    )


def _parse(path: Path, text: str) -> dict[str, Any]:
    """The file's content, checked field by field (a damaged file is one clear line)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _damaged(path, f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise _damaged(path, "not a JSON object")
    if data.get("format") != FORMAT and {"salt", "hash"} <= data.keys():
        raise LegacyPinFile(
            f"{path} holds the old shared service PIN, which no longer opens the service "
            f"menu: add each technician with '{ADD_HINT}' (the first one replaces it)"
        )
    if data.get("format") != FORMAT:
        raise _damaged(path, f"format is not {FORMAT!r}")
    people = data.get("technicians")
    if not isinstance(people, list):
        raise _damaged(path, "no list of technicians")
    for index, person in enumerate(people):
        _check_technician(path, f"technician {index + 1}", person)
    _check_counters(path, data)
    return data


def _check_technician(path: Path, where: str, person: object) -> None:
    """One entry of the list: every field of its type, salt and hash in hex."""
    if not isinstance(person, dict):
        raise _damaged(path, f"{where} is not an object")
    for key, kind in (
        ("number", int),
        ("name", str),
        ("salt", str),
        ("hash", str),
        ("n", int),
        ("r", int),
        ("p", int),
        ("added_at", (int, float)),
    ):
        value = person.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _damaged(path, f"{where} has no valid {key!r}")
    try:
        bytes.fromhex(person["salt"]), bytes.fromhex(person["hash"])
    except ValueError as exc:
        raise _damaged(path, f"{where}'s salt or hash is not hex") from exc


def _check_counters(path: Path, data: dict[str, Any]) -> None:
    """The file's counters and lock: whole numbers, and seconds."""
    for key in ("failures", "lockouts", "next_number"):
        if not isinstance(data.get(key), int) or isinstance(data.get(key), bool):
            raise _damaged(path, f"no valid {key!r}")
    for key in ("locked_until", "lock_s"):
        if not isinstance(data.get(key), (int, float)) or isinstance(data.get(key), bool):
            raise _damaged(path, f"no valid {key!r}")


def _empty() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "technicians": [],
        "next_number": 1,
        "failures": 0,
        "lockouts": 0,
        "locked_until": 0.0,
        "lock_s": 0.0,
    }


_R = TypeVar("_R")


def _exclusive(method: Callable[..., _R]) -> Callable[..., _R]:
    """Run a read-change-write of the file under its lock: the kiosk counting a wrong try
    and ``kiosk service add-technician`` at the same moment both land."""

    def locked(self: Technicians, *args: Any, **kwargs: Any) -> _R:
        with self._lock():
            return method(self, *args, **kwargs)

    locked.__doc__, locked.__name__ = method.__doc__, method.__name__
    return locked


class Technicians:
    """The technicians of one kiosk, in the file at ``path`` (``kiosk service
    add-technician``). ``terminal_id`` refuses PINs made of the kiosk's own id."""

    def __init__(
        self, path: Path, clock: Clock, *, terminal_id: str = "", cost: ScryptCost = DEFAULT_COST
    ) -> None:
        self.path = path
        self.clock = clock
        self.terminal_id = terminal_id
        self.cost = cost

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise TechnicianError(f"cannot lock the technician file {self.path}: {exc}") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def _read(self) -> dict[str, Any] | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise TechnicianError(f"cannot read the technician file {self.path}: {exc}") from exc
        return _parse(self.path, text)

    def _write(self, data: dict[str, Any]) -> None:
        """Replace the file whole (a crash leaves the old one or the new one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(data, ensure_ascii=False, indent=1))
                out.flush()
                os.fsync(out.fileno())
            temporary.replace(self.path)
        except OSError as exc:
            raise TechnicianError(f"cannot write the technician file {self.path}: {exc}") from exc

    # -- who ----------------------------------------------------------------------------
    def registered(self) -> tuple[Technician, ...]:
        data = self._read()
        people = [] if data is None else data["technicians"]
        return tuple(
            Technician(p["number"], p["name"], float(p["added_at"]))
            for p in sorted(people, key=lambda p: p["number"])
        )

    @property
    def is_set(self) -> bool:
        """At least one technician can open the menu."""
        return bool(self.registered())

    @_exclusive
    def add(self, name: str, pin: str, *, number: int | None = None) -> Technician:
        """Register a technician; the old shared PIN file, if that is what is there, is
        replaced. Returns the technician with the number to type at the kiosk."""
        clean = check_name(name)
        reason = weak_pin_reason(pin, self.terminal_id)
        if reason is not None:
            raise WeakPin(reason)
        try:
            data = self._read() or _empty()
        except LegacyPinFile:
            data = _empty()
        people: list[dict[str, Any]] = data["technicians"]
        if any(p["name"].casefold() == clean.casefold() for p in people):
            raise TechnicianError(
                f"there is already a technician named {clean!r}; "
                "remove them first or choose another name"
            )
        if number is None:
            number = max([data["next_number"], *(p["number"] + 1 for p in people)])
        if not 1 <= number < 10**NUMBER_DIGITS:
            raise TechnicianError(f"a technician number is 1 to {10**NUMBER_DIGITS - 1}")
        if any(p["number"] == number for p in people):
            raise TechnicianError(f"technician number {number} is taken")
        salt = secrets.token_bytes(16)
        cost = self.cost
        people.append(
            {
                "number": number,
                "name": clean,
                "salt": salt.hex(),
                "hash": cost.digest(pin, salt).hex(),
                "n": cost.n,
                "r": cost.r,
                "p": cost.p,
                "added_at": self.clock.now(),
            }
        )
        data["next_number"] = max(data["next_number"], number + 1)
        self._write(data)
        return Technician(number, clean, self.clock.now())

    @_exclusive
    def remove(self, name: str) -> Technician:
        data = self._read()
        people: list[dict[str, Any]] = [] if data is None else data["technicians"]
        wanted = " ".join(name.split()).casefold()
        for person in people:
            if person["name"].casefold() == wanted:
                people.remove(person)
                assert data is not None
                self._write(data)
                return Technician(person["number"], person["name"], float(person["added_at"]))
        known = ", ".join(p["name"] for p in people) or "none"
        raise TechnicianError(f"no technician named {name!r} (registered: {known})")

    @_exclusive
    def unlock(self) -> None:
        """Clear the pad's wrong tries and lock (for someone at the kiosk's shell)."""
        data = self._read()
        if data is not None:
            self._write({**data, "failures": 0, "lockouts": 0, "locked_until": 0.0, "lock_s": 0.0})

    # -- the pad ------------------------------------------------------------------------
    def lock_remaining(self) -> float:
        """Seconds the pad stays locked (0 when open)."""
        data = self._read()
        return 0.0 if data is None else self._remaining(data)

    def _remaining(self, data: dict[str, Any]) -> float:
        # Never more than the lock's own length: a wall clock set back does not lengthen it.
        left = float(data["locked_until"]) - self.clock.now()
        return max(0.0, min(left, float(data["lock_s"])))

    @_exclusive
    def check(self, number: int, pin: str) -> LoginCheck:
        """A typed number and PIN. A wrong one costs a try whether the number exists or not
        (the same work is done, so the pad's answer and its time say nothing about which)."""
        data = self._read()
        if data is None or not data["technicians"]:
            return LoginCheck(LoginOutcome.UNSET, tries_left=0)
        left = self._remaining(data)
        if left > 0:
            return LoginCheck(LoginOutcome.LOCKED, tries_left=0, locked_for_s=left)
        person = next((p for p in data["technicians"] if p["number"] == number), None)
        if person is None:
            ScryptCost().digest(pin, b"\0" * 16)
            matched = False
        else:
            cost = ScryptCost(person["n"], person["r"], person["p"])
            typed = cost.digest(pin, bytes.fromhex(person["salt"]))
            matched = hmac.compare_digest(typed, bytes.fromhex(person["hash"]))
        if matched and person is not None:
            self._write({**data, "failures": 0, "lockouts": 0, "locked_until": 0.0, "lock_s": 0.0})
            return LoginCheck(
                LoginOutcome.OK,
                Technician(person["number"], person["name"], float(person["added_at"])),
            )
        failures = data["failures"] + 1
        if failures < MAX_TRIES:
            self._write({**data, "failures": failures})
            return LoginCheck(LoginOutcome.WRONG, tries_left=MAX_TRIES - failures)
        lock_s = min(LOCK_S * 2 ** min(data["lockouts"], 20), MAX_LOCK_S)
        self._write(
            {
                **data,
                "failures": 0,
                "lockouts": data["lockouts"] + 1,
                "locked_until": self.clock.now() + lock_s,
                "lock_s": lock_s,
            }
        )
        return LoginCheck(LoginOutcome.LOCKED, tries_left=0, locked_for_s=lock_s)


def default_technicians_path(storage_url: str) -> Path:
    """The file next to the kiosk's database (``…/kiosk.db`` → ``…/service-pin.json``, the
    name the shared PIN had, so an old file is found and replaced)."""
    prefix = "sqlite:///"
    if not storage_url.startswith(prefix):
        raise TechnicianError(
            f"cannot place the technician file next to storage {storage_url!r}; pass --pin-file"
        )
    return Path("/" + storage_url[len(prefix) :].lstrip("/")).parent / "service-pin.json"
