"""Injected time: the core, the sync worker and the simulators never read the wall clock
directly."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

# Kazakhstan has one time zone, UTC+5, since 2024-03-01 (Asia/Almaty). Fixed rather than
# read from tzdata, so a host without it shows the receipt's time: receipts, the kiosk's
# screens and the ledger's pages all use this one.
KZ_TIME = timezone(timedelta(hours=5), "ALMT")


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch (wall time, for records)."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin that never goes back (for timeouts)."""

    def sleep(self, seconds: float) -> None:
        """Wait; a manual clock advances instead."""


class SystemClock:
    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class ManualClock:
    """A clock that moves only when told: a simulated day runs in seconds."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01T00:00:00Z
        self._now = start
        self._mono = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        with self._lock:
            self._now += seconds
            self._mono += seconds

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)


def iso_utc(unix_seconds: float) -> str:
    """ISO 8601 in UTC with milliseconds, the form stored and sent to the ledger."""
    return datetime.fromtimestamp(unix_seconds, UTC).isoformat(timespec="milliseconds")
