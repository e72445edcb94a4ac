"""Operation ids: UUIDv7 (RFC 9562), time-ordered, created when a session opens."""

from __future__ import annotations

import random
import threading
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7(unix_ms: int, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 for the given millisecond time, monotonic within this process.

    Time and randomness are injected so simulations replay from their seed.
    """
    global _last_ms, _counter
    with _lock:
        if unix_ms <= _last_ms:
            # Same or earlier millisecond (clock step back): keep ids ordered.
            unix_ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:
                unix_ms += 1
                _counter = 0
        else:
            _counter = rng.getrandbits(11)
        _last_ms = unix_ms
        rand_a = _counter
    rand_b = rng.getrandbits(62)
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= rand_a << 64
    value |= 0b10 << 62
    value |= rand_b
    return uuid.UUID(int=value)
