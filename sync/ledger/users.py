"""The back office's people: users with a role, passwords, the login lockout, sessions and
the record of what they do.

Passwords are hashed with scrypt (memory-hard), a random salt per user; the stored text
names the KDF and its parameters (``scrypt$N$r$p$salt$hash``), so new hashes can use
higher parameters while the old ones still verify. Comparison is constant-time, and an
unknown name costs the same hash as a known one, so timing tells no names.

A session's cookie carries a random id; the database keeps only its SHA-256. A session ends
after ``IDLE_S`` without a request or ``ABSOLUTE_S`` after login, whichever comes first.

Lockout: after ``FREE_FAILURES`` failed logins in a row for one name (or ``FREE_FAILURES_
ADDRESS`` from one client address) each further try must wait a pause that doubles with
every failure, from ``FIRST_PAUSE_S`` up to ``MAX_PAUSE_S``; a good login clears the count.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kiosk.domain.clock import Clock, iso_utc
from sync.ledger.models import ConsoleAction, ConsoleSession, ConsoleUser, LoginAttempt

T = TypeVar("T")
ROLES = ("viewer", "operator", "admin")  # each can do what the ones before it can
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
# scrypt: N=2**15, r=8 takes 32 MiB and about 0.1 s; raise N here, old hashes still verify.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
IDLE_S = 30 * 60
ABSOLUTE_S = 12 * 3600
FREE_FAILURES = 5
FREE_FAILURES_ADDRESS = 20
FIRST_PAUSE_S = 30
MAX_PAUSE_S = 15 * 60
ATTEMPT_WINDOW_S = 24 * 3600  # failures older than this are not counted


class UserError(Exception):
    """A user action refused; the message says why."""


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + 1024 * 1024
    )


def hash_password(password: str) -> str:
    """The stored form of ``password``: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time in the digest)."""
    try:
        kdf, n, r, p, salt, digest = stored.split("$")
        if kdf != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Verified against when the name is unknown, so that the answer takes as long.
_DUMMY_HASH = hash_password(secrets.token_hex(16))


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise UserError(
            f"a user name is 2 to 64 lowercase letters, digits, '.', '_' or '-', starting "
            f"with a letter or digit; got {name[:80]!r}"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"the role is one of {', '.join(ROLES)}; got {role[:40]!r}")
    return role


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(
            f"a password is {MIN_PASSWORD} to {MAX_PASSWORD} characters; "
            f"this one has {len(password)}"
        )
    return password


def new_password() -> str:
    """A generated password: 20 URL-safe characters (120 bits)."""
    return secrets.token_urlsafe(15)


def may(role: str, needed: str) -> bool:
    """Whether ``role`` may do what ``needed`` may (admin > operator > viewer)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    created_at: str

    def line(self) -> str:
        state = "" if self.active else "  (disabled)"
        return f"{self.name}  {self.role}  since {self.created_at}{state}"


@dataclass(frozen=True, slots=True)
class Session:
    """A live session: its user, and the token its forms must carry."""

    user: User
    csrf_token: str


@dataclass(frozen=True, slots=True)
class LoginResult:
    """A login: ``session_id`` for the cookie when it worked; otherwise ``wait_s`` > 0
    when the lockout refused to even check the password."""

    session_id: str | None = None
    wait_s: int = 0


@dataclass(frozen=True, slots=True)
class Action:
    at: str
    user_name: str
    action: str
    target: str
    reason: str


def pause_after(failures: int, free: int) -> int:
    """Seconds to wait after ``failures`` failures in a row (0 while under ``free``)."""
    if failures < free:
        return 0
    return int(min(MAX_PAUSE_S, FIRST_PAUSE_S * 2 ** min(failures - free, 20)))


def _user(row: Any) -> User:
    return User(
        id=row.id,
        name=row.name,
        role=row.role,
        active=bool(row.active),
        created_at=iso_utc(row.created_at / 1000),
    )


