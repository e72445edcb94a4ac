"""The core on its own thread: every intent, device event and timer tick runs there, one at
a time, so the core never needs a lock.

* ``call(fn, *args)`` runs ``fn`` on the core thread and returns its result (or raises its
  exception) in the caller's thread — the UI's intents use it.
* ``acceptor_listener`` is what the bill acceptor's I/O thread calls: it posts the event to
  the core thread and waits for the answer, so a stacked note is acknowledged to the device
  only after the core's commit returned (write before acknowledge holds across threads).
* Timer ticks run every ``tick_s`` seconds; snapshots go to subscribers from the core thread
  (the Qt view-model re-emits them to the GUI thread through a queued signal).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from drivers.bill.base import AcceptorEvent, Decision
from kiosk.core import KioskCore
from kiosk.domain.logfmt import log_event

log = logging.getLogger("kiosk.runtime")
T = TypeVar("T")
_Job = tuple[Callable[..., Any], tuple[Any, ...], "Future[Any]"]

# A device event waits at most this long for the core; then the driver does not ACK and
# the device repeats the report (nothing is lost, nothing is credited twice).
EVENT_TIMEOUT_S = 30.0


class CoreThread:
    def __init__(
        self, core: KioskCore, *, tick_s: float = 0.25, on_tick: Callable[[], object] = lambda: None
    ) -> None:
        self.core = core
        self.tick_s = tick_s
        self.on_tick = on_tick  # every turn of the loop: proof that the core is not hung
        self._inbox: queue.Queue[_Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="kiosk-core", daemon=True)
        self._stopped = threading.Event()
        if core.acceptor is not None:
            # The driver's thread must hand events to the core thread, never call it directly.
            core.acceptor.set_listener(self.acceptor_listener)

    def start(self) -> CoreThread:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stopped.set()
        self._inbox.put(None)
        self._thread.join(timeout)

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    @property
    def on_core_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        if self._stopped.is_set():
            future.set_exception(RuntimeError("the kiosk core has stopped"))
            return future
        self._inbox.put((fn, args, future))
        return future

    def call(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run ``fn(*args)`` on the core thread and wait for its result."""
        if self.on_core_thread:
            return fn(*args)
        return self.submit(fn, *args).result(timeout)

    def acceptor_listener(self, event: AcceptorEvent) -> Decision | None:
        """The listener to install on the bill acceptor (runs on the driver's thread)."""
        return self.call(self.core.on_acceptor_event, event, timeout=EVENT_TIMEOUT_S)

    def _run(self) -> None:
        next_tick = time.monotonic() + self.tick_s
        while not self._stopped.is_set():
            item: _Job | None | tuple[()]
            try:
                item = self._inbox.get(timeout=max(0.0, next_tick - time.monotonic()))
            except queue.Empty:
                item = ()  # nothing to do but the timers
            if item is None:
                break
            if item:
                fn, args, future = item
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args))
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller
                        future.set_exception(exc)
            self.on_tick()
            if time.monotonic() >= next_tick:  # a busy inbox must not starve the timers
                self._tick()
                next_tick = time.monotonic() + self.tick_s

    def _tick(self) -> None:
        try:
            self.core.tick()
        except Exception as exc:  # noqa: BLE001 - logged; the next tick tries again
            log_event(log, "timer tick failed", logging.ERROR, error=repr(exc))
