"""The printer's state and the no-paper policy: how often an idle kiosk asks the printer,
whether a printer that cannot print takes the kiosk out of service (``out_of_service``) or
the customer is asked before cash (``ask``). Runs on the core thread."""

from __future__ import annotations

import logging

from kiosk.availability import Availability
from kiosk.domain.clock import Clock
from kiosk.domain.logfmt import log_event
from kiosk.payment import PrinterError, PrinterReadiness, ReceiptPrinter
from kiosk.session import LiveSession, Screens, SessionSlot, State

log = logging.getLogger("kiosk.core")

# How often an idle kiosk asks the printer for its state (each ask is four DLE EOT queries).
PRINTER_CHECK_S = 20.0
PRINTER = "printer"
# States in which the printer is not asked: a silent printer costs a reply timeout per
# query, and acceptor events must not wait on it.
_BUSY = (State.ACCEPTING, State.PAYING, State.RECEIPT)


class PrinterPolicy:
    """Owns the last printer reading and when it was taken."""

    def __init__(
        self,
        printer: ReceiptPrinter | None,
        no_paper_policy: str,
        clock: Clock,
        session: SessionSlot,
        availability: Availability,
        screens: Screens,
    ) -> None:
        self.printer = printer
        self.no_paper_policy = no_paper_policy
        self.clock = clock
        self.session = session
        self.availability = availability
        self.screens = screens
        self._reading: PrinterReadiness | None = None
        self._checked = float("-inf")

    @property
    def reading(self) -> PrinterReadiness | None:
        """The printer's last known state (None without a printer or before the first ask)."""
        return self._reading

    def forget(self) -> None:
        """A receipt did not print: ask the printer again as soon as the kiosk is idle."""
        self._checked = float("-inf")

    def check(self, *, force: bool = False) -> PrinterReadiness | None:
        """Ask the printer and apply the no-paper policy. Never while cash is being taken."""
        if self.printer is None:
            return None
        live = self.session.live
        if live is not None and live.state in _BUSY:
            return self._reading
        now = self.clock.monotonic()
        if not force and now - self._checked < PRINTER_CHECK_S:
            return self._reading
        try:
            reading = self.printer.readiness()
        except PrinterError as exc:
            reading = PrinterReadiness("unknown", str(exc))
        self._checked = now
        previous, self._reading = self._reading, reading
        if previous is None or previous.state != reading.state:
            log_event(
                log,
                "printer state",
                logging.INFO if reading.state == "ok" else logging.WARNING,
                state=reading.state,
                reason=reading.reason,
            )
        if self.no_paper_policy == "out_of_service" and not reading.can_print:
            self.availability.fault(PRINTER, reading.reason)
        else:
            self.availability.clear(PRINTER)
        if previous != reading:
            self.screens.publish()
        return reading

    def needs_receipt_choice(self, live: LiveSession) -> bool:
        """No receipt can be printed and the policy asks the customer before cash."""
        reading = self._reading
        return (
            live.state is State.ACCOUNT_CHECKED
            and reading is not None
            and not reading.can_print
            and self.no_paper_policy == "ask"
        )

    def report(self) -> dict[str, object] | None:
        reading = self._reading
        return None if reading is None else {"state": reading.state, "reason": reading.reason}
