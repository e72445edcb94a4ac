"""The technician's service menu behind the PIN: device and sync status, encashment,
send now, exit. Reads the core and the link on the core thread; QML only draws."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from kiosk.clock import Clock
from kiosk.ledger_link import LedgerLink
from kiosk.logs import log_event
from kiosk.money import Money
from kiosk.runtime import CoreThread
from kiosk.service_pin import PinError, PinOutcome, ServicePin
from ui import texts

log = logging.getLogger("ui.service")
PIN_DIGITS_MAX = 12


class ServiceViewModel(QObject):
    """``service`` in QML: closed, asking for the PIN, or open on the menu."""

    changed = Signal()

    def __init__(self, runner: CoreThread, pins: ServicePin, *, clock: Clock,
                 terminal_id: str, link: LedgerLink | None = None,
                 quit_kiosk: Callable[[], None] = lambda: None) -> None:
        super().__init__()
        self.runner = runner
        self.core = runner.core
        self.pins = pins
        self.clock = clock
        self.terminal_id = terminal_id
        self.link = link
        self.quit_kiosk = quit_kiosk
        self._mode = "closed"
        self._pin = ""
        self._pin_message = ""
        self._status: dict[str, Any] = {}
        self._encashment = ""
        self._cassettes = 0

    def _get(self, name: str) -> Any:
        values: dict[str, Any] = {
            "mode": self._mode, "pinDots": "●" * len(self._pin),
            "pinMessage": self._pin_message, "encashment": self._encashment,
            "statusText": "\n".join(f"{k}: {v}" for k, v in self._status.items()),
        }
        return values[name]

    mode = Property(str, lambda self: self._get("mode"), notify=changed)
    pinDots = Property(str, lambda self: self._get("pinDots"), notify=changed)  # noqa: N815
    pinMessage = Property(str, lambda self: self._get("pinMessage"), notify=changed)  # noqa: N815
    statusText = Property(str, lambda self: self._get("statusText"), notify=changed)  # noqa: N815
    encashment = Property(str, lambda self: self._get("encashment"), notify=changed)

    @Slot()
    def open(self) -> None:
        """The hidden corner was held: ask for the PIN."""
        self._mode, self._pin, self._pin_message = "pin", "", ""
        self.changed.emit()

    @Slot()
    def close(self) -> None:
        self._mode, self._pin, self._pin_message, self._encashment = "closed", "", "", ""
        self.changed.emit()

    @Slot(str)
    def pinKey(self, key: str) -> None:  # noqa: N802
        if key == "back":
            self._pin = self._pin[:-1]
        elif key.isdigit() and len(key) == 1 and len(self._pin) < PIN_DIGITS_MAX:
            self._pin += key
        self.changed.emit()

    @Slot()
    def submitPin(self) -> None:  # noqa: N802
        pin, self._pin = self._pin, ""
        try:
            result = self.pins.check(pin)
        except PinError as exc:
            log_event(log, "service PIN unreadable", logging.ERROR, error=str(exc))
            self._pin_message = texts.pin_text("unset")
            self.changed.emit()
            return
        log_event(log, "service PIN entry", outcome=result.outcome.value)  # never the PIN
        if result.outcome is PinOutcome.OK:
            self._mode, self._pin_message = "menu", ""
            self.refresh()
            return
        self._pin_message = texts.pin_text(result.outcome.value,
                                           minutes=int(result.locked_for_s // 60) + 1,
                                           tries=result.tries_left)
        self.changed.emit()

    @Slot()
    def refresh(self) -> None:
        """Re-read device, session and sync status for the menu."""
        self._status = self.runner.call(self._collect)
        self.changed.emit()

    def _collect(self) -> dict[str, Any]:
        core = self.core
        acceptor = core.acceptor
        status: dict[str, Any] = {"terminal": self.terminal_id}
        if acceptor is not None:
            identity = acceptor.identity
            status["validator"] = (f"{acceptor.protocol} {acceptor.state}"
                                   f"{'' if acceptor.connected else ' (not connected)'}")
            if identity is not None:
                status["validator id"] = f"{identity.model} {identity.serial} {identity.firmware}"
            notes = (Money(n).format("en") for n in acceptor.bill_table if n)
            status["bill table"] = ", ".join(notes)
        status["out of service"] = ", ".join(sorted(core.faults)) or "no"
        stats = core.records.outbox_stats()
        status["waiting for ledger"] = f"{stats.count} ({Money(stats.amount).format('en')})"
        if self.link is not None:
            state = self.link.worker.state()
            status["ledger"] = "online" if state.online else f"offline ({state.last_error})"
            if state.oldest_age_s is not None:
                status["oldest waiting"] = f"{int(state.oldest_age_s)} s"
        status["counters"] = json.dumps(core.records.counters(), sort_keys=True)
        for number, line in enumerate(core.recent_device_events(), start=1):
            status[f"event {number}"] = line
        return status

    @Slot()
    def encash(self) -> None:
        """Record the cassette's collection: counts per note, reported to the ledger."""
        self._cassettes += 1
        cassette = f"CAS-{int(self.clock.now())}-{self._cassettes}"
        done = self.runner.call(lambda: self.core.records.encash(
            int(self.clock.now() * 1000), cassette, "service-menu", self.terminal_id))
        counts = json.loads(done.counts)
        lines = [f"{cassette}: {done.notes} notes, {Money(done.total).format('en')}"]
        lines += [f"{Money(int(k)).format('en')} × {v}" for k, v in sorted(
            counts.items(), key=lambda kv: int(kv[0]))]
        self._encashment = "\n".join(lines)
        log_event(log, "encashment", cassette=cassette, notes=done.notes, total=done.total)
        self.refresh()

    @Slot()
    def sendNow(self) -> None:  # noqa: N802
        if self.link is not None:
            self.link.worker.retry_now()
        self.refresh()

    @Slot()
    def exitKiosk(self) -> None:  # noqa: N802
        log_event(log, "kiosk closed from the service menu")
        self.quit_kiosk()
