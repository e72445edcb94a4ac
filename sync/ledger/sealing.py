"""Terminal secrets at rest: sealed with AES-256-GCM under the ledger's key file.

The ledger must keep each terminal's HMAC secret (it signs and checks with it), so a copy
of the database alone must not give them away. Each secret is stored as
``v1:<nonce b64>:<ciphertext b64>``: AES-256-GCM with a fresh 96-bit nonce and the terminal
id as associated data (a sealed secret copied onto another terminal's row does not open).

The key is 32 random bytes in a file only its owner may read (mode 0600), as 64 hex digits
or base64. Where it is (``--secrets-key-file``, else ``KIOSK_LEDGER_SECRETS_KEY_FILE``):

* SQLite: by default ``<database file>.key`` beside the database, made on first use;
* PostgreSQL: must be named (the database is elsewhere; the key must not live in it);
* an in-memory SQLite database: a key of this process only (the data dies with it too).

A missing key file is made only while the database holds no sealed secret: once secrets
are sealed, a lost key is an error to fix (restore the file), never a new key.
Secrets stored in clear by an older ledger are sealed when the ledger opens (decision 020).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, select, update
from sqlalchemy.engine.url import make_url

from sync.ledger.db import LedgerDatabaseError
from sync.ledger.models import Terminal

KEY_ENV = "KIOSK_LEDGER_SECRETS_KEY_FILE"
KEY_BYTES = 32
NONCE_BYTES = 12
SEALED_PREFIX = "v1:"


class SecretsKeyError(LedgerDatabaseError):
    """The secrets key file is missing, unsafe, malformed or not this database's key."""


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


@dataclass(frozen=True, slots=True)
class SecretSealer:
    """Seals and opens terminal secrets with one key; ``path`` names it in errors."""

    key: bytes
    path: Path | None  # None: a key of this process (in-memory database)

    def __repr__(self) -> str:  # never the key
        return f"SecretSealer(path={self.path!r})"

    def _where(self) -> str:
        return "this process's key" if self.path is None else f"the key file {self.path}"

    def seal(self, terminal_id: str, secret: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self.key).encrypt(nonce, secret.encode(), terminal_id.encode())
        return (
            SEALED_PREFIX
            + base64.b64encode(nonce).decode()
            + ":"
            + base64.b64encode(sealed).decode()
        )

    def open(self, terminal_id: str, stored: str) -> str:
        """The secret in ``stored`` (sealed text); SecretsKeyError when it does not open."""
        try:
            version, nonce_text, sealed_text = stored.split(":")
            if version + ":" != SEALED_PREFIX:
                raise ValueError(version)
            nonce = base64.b64decode(nonce_text, validate=True)
            sealed = base64.b64decode(sealed_text, validate=True)
        except (ValueError, binascii.Error):
            raise SecretsKeyError(
                f"the stored secret of terminal {terminal_id} is not a sealed secret "
                f"({SEALED_PREFIX}...): the terminals table was edited by hand"
            ) from None
        try:
            plain = AESGCM(self.key).decrypt(nonce, sealed, terminal_id.encode())
        except (InvalidTag, ValueError):
            raise SecretsKeyError(
                f"the secret of terminal {terminal_id} does not open with {self._where()}: "
                "is it the key this ledger database was sealed with?"
            ) from None
        return plain.decode()


def key_path_for(
    url: str, given: Path | None, environ: Mapping[str, str] = os.environ
) -> Path | None:
    """Where the key of the database at ``url`` is; None for an in-memory SQLite database.

    ``given`` (``--secrets-key-file``) wins, then ``KIOSK_LEDGER_SECRETS_KEY_FILE``, then,
    for SQLite only, the file beside the database."""
    if given is not None:
        return given
    named = environ.get(KEY_ENV, "").strip()
    if named:
        return Path(named)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or "mode=memory" in str(parsed):
            return None
        return Path(database + ".key")
    raise SecretsKeyError(
        "a PostgreSQL ledger needs its secrets key file: give --secrets-key-file FILE (or set "
        f"{KEY_ENV}); a missing one is made on first use, mode 0600: keep it off the database "
        "server"
    )


