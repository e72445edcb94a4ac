"""The systemd notify protocol (``sd_notify``), in a few lines of Python: ``READY=1`` once
the kiosk serves customers, ``WATCHDOG=1`` from the core loop (a hung core stops pinging
and systemd restarts the service), ``STOPPING=1`` and ``STATUS=…``.

Datagrams go to the AF_UNIX socket named by ``NOTIFY_SOCKET`` (a path, or ``@name`` for an
abstract socket). Without it (not started by systemd) every call does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger("kiosk.sdnotify")


class Notifier:
    """Sends ``sd_notify`` datagrams; never raises on a failed send (it logs the first one)."""

    def __init__(
        self,
        address: str | None,
        watchdog_s: float | None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.address = address
        self._watchdog_s = watchdog_s
        self._monotonic = monotonic
        self._last_ping = float("-inf")
        self._warned = False

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> Notifier:
        """The notifier systemd asked for: ``NOTIFY_SOCKET``, ``WATCHDOG_USEC`` (ignored when
        ``WATCHDOG_PID`` names another process)."""
        env = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET") or None
        watchdog_s = None
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        if usec.isdigit() and int(usec) > 0 and (not pid or pid == str(os.getpid())):
            watchdog_s = int(usec) / 1_000_000
        return cls(address, watchdog_s, monotonic=monotonic)

    @property
    def watchdog_interval(self) -> float | None:
        """systemd's watchdog interval in seconds (``WatchdogSec=``), None when it is off."""
        return self._watchdog_s

    def _send(self, message: str) -> bool:
        if not self.address:
            return False
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
                sock.sendto(message.encode(), target)
        except OSError as exc:
            if not self._warned:  # once: a lost watchdog would flood the log otherwise
                self._warned = True
                log.warning(
                    "systemd notification failed",
                    extra={"fields": {"error": str(exc), "message": message.split("=", 1)[0]}},
                )
            return False
        return True

    def ready(self) -> bool:
        """``READY=1``: start-up is over (``Type=notify`` units count as started now)."""
        return self._send("READY=1")

    def stopping(self) -> bool:
        """``STOPPING=1``: the service is shutting down on purpose."""
        return self._send("STOPPING=1")

    def status(self, text: str) -> bool:
        """``STATUS=…`` as one line, shown by ``systemctl status``."""
        return self._send("STATUS=" + " ".join(text.split()))

    def watchdog(self) -> bool:
        """Ping the watchdog, at most once per half its interval (called every core turn)."""
        if self._watchdog_s is None:
            return False
        now = self._monotonic()
        if now - self._last_ping < self._watchdog_s / 2:
            return False
        self._last_ping = now
        return self._send("WATCHDOG=1")
