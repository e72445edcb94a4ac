"""The cash desk: what a session may still take, which notes the acceptor is enabled for,
and the acceptor's events — escrow decisions, the STACK order committed before stacking,
the journal row committed before the device is acknowledged, the resolution of orders
whose note went unreported, and a note stacked after its session ended. Also the
technician's acceptance test, which is the acceptor's too. Runs on the core thread.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from drivers.bill import base as bill
from kiosk.availability import Availability
from kiosk.crashpoints import CrashPoint, Hook
from kiosk.domain.clock import Clock
from kiosk.domain.limits import Acceptable, max_acceptable, notes_that_fit
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Money
from kiosk.ids import uuid7
from kiosk.payment import PaymentDesk
from kiosk.session import (
    LATE_NOTE,
    Attention,
    LiveSession,
    ReturnedNote,
    SessionSlot,
    State,
    check_move,
)
from kiosk.store.db import StoreError
from kiosk.store.records import OpenOrder, Records

log = logging.getLogger("kiosk.core")

__all__ = ["CashDesk", "LiveSession"]

# Acceptor conditions that stop cash acceptance until the matching all-clear.
_FAULT_EVENTS: dict[type[bill.AcceptorEvent], str] = {
    bill.Disconnected: "validator_disconnected",
    bill.Jammed: "validator_jammed",
    bill.CassetteRemoved: "cassette_removed",
    bill.CassetteFull: "cassette_full",
    bill.Failure: "validator_failure",
}
_ALL_CLEAR = (bill.Cleared, bill.Reconnected, bill.CassetteReplaced)


@dataclass(frozen=True, slots=True)
class DeskView:
    """What the screens read of the desk for the open session (public caps only)."""

    acceptable: Acceptable | None
    wallet_full: bool
    enabled: frozenset[int]


class CashDesk:
    """Decides about every note; owns the enabled set and the acceptance test's results."""

    def __init__(
        self,
        records: Records,
        session: SessionSlot,
        availability: Availability,
        payments: PaymentDesk,
        *,
        acceptor: bill.BillAcceptor | None,
        mrp: Money,
        clock: Clock,
        rng: random.Random,
        hooks: Hook,
    ) -> None:
        self.records = records
        self.session = session
        self.availability = availability
        self.payments = payments  # a late note is paid as a payment of its own
        self.acceptor = acceptor
        self.mrp = mrp
        self.clock = clock
        self.rng = rng
        self.hooks = hooks
        self._enabled: frozenset[int] | None = None
        self._acceptance_test: list[str] | None = None  # what the acceptor recognised
        availability.listen(self.apply_enabled)

    def _now_ms(self) -> int:
        return int(self.clock.now() * 1000)

    # -- what may be taken ----------------------------------------------------------------
    def acceptable(self) -> Acceptable | None:
        live = self.session.live
        if live is None:
            return None
        offline = self.availability.offline_caps() if live.offline else None
        return max_acceptable(
            live.service, live.inserted, mrp=self.mrp, headroom=live.headroom, offline=offline
        )

    @property
    def enabled(self) -> frozenset[int]:
        return self._enabled or frozenset()

    def view(self) -> DeskView:
        """The desk as the snapshot shows it while a session accepts cash."""
        acceptable = self.acceptable()
        wallet_full = self.wallet_full(acceptable) if acceptable is not None else False
        return DeskView(acceptable, wallet_full, self.enabled)

    def apply_enabled(self) -> None:
        """Enable exactly the notes that still fit the open session (none otherwise)."""
        if self.acceptor is None:
            return
        wanted: frozenset[int] = frozenset()
        live = self.session.live
        if live is None and self._acceptance_test is not None:
            wanted = frozenset(n for n in self.acceptor.bill_table if n)  # each one returned
        elif live is not None and live.state is State.ACCEPTING and self.availability.in_service:
            wanted = self._notes_for_session()
        if wanted != self._enabled:
            self._enabled = wanted
            self.acceptor.set_enabled(wanted)

    def _notes_for_session(self) -> frozenset[int]:
        assert self.acceptor is not None
        try:
            acceptable = self.acceptable()
        except StoreError as exc:
            self.availability.store_fault(exc)
            return frozenset()
        if acceptable is None or self.wallet_full(acceptable):
            return frozenset()
        # Every note under the public cap: one over the wallet's own room is returned from
        # escrow, so the set of notes never tells the room (docs/decisions/016).
        return notes_that_fit(self.acceptor.bill_table, acceptable.shown_more)

    def wallet_full(self, acceptable: Acceptable) -> bool:
        """The wallet's own room (not a public cap) leaves no room for any note: the
        acceptor takes nothing, and the screen says so without a figure."""
        if not acceptable.wallet_bound:
            return False
        if self.acceptor is None:
            return acceptable.more.tiyn == 0
        return not notes_that_fit(self.acceptor.bill_table, acceptable.more)

    def apply_disabled(self) -> None:
        if self.acceptor is not None and self._enabled != frozenset():
            self._enabled = frozenset()
            self.acceptor.set_enabled(frozenset())

    # -- the acceptance test --------------------------------------------------------------
    def begin_acceptance_test(self) -> None:
        self._acceptance_test = []
        self.apply_enabled()

    def end_acceptance_test(self) -> tuple[str, ...]:
        seen = tuple(self._acceptance_test or ())
        self._acceptance_test = None
        self.apply_enabled()
        return seen

    @property
    def acceptance_test(self) -> tuple[str, ...] | None:
        return tuple(self._acceptance_test) if self._acceptance_test is not None else None

    def device_report(self) -> dict[str, object] | None:
        """The acceptor's state for the heartbeat (None without an acceptor)."""
        acceptor = self.acceptor
        if acceptor is None:
            return None
        validator: dict[str, object] = {
            "protocol": acceptor.protocol,
            "state": acceptor.state,
            "connected": acceptor.connected,
        }
        alerts = acceptor.link_alerts
        if alerts:
            validator["alerts"] = dict(alerts)
        return validator

    # -- acceptor events (called on the core thread via the runner) -----------------------
    def on_event(self, event: bill.AcceptorEvent) -> bill.Decision | None:
        """The one listener of the bill acceptor (see drivers/bill/base.py for the contract)."""
        if isinstance(event, bill.Escrow):
            return self._on_escrow(event)
        if not self._on_note_event(event):
            self._on_condition(event)
        return None

    def _on_note_event(self, event: bill.AcceptorEvent) -> bool:
        """Events about one note; False for any other event."""
        if isinstance(event, bill.Stacked):
            self._on_stacked(event)
        elif isinstance(event, bill.DuplicateStacked):
            if event.repeat:
                self._device_log("stacked_repeat", f"amount {event.amount}: lost ACK")
            else:
                self._on_unsolicited_stacked(event.amount, event.bill_type)
        elif isinstance(event, bill.PowerUp):
            self._on_power_up(event)
        elif isinstance(event, bill.Returned):
            self._on_returned(event)
        elif isinstance(event, bill.Rejected):
            self._on_rejected(event)
        elif isinstance(event, bill.Cheated):
            self._device_log("cheated", None)
            self._drop_pending_order("cheated")
        else:
            return False
        return True

    def _on_condition(self, event: bill.AcceptorEvent) -> None:
        """A fault, its all-clear, or a state worth a line in the device log."""
        if isinstance(event, _ALL_CLEAR):
            for key in set(_FAULT_EVENTS.values()):
                self.availability.clear(key)
            self._device_log(type(event).__name__.lower(), None)
        elif type(event) in _FAULT_EVENTS:
            self.availability.fault(_FAULT_EVENTS[type(event)], repr(event))
            self._device_log(_FAULT_EVENTS[type(event)], repr(event))
        else:
            self._device_log(type(event).__name__.lower(), repr(event))

    def _on_rejected(self, event: bill.Rejected) -> None:
        live = self.session.live
        if live is None and self._acceptance_test is not None:
            self._acceptance_test.append(f"rejected ({event.reason})")
        if live is not None:
            live.last_returned = ReturnedNote(Money(0), f"rejected:{event.reason}")
        self._device_log("rejected", f"{event.code:#04x} {event.reason}")

    def _device_log(self, kind: str, detail: str | None) -> None:
        try:
            self.records.device_event(self._now_ms(), "validator", kind, detail)
        except StoreError as exc:
            self.availability.store_fault(exc)

    def _on_escrow(self, event: bill.Escrow) -> bill.Decision:
        live = self.session.live
        if live is None and self._acceptance_test is not None:
            # The technician's acceptance test: recognised, shown, and always given back.
            self._acceptance_test.append(Money(event.amount).format("en"))
            self._device_log("acceptance_test", f"recognised {event.amount}, returned")
            return bill.Decision.RETURN
        if live is not None and live.pending_order is not None:
            # The device holds one note at a time: the ordered one's fate went unreported.
            self._drop_pending_order("unresolved")
        if live is None or live.state is not State.ACCEPTING or not self.availability.in_service:
            if live is not None:
                live.last_returned = ReturnedNote(Money(event.amount), "not_accepting")
            log_event(log, "note returned: not accepting", amount=event.amount)
            return bill.Decision.RETURN
        return self._escrow_in_session(live, event)

    def _escrow_in_session(self, live: LiveSession, event: bill.Escrow) -> bill.Decision:
        """A note for an accepting session: STACK only once the order is committed."""
        try:
            acceptable = self.acceptable()
        except StoreError as exc:
            self.availability.store_fault(exc)
            live.last_returned = ReturnedNote(Money(event.amount), "out_of_service")
            return bill.Decision.RETURN
        assert acceptable is not None
        if event.amount > acceptable.more.tiyn:
            live.last_returned = ReturnedNote(Money(event.amount), acceptable.reason.value)
            log_event(
                log,
                "note returned: over the limit",
                amount=event.amount,
                reason=acceptable.reason.value,
                operation_id=live.operation_id,
            )
            return bill.Decision.RETURN
        self.hooks(CrashPoint.NOTE_ESCROWED)
        try:
            order_id = self.records.order_stack(
                live.operation_id, event.amount, event.bill_type, self._now_ms()
            )
        except StoreError as exc:
            self.availability.store_fault(exc)
            live.last_returned = ReturnedNote(Money(event.amount), "out_of_service")
            return bill.Decision.RETURN
        live.pending_order = OpenOrder(order_id, live.operation_id, event.amount, event.bill_type)
        live.last_activity = self.clock.monotonic()
        self.hooks(CrashPoint.STACK_ORDERED)
        return bill.Decision.STACK

    def _on_stacked(self, event: bill.Stacked) -> None:
        live = self.session.live
        order = live.pending_order if live is not None else None
        if order is None:
            self._on_unsolicited_stacked(event.amount, event.bill_type)
            return
        self._journal(order, event.amount, event.bill_type)

    def _journal(self, order: OpenOrder, amount: int, bill_type: int) -> None:
        """Commit the stacked note; raising here keeps the device report unacknowledged."""
        self.hooks(CrashPoint.STACKED_REPORTED)
        if amount != order.amount:
            self._device_log("amount_mismatch", f"ordered {order.amount}, stacked {amount}")
        live = self.session.live
        try:
            if (
                live is None or live.operation_id != order.operation_id
            ) and self.records.session_closed(order.operation_id):
                self._late_note(order, amount, bill_type)
                return
            fresh = self.records.record_stacked(order.id, amount, bill_type, self._now_ms())
        except StoreError as exc:
            self.availability.store_fault(exc)
            raise
        live = self.session.live
        if live is not None and live.operation_id == order.operation_id:
            if fresh:
                live.notes.append(amount)
            live.pending_order = None
            live.last_activity = self.clock.monotonic()
            live.attention = Attention.NONE
        if fresh:
            log_event(log, "note stacked", amount=amount, operation_id=order.operation_id)
        self.hooks(CrashPoint.NOTE_STACKED)
        self.apply_enabled()

    def _late_note(self, order: OpenOrder, amount: int, bill_type: int) -> None:
        """The device finished stacking a note after its customer's session had ended (a
        cassette pulled mid-stack, a stuck note): credit it to the same account, once, as a
        payment of its own."""
        operation_id = str(uuid7(self._now_ms(), self.rng))
        check_move(State.IDLE, State.PAYING, LATE_NOTE)  # the move record_late_note stores
        if not self.records.record_late_note(
            order.id, amount, bill_type, self._now_ms(), operation_id
        ):
            return
        self.hooks(CrashPoint.NOTE_STACKED)
        log_event(
            log,
            "late note credited as its own payment",
            logging.WARNING,
            amount=amount,
            operation_id=operation_id,
            of=order.operation_id,
        )
        session = self.records.session_row(operation_id)
        assert session.service_id is not None and session.account is not None
        done = self.payments.complete(
            operation_id,
            session.service_id,
            session.account,
            session.language,  # type: ignore[arg-type]
            completion="late_note",
            offline=session.offline,
            recovered=True,
            from_state="paying",
        )
        check_move(State.RECEIPT, State.DONE)
        self.records.transition(
            operation_id,
            State.RECEIPT.value,
            State.DONE.value,
            self._now_ms(),
            f"receipt {done.receipt_number}",
            outcome="late_note",
        )

    def _on_unsolicited_stacked(self, amount: int, bill_type: int) -> None:
        """A stacked report without this process's STACK: credit it only against a
        committed, unresolved STACK order (a crash between order and report)."""
        try:
            orders = self.records.open_orders()
        except StoreError as exc:
            self.availability.store_fault(exc)
            raise
        match = _order_for(orders, amount)
        if match is not None and amount == 0:  # a nameless report: the order names the note
            amount, bill_type = match.amount, match.bill_type
        if match is None:
            self._device_log("stacked_repeat", f"amount {amount}: already recorded")
            return
        self._journal(match, amount, bill_type)

    def detach_pending_order(self) -> None:
        """The session stops waiting for its note; the order itself stays open."""
        live = self.session.live
        if live is None or live.pending_order is None:
            return
        self._device_log("stack_order_detached", f"order {live.pending_order.id}")
        live.pending_order = None
        self.apply_enabled()

    def _drop_pending_order(self, resolution: str) -> None:
        """Close the open session's STACK order without money: ``unresolved`` (counted at
        collection) or ``cheated``/``returned`` (the note did not go to the cassette)."""
        live = self.session.live
        if live is None or live.pending_order is None:
            return
        order = live.pending_order
        live.pending_order = None
        try:
            self.records.resolve_order(order.id, resolution, self._now_ms())
        except StoreError as exc:
            self.availability.store_fault(exc)  # recovery resolves it at the next start
        self._device_log(f"stack_order_{resolution}", f"order {order.id}, amount {order.amount}")
        self.apply_enabled()

    def _on_power_up(self, event: bill.PowerUp) -> None:
        self._device_log("power_up", repr(event))
        if event.bill_in_acceptor:
            # A note still in the acceptor at power-up is handed back by the RESET.
            orders = self.records.open_orders()
            if orders:
                self.records.resolve_order(orders[0].id, "returned", self._now_ms())
                live = self.session.live
                if (
                    live is not None
                    and live.pending_order is not None
                    and live.pending_order.id == orders[0].id
                ):
                    live.pending_order = None
            return
        if not event.bill_in_stacker:
            return
        # The device finished stacking a note after a restart: it is the oldest open order.
        orders = self.records.open_orders()
        if orders:
            self._journal(orders[0], orders[0].amount, orders[0].bill_type)
        else:
            self._device_log("unknown_note_in_stacker", "count at collection")

    def _on_returned(self, event: bill.Returned) -> None:
        """A note came back out. If it was one a STACK was ordered for (the device refused to
        stack it, or a predecessor process died before sending STACK), close that order."""
        live = self.session.live
        order = live.pending_order if live is not None else None
        if order is None or order.amount != event.amount:
            # The device holds one note at a time, so an open order of this amount is it.
            order = _order_for(self.records.open_orders(), event.amount)
        if order is not None:
            self.records.resolve_order(order.id, "returned", self._now_ms())
            if (
                live is not None
                and live.pending_order is not None
                and live.pending_order.id == order.id
            ):
                live.pending_order = None
                live.last_returned = ReturnedNote(Money(event.amount), "returned_by_device")
            self.apply_enabled()
        self._device_log("returned", str(event.amount))


def _order_for(orders: list[OpenOrder], amount: int) -> OpenOrder | None:
    """The open STACK order a device report of ``amount`` is about: the device holds one
    note at a time, so an open order of that amount is it. Amount 0 is a note the driver
    could not name (ID-003's Vend Valid, an eSSP report sealed with a dead session's key;
    see drivers/bill/base.py): a new STACK closes older orders, so the one open order."""
    match = next((o for o in orders if o.amount == amount), None)
    if match is None and amount == 0 and len(orders) == 1:
        match = orders[0]
    return match
