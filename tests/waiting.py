"""The one place a test waits by looking again: for a state kept by another process, in /proc,
or behind a socket, which cannot tell us when it changes.

Everything a test can be told about (a thread's Event, a child's output line, a socket
becoming readable, a Qt signal) is waited for directly; only what has no such signal comes
here, and a wait that runs out fails with what it was waiting for."""

from __future__ import annotations

import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import TypeVar

from kiosk.core import KioskCore
from kiosk.session import Snapshot

T = TypeVar("T")

LOOK_AGAIN_S = 0.05  # between looks: short next to every timeout, long next to one look


def wait_for(
    predicate: Callable[[], T | None], timeout: float, what: str, *, every: float = LOOK_AGAIN_S
) -> T:
    """Look at ``predicate`` every ``every`` seconds until it returns something true and
    return that; after ``timeout`` seconds fail with
    ``AssertionError("timed out after …s waiting for WHAT")``.

    For conditions that cannot wake the test when they change: another process's files,
    sockets or answers, the kernel's process table, a device simulator's state, or a
    kiosk's threads that publish nothing for what the test waits for."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


def closed_by_peer(socks: Iterable[socket.socket], at_least: int, timeout: float) -> int:
    """Wait, on the sockets themselves (an epoll selector, not a sleep), until the other end
    has closed ``at_least`` of ``socks`` or ``timeout`` seconds pass; how many it closed.

    A socket the peer closed turns readable and reads ``b""`` (or is reset)."""
    deadline = time.monotonic() + timeout
    closed = 0
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        while closed < at_least and (left := deadline - time.monotonic()) > 0:
            for key, _events in selector.select(left):
                peer = key.fileobj
                assert isinstance(peer, socket.socket)
                selector.unregister(peer)
                try:
                    closed += peer.recv(1) == b""
                except ConnectionResetError:
                    closed += 1
    return closed


class Snapshots:
    """The snapshots a core publishes, kept as they come (on the core's thread), so that a
    test waits for the one it needs instead of looking again.

    Subscribe before causing the change; ``current`` is the snapshot at subscription (read
    by the caller, e.g. ``runner.call(core.snapshot)``), kept unless one was published
    meanwhile."""

    def __init__(self, core: KioskCore, current: Callable[[], Snapshot]) -> None:
        self._changed = threading.Condition()
        self._last: Snapshot | None = None
        core.subscribe(self._published)
        first = current()
        with self._changed:
            if self._last is None:
                self._last = first

    def _published(self, snapshot: Snapshot) -> None:
        with self._changed:
            self._last = snapshot
            self._changed.notify_all()

    def wait(self, done: Callable[[Snapshot], bool], timeout: float, what: str) -> Snapshot:
        """The first snapshot (the current one included) for which ``done`` is true;
        ``AssertionError`` naming ``what`` and the last snapshot after ``timeout`` seconds."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: self._last is not None and done(self._last), timeout
            ):
                raise AssertionError(
                    f"timed out after {timeout:g} s waiting for {what}; last snapshot {self._last}"
                )
            assert self._last is not None
            return self._last