def read_key(path: Path) -> bytes:
    """The key in ``path``: the file must be a regular file no one else may read."""
    try:
        info = path.stat()
    except OSError as exc:
        raise SecretsKeyError(f"cannot read the secrets key file {path}: {exc.strerror}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SecretsKeyError(f"the secrets key file {path} is not a regular file")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise SecretsKeyError(
            f"the secrets key file {path} has mode {mode:04o}: others may read it; "
            f"run 'chmod 600 {path}'"
        )
    try:
        text = path.read_text("ascii").strip()
    except OSError as exc:
        raise SecretsKeyError(f"cannot read the secrets key file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError:
        text = ""
    key = _decode_key(text)
    if key is None:
        raise SecretsKeyError(
            f"the secrets key file {path} must hold {KEY_BYTES} bytes as {2 * KEY_BYTES} hex "
            "digits or base64 (make one: python3 -c 'import secrets; "
            "print(secrets.token_hex(32))')"
        )
    return key


def _decode_key(text: str) -> bytes | None:
    try:
        key = (
            bytes.fromhex(text)
            if len(text) == 2 * KEY_BYTES
            else base64.b64decode(text, validate=True)
        )
    except (ValueError, binascii.Error):
        return None
    return key if len(key) == KEY_BYTES else None


def create_key(path: Path) -> bytes:
    """A new key written to ``path`` (mode 0600); when another process made it first, its
    key. The file appears whole or not at all (written aside, then linked into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        descriptor = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key.hex() + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(aside, path)
        except FileExistsError:
            return read_key(path)
    except OSError as exc:
        raise SecretsKeyError(f"cannot create the secrets key file {path}: {exc.strerror}") from exc
    finally:
        aside.unlink(missing_ok=True)
    return key


def prepare_sealer(engine: Engine, path: Path | None) -> SecretSealer:
    """The sealer of a migrated database: its key read (or made while nothing is sealed),
    checked against a stored secret, and any secret still in clear sealed."""
    if path is None:
        sealer = SecretSealer(secrets.token_bytes(KEY_BYTES), None)
    elif path.exists() or path.is_symlink():
        sealer = SecretSealer(read_key(path), path)
    else:
        if _stored_secrets(engine, sealed=True):
            raise SecretsKeyError(
                f"the secrets key file {path} is missing, but the ledger database holds "
                "secrets sealed with it: restore the file from its backup"
            )
        sealer = SecretSealer(create_key(path), path)
    sealed = _stored_secrets(engine, sealed=True)
    if sealed:
        terminal_id, stored = sealed[0]
        sealer.open(terminal_id, stored)  # the wrong key fails here, at start, not per request
    seal_plaintext(engine, sealer)
    return sealer


def _stored_secrets(engine: Engine, *, sealed: bool) -> list[tuple[str, str]]:
    """(terminal id, stored text) of every current and previous secret, sealed or in clear."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(Terminal.id, Terminal.secret, Terminal.previous_secret)
        ).all()
    found = []
    for terminal_id, current, previous in rows:
        for stored in (current, previous):
            if stored is not None and is_sealed(stored) == sealed:
                found.append((terminal_id, stored))
    return found


def seal_plaintext(engine: Engine, sealer: SecretSealer) -> int:
    """Seal every secret an older ledger stored in clear; the number sealed. Each update
    names the clear text it replaces, so two processes sealing at once do it once."""
    done = 0
    for terminal_id, stored in _stored_secrets(engine, sealed=False):
        sealed = sealer.seal(terminal_id, stored)
        with engine.begin() as connection:
            for column in (Terminal.secret, Terminal.previous_secret):
                done += connection.execute(
                    update(Terminal)
                    .where(Terminal.id == terminal_id, column == stored)
                    .values({column.key: sealed})
                ).rowcount
    return done
