"""The eSSP key file: a validator's 64-bit fixed key, written as 16 hex digits.

The file holds the number as it is written on the unit's paperwork (most significant digit
first), optionally with a ``0x`` prefix; whitespace around it is ignored. Messages and logs
name the file and what is wrong with it, never the key.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

__all__ = ["KEY_DIGITS", "KeyFileError", "read_fixed_key", "write_fixed_key"]

log = logging.getLogger(__name__)

KEY_DIGITS = 16  # 64 bits
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_EXPECTED = f"it must hold the unit's eSSP fixed key as {KEY_DIGITS} hex digits"


class KeyFileError(ValueError):
    """The eSSP key file is missing, unreadable or not a 64-bit key in hex."""


def read_fixed_key(path: Path) -> int:
    """The eSSP fixed key in ``path``; raises ``KeyFileError``. Warns (log) when the file
    can be read by other users, as ssh does for a private key, but accepts it."""
    try:
        with open(path, "rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            if not stat.S_ISREG(mode):  # a device or a pipe could be read forever
                raise KeyFileError(f"eSSP key file {path} is not a regular file")
            raw = file.read()
    except FileNotFoundError:
        raise KeyFileError(f"eSSP key file {path} does not exist; {_EXPECTED}") from None
    except PermissionError:
        raise KeyFileError(
            f"cannot read the eSSP key file {path}: permission denied (make it readable by"
            " the user the kiosk runs as, and by no one else: chmod 600)"
        ) from None
    except IsADirectoryError:
        raise KeyFileError(f"eSSP key file {path} is a directory, not a file") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read the eSSP key file {path}: {exc.strerror or exc}") from None
    if mode & 0o077:
        log.warning(
            "the eSSP key file %s can be read by other users (mode %03o): chmod 600 it",
            path,
            stat.S_IMODE(mode),
        )
    return _parse(raw, path)


def _parse(raw: bytes, path: Path) -> int:
    text = raw.decode("ascii", errors="replace").strip()
    if not text:
        raise KeyFileError(f"eSSP key file {path} is empty; {_EXPECTED}")
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    if not set(digits) <= _HEX_DIGITS:
        # Which character is wrong would reveal part of the key: say only that one is.
        raise KeyFileError(
            f"eSSP key file {path} holds characters that are not hex digits (0-9, a-f); {_EXPECTED}"
        )
    if len(digits) != KEY_DIGITS:
        raise KeyFileError(f"eSSP key file {path} holds {len(digits)} hex digits; {_EXPECTED}")
    return int(digits, 16)


def write_fixed_key(path: Path, fixed_key: int) -> None:
    """Write ``fixed_key`` to ``path`` as ``read_fixed_key`` reads it, readable by the owner
    only (mode 0600, set before the key is written)."""
    if not 0 <= fixed_key < 1 << (4 * KEY_DIGITS):
        raise ValueError("the eSSP fixed key is a 64-bit number")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        os.fchmod(file.fileno(), 0o600)  # an existing file keeps its mode through os.open
        file.write(f"{fixed_key:0{KEY_DIGITS}X}\n")
