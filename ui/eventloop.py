"""Running the Qt event loop until something holds, for tools and tests.

Why not ``QCoreApplication.processEvents`` or ``QTest.qWait``: with this PySide6 each call
drops a reference to Python's ``None`` (after ~90 000 calls the process aborts); the method
on a ``QEventLoop`` instance does not.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer

_FLAGS = QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents


class Timeout(Exception):
    """What was waited for did not happen in time."""


def pump(until: Callable[[], bool], what: str, timeout_s: float = 10.0) -> None:
    """Process events (sleeping while there are none) until ``until()`` holds."""
    loop = QEventLoop()
    wake = QTimer()
    wake.setInterval(10)  # WaitForMoreEvents needs something to wake it to re-check
    wake.start()
    deadline = QDeadlineTimer(int(timeout_s * 1000))
    try:
        while not until():
            if deadline.hasExpired():
                raise Timeout(f"timed out after {timeout_s} s waiting for {what}")
            loop.processEvents(_FLAGS)
    finally:
        wake.stop()


def settle(ms: int = 80) -> None:
    """Let layout and rendering catch up for ``ms`` milliseconds."""
    deadline = QDeadlineTimer(ms)
    pump(deadline.hasExpired, "the screen to settle", timeout_s=ms / 1000 + 5)