class Users:
    """The back office's users over the ledger's engine; one transaction per call."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def _now_ms(self) -> int:
        return int(self.clock.now() * 1000)

    def _writing(self, work: Callable[[Connection], T]) -> T:
        with self.engine.begin() as connection:
            return work(connection)

    # Users -------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str, by: str, reason: str) -> User:
        """A new active user; UserError if the name is taken or anything is malformed."""
        check_name(name)
        check_role(role)
        stored = hash_password(check_password(password))
        now = self._now_ms()

        def work(connection: Connection) -> None:
            connection.execute(
                insert(ConsoleUser).values(
                    name=name,
                    role=role,
                    password_hash=stored,
                    active=True,
                    created_at=now,
                    password_changed_at=now,
                )
            )
            self._record(connection, by, "user add", name, reason or f"role {role}")

        try:
            self._writing(work)
        except IntegrityError as exc:
            raise UserError(f"user {name} exists already") from exc
        user = self.find(name)
        assert user is not None
        return user

    def find(self, name: str) -> User | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(ConsoleUser).where(ConsoleUser.name == name)).first()
        return None if row is None else _user(row)

    def all(self) -> list[User]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(ConsoleUser).order_by(ConsoleUser.name)).all()
        return [_user(row) for row in rows]

    def disable(self, name: str, by: str, reason: str) -> None:
        """Disable ``name`` and end their sessions; UserError if there is no such user."""

        def work(connection: Connection) -> None:
            user_id = self._user_id(connection, name)
            connection.execute(
                update(ConsoleUser).where(ConsoleUser.id == user_id).values(active=False)
            )
            connection.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
            self._record(connection, by, "user disable", name, reason)

        self._writing(work)

    def set_password(self, name: str, password: str, by: str, reason: str) -> None:
        """Give ``name`` a new password and end their sessions."""
        stored = hash_password(check_password(password))
        now = self._now_ms()

        def work(connection: Connection) -> None:
            user_id = self._user_id(connection, name)
            connection.execute(
                update(ConsoleUser)
                .where(ConsoleUser.id == user_id)
                .values(password_hash=stored, password_changed_at=now)
            )
            connection.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
            self._record(connection, by, "user set-password", name, reason)

        self._writing(work)

    def _user_id(self, connection: Connection, name: str) -> int:
        user_id = connection.execute(
            select(ConsoleUser.id).where(ConsoleUser.name == name)
        ).scalar()
        if user_id is None:
            raise UserError(f"there is no user {name[:80]!r}")
        return int(user_id)

    # The record ---------------------------------------------------------------------------
    def _record(
        self, connection: Connection, by: str, action: str, target: str, reason: str
    ) -> None:
        connection.execute(
            insert(ConsoleAction).values(
                at=self._now_ms(), user_name=by, action=action, target=target[:128], reason=reason
            )
        )

    def record(self, by: str, action: str, target: str, reason: str) -> None:
        """Keep one action in the record (its own transaction)."""
        self._writing(lambda connection: self._record(connection, by, action, target, reason))

    def actions(self, limit: int = 100) -> list[Action]:
        """The newest actions first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(ConsoleAction).order_by(ConsoleAction.id.desc()).limit(limit)
            ).all()
        return [
            Action(iso_utc(row.at / 1000), row.user_name, row.action, row.target, row.reason)
            for row in rows
        ]

    # Logging in --------------------------------------------------------------------------
    def _failures(self, connection: Connection, column: Any, value: str) -> tuple[int, int]:
        """Failures in a row for one name or address (since its last good login, within
        the window) and the time of the latest."""
        since = self._now_ms() - ATTEMPT_WINDOW_S * 1000
        last_ok = connection.execute(
            select(func.max(LoginAttempt.at)).where(
                column == value,
                LoginAttempt.ok.is_(True),
                LoginAttempt.at >= since,
            )
        ).scalar()
        count, latest = connection.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                column == value,
                LoginAttempt.ok.is_(False),
                LoginAttempt.at >= max(since, (last_ok or 0) + 1),
            )
        ).one()
        return int(count), int(latest or 0)

    def wait_s(self, name: str, address: str) -> int:
        """Seconds before ``name`` from ``address`` may try again (0: now)."""
        now = self._now_ms()
        with self.engine.connect() as connection:
            waits = []
            for column, value, free in (
                (LoginAttempt.username, name, FREE_FAILURES),
                (LoginAttempt.address, address, FREE_FAILURES_ADDRESS),
            ):
                count, latest = self._failures(connection, column, value)
                until = latest + pause_after(count, free) * 1000
                waits.append(max(0, -(-(until - now) // 1000)))
        return max(waits)

    def login(self, name: str, password: str, address: str) -> LoginResult:
        """Check a password (unless locked out) and open a session when it is right."""
        name = name.strip().lower()[:64]
        address = address[:64]
        wait = self.wait_s(name, address)
        if wait:
            return LoginResult(wait_s=wait)
        with self.engine.connect() as connection:
            row = connection.execute(select(ConsoleUser).where(ConsoleUser.name == name)).first()
        stored = row.password_hash if row is not None else _DUMMY_HASH
        good = verify_password(password[:MAX_PASSWORD], stored) and row is not None
        good = good and bool(row.active)  # type: ignore[union-attr]
        now = self._now_ms()
        session_id = secrets.token_urlsafe(32)

        def work(connection: Connection) -> None:
            connection.execute(
                insert(LoginAttempt).values(username=name, address=address, at=now, ok=good)
            )
            if good:
                assert row is not None
                connection.execute(
                    insert(ConsoleSession).values(
                        id_hash=session_hash(session_id),
                        user_id=row.id,
                        csrf_token=secrets.token_urlsafe(32),
                        created_at=now,
                        last_seen_at=now,
                    )
                )

        self._writing(work)
        return LoginResult(session_id=session_id if good else None)

    def session(self, session_id: str) -> Session | None:
        """The live session of this cookie value, touched; None when unknown or expired."""
        now = self._now_ms()
        key = session_hash(session_id)

        def work(connection: Connection) -> Session | None:
            row = connection.execute(
                select(
                    ConsoleSession.csrf_token,
                    ConsoleSession.created_at.label("session_at"),
                    ConsoleSession.last_seen_at,
                    ConsoleUser.id,
                    ConsoleUser.name,
                    ConsoleUser.role,
                    ConsoleUser.active,
                    ConsoleUser.created_at,
                )
                .join(ConsoleUser, ConsoleUser.id == ConsoleSession.user_id)
                .where(ConsoleSession.id_hash == key)
            ).first()
            if row is None:
                return None
            expired = (
                now - row.last_seen_at > IDLE_S * 1000
                or now - row.session_at > ABSOLUTE_S * 1000
                or not row.active
            )
            if expired:
                connection.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == key))
                return None
            connection.execute(
                update(ConsoleSession).where(ConsoleSession.id_hash == key).values(last_seen_at=now)
            )
            user = User(row.id, row.name, row.role, True, iso_utc(row.created_at / 1000))
            return Session(user, row.csrf_token)

        return self._writing(work)

    def logout(self, session_id: str) -> None:
        key = session_hash(session_id)
        self._writing(
            lambda connection: connection.execute(
                delete(ConsoleSession).where(ConsoleSession.id_hash == key)
            )
        )
