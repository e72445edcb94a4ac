"""Cash handling in the core: availability, what may still be taken, and the acceptor's
events — escrow decisions, the STACK order committed before stacking, the journal row
committed before the device is acknowledged, and the resolution of orders whose note went
unreported. The customer's intents and timers are in kiosk/core.py.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from drivers.bill import base as bill
from kiosk.checks import AccountChecker, CheckResult
from kiosk.config import Config
from kiosk.crashpoints import CrashPoint, Hook
from kiosk.domain.catalog import Service
from kiosk.domain.clock import Clock
from kiosk.domain.limits import (
    Acceptable,
    AccountHeadroom,
    OfflineCaps,
    max_acceptable,
    notes_that_fit,
)
from kiosk.domain.money import Language, Money
from kiosk.ids import uuid7
from kiosk.logs import log_event
from kiosk.payment import CompletedPayment, PaymentDesk
from kiosk.session import Attention, ReturnedNote, Snapshot, State
from kiosk.store.db import Store, StoreError
from kiosk.store.records import OpenOrder, Records

log = logging.getLogger("kiosk.core")


# Acceptor conditions that stop cash acceptance until the matching all-clear.
_FAULT_EVENTS: dict[type[bill.AcceptorEvent], str] = {
    bill.Disconnected: "validator_disconnected",
    bill.Jammed: "validator_jammed",
    bill.CassetteRemoved: "cassette_removed",
    bill.CassetteFull: "cassette_full",
    bill.Failure: "validator_failure",
}



@dataclass(slots=True)
class LiveSession:
    """The open session, owned by the core thread."""

    operation_id: str
    service: Service
    language: Language
    state: State
    last_activity: float
    account: str | None = None
    headroom: AccountHeadroom | None = None
    check: CheckResult | None = None
    offline: bool = True
    notes: list[int] = field(default_factory=list)
    pending_order: OpenOrder | None = None
    last_returned: ReturnedNote | None = None
    attention: Attention = Attention.NONE
    attention_deadline: float | None = None
    done_at: float | None = None
    completion: str = "customer"
    completed: CompletedPayment | None = None
    without_receipt: bool = False  # the customer agreed to pay with no receipt printable

    @property
    def inserted(self) -> Money:
        return Money(sum(self.notes))



class CashHandling:
    """The half of the core that decides about cash; KioskCore adds the customer's side."""

    config: Config
    store: Store
    records: Records
    acceptor: bill.BillAcceptor | None
    clock: Clock
    checker: AccountChecker | None
    link_online: Callable[[], bool]
    hooks: Hook
    mrp: Money
    rng: random.Random
    desk: PaymentDesk
    _live: LiveSession | None
    _faults: dict[str, str]
    _enabled: frozenset[int] | None
    _subscribers: list[Callable[[Snapshot], None]]
    _language: Language
    _acceptance_test: list[str] | None  # the technician's test: what the acceptor recognised

    def snapshot(self) -> Snapshot:
        raise NotImplementedError


    # -- publishing -----------------------------------------------------------------------
    def subscribe(self, callback: Callable[[Snapshot], None]) -> None:
        self._subscribers.append(callback)

    def _publish(self) -> None:
        if self._subscribers:
            snap = self.snapshot()
            for callback in self._subscribers:
                callback(snap)

    @property
    def faults(self) -> dict[str, str]:
        return dict(self._faults)

    @property
    def in_service(self) -> bool:
        return not self._faults

    def _fault(self, key: str, detail: str) -> None:
        if self._faults.get(key) != detail:
            self._faults[key] = detail
            log_event(log, "out of service", logging.WARNING, reason=key, detail=detail)
        self._apply_enabled()

    def _clear_fault(self, key: str) -> None:
        if self._faults.pop(key, None) is not None:
            log_event(log, "fault cleared", reason=key)
            self._apply_enabled()

    def _store_fault(self, exc: StoreError) -> None:
        self._fault("storage", exc.kind)

    def _now_ms(self) -> int:
        return int(self.clock.now() * 1000)

    # -- availability ---------------------------------------------------------------------
    def _offline_caps(self) -> OfflineCaps | None:
        if self.link_online():
            return None
        limits = self.config.limits
        stats = self.records.outbox_stats()
        return OfflineCaps(per_payment=Money(limits.offline_max_payment),
                           total_room=Money(max(0, limits.offline_max_total - stats.amount)))

    def refresh_availability(self) -> None:
        """Re-check the offline limits and the store; called on start and by tick()."""
        try:
            self.store.check_writable()
            self._clear_fault("storage")
        except StoreError as exc:
            self._store_fault(exc)
            return
        if self.link_online():
            self._clear_fault("offline_limits")
            return
        limits = self.config.limits
        stats = self.records.outbox_stats()
        age = (self.clock.now() - stats.oldest_created_at / 1000
               if stats.oldest_created_at is not None else 0.0)
        if stats.count >= limits.offline_max_count:
            self._fault("offline_limits", "too many payments waiting for the ledger")
        elif stats.amount >= limits.offline_max_total:
            self._fault("offline_limits", "too much money waiting for the ledger")
        elif age > limits.offline_max_age_s:
            self._fault("offline_limits", "the oldest waiting payment is too old")
        else:
            self._clear_fault("offline_limits")

    def acceptable(self) -> Acceptable | None:
        live = self._live
        if live is None:
            return None
        return max_acceptable(live.service, live.inserted, mrp=self.mrp, headroom=live.headroom,
                              offline=self._offline_caps() if live.offline else None)

    def _apply_enabled(self) -> None:
        """Enable exactly the notes that still fit the open session (none otherwise)."""
        if self.acceptor is None:
            return
        wanted: frozenset[int] = frozenset()
        live = self._live
        if live is None and self._acceptance_test is not None:
            wanted = frozenset(n for n in self.acceptor.bill_table if n)  # each one returned
        elif live is not None and live.state is State.ACCEPTING and self.in_service:
            try:
                acceptable = self.acceptable()
            except StoreError as exc:
                self._store_fault(exc)
                acceptable = None
            if acceptable is not None and not self._wallet_full(acceptable):
                # Every note under the public cap: one over the wallet's own room is
                # returned from escrow, so the set of notes never tells the room
                # (docs/decisions/016).
                wanted = notes_that_fit(self.acceptor.bill_table, acceptable.shown_more)
        if wanted != self._enabled:
            self._enabled = wanted
            self.acceptor.set_enabled(wanted)

    def _wallet_full(self, acceptable: Acceptable) -> bool:
        """The wallet's own room (not a public cap) leaves no room for any note: the
        acceptor takes nothing, and the screen says so without a figure."""
        if not acceptable.wallet_bound:
            return False
        if self.acceptor is None:
            return acceptable.more.tiyn == 0
        return not notes_that_fit(self.acceptor.bill_table, acceptable.more)

    def _apply_disabled(self) -> None:
        if self.acceptor is not None and self._enabled != frozenset():
            self._enabled = frozenset()
            self.acceptor.set_enabled(frozenset())


    # -- acceptor events (called on the driver's thread via the runner) -------------------
    def on_acceptor_event(self, event: bill.AcceptorEvent) -> bill.Decision | None:
        """The one listener of the bill acceptor (see drivers/bill/base.py for the contract)."""
        try:
            return self._dispatch(event)
        finally:
            self._publish()

    def _dispatch(self, event: bill.AcceptorEvent) -> bill.Decision | None:
        if isinstance(event, bill.Escrow):
            return self._on_escrow(event)
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
            if self._live is None and self._acceptance_test is not None:
                self._acceptance_test.append(f"rejected ({event.reason})")
            if self._live is not None:
                self._live.last_returned = ReturnedNote(Money(0), f"rejected:{event.reason}")
            self._device_log("rejected", f"{event.code:#04x} {event.reason}")
        elif isinstance(event, bill.Cheated):
            self._device_log("cheated", None)
            self._drop_pending_order("cheated")
        elif isinstance(event, (bill.Cleared, bill.Reconnected, bill.CassetteReplaced)):
            for key in set(_FAULT_EVENTS.values()):
                self._clear_fault(key)
            self._device_log(type(event).__name__.lower(), None)
        elif type(event) in _FAULT_EVENTS:
            self._fault(_FAULT_EVENTS[type(event)], repr(event))
            self._device_log(_FAULT_EVENTS[type(event)], repr(event))
        else:
            self._device_log(type(event).__name__.lower(), repr(event))
        return None

    def _device_log(self, kind: str, detail: str | None) -> None:
        try:
            self.records.device_event(self._now_ms(), "validator", kind, detail)
        except StoreError as exc:
            self._store_fault(exc)

    def _on_escrow(self, event: bill.Escrow) -> bill.Decision:
        live = self._live
        if live is None and self._acceptance_test is not None:
            # The technician's acceptance test: recognised, shown, and always given back.
            self._acceptance_test.append(Money(event.amount).format("en"))
            self._device_log("acceptance_test", f"recognised {event.amount}, returned")
            return bill.Decision.RETURN
        if live is not None and live.pending_order is not None:
            # The device holds one note at a time: the ordered one's fate went unreported.
            self._drop_pending_order("unresolved")
        if live is None or live.state is not State.ACCEPTING or not self.in_service:
            if live is not None:
                live.last_returned = ReturnedNote(Money(event.amount), "not_accepting")
            log_event(log, "note returned: not accepting", amount=event.amount)
            return bill.Decision.RETURN
        try:
            acceptable = self.acceptable()
        except StoreError as exc:
            self._store_fault(exc)
            live.last_returned = ReturnedNote(Money(event.amount), "out_of_service")
            return bill.Decision.RETURN
        assert acceptable is not None
        if event.amount > acceptable.more.tiyn:
            live.last_returned = ReturnedNote(Money(event.amount), acceptable.reason.value)
            log_event(log, "note returned: over the limit", amount=event.amount,
                      reason=acceptable.reason.value, operation_id=live.operation_id)
            return bill.Decision.RETURN
        self.hooks(CrashPoint.NOTE_ESCROWED)
        try:
            order_id = self.records.order_stack(live.operation_id, event.amount, event.bill_type,
                                                self._now_ms())
        except StoreError as exc:
            self._store_fault(exc)
            live.last_returned = ReturnedNote(Money(event.amount), "out_of_service")
            return bill.Decision.RETURN
        live.pending_order = OpenOrder(order_id, live.operation_id, event.amount, event.bill_type)
        live.last_activity = self.clock.monotonic()
        self.hooks(CrashPoint.STACK_ORDERED)
        return bill.Decision.STACK

    def _on_stacked(self, event: bill.Stacked) -> None:
        live = self._live
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
        live = self._live
        try:
            if (live is None or live.operation_id != order.operation_id) \
                    and self.records.session_closed(order.operation_id):
                self._late_note(order, amount, bill_type)
                return
            fresh = self.records.record_stacked(order.id, amount, bill_type, self._now_ms())
        except StoreError as exc:
            self._store_fault(exc)
            raise
        live = self._live
        if live is not None and live.operation_id == order.operation_id:
            if fresh:
                live.notes.append(amount)
            live.pending_order = None
            live.last_activity = self.clock.monotonic()
            live.attention = Attention.NONE
        if fresh:
            log_event(log, "note stacked", amount=amount, operation_id=order.operation_id)
        self.hooks(CrashPoint.NOTE_STACKED)
        self._apply_enabled()

    def _late_note(self, order: OpenOrder, amount: int, bill_type: int) -> None:
        """The device finished stacking a note after its customer's session had ended (a
        cassette pulled mid-stack, a stuck note): credit it to the same account, once, as a
        payment of its own."""
        operation_id = str(uuid7(self._now_ms(), self.rng))
        if not self.records.record_late_note(order.id, amount, bill_type, self._now_ms(),
                                             operation_id):
            return
        self.hooks(CrashPoint.NOTE_STACKED)
        log_event(log, "late note credited as its own payment", logging.WARNING,
                  amount=amount, operation_id=operation_id, of=order.operation_id)
        session = self.records.session_row(operation_id)
        assert session.service_id is not None and session.account is not None
        done = self.desk.complete(operation_id, session.service_id, session.account,
                                  session.language,  # type: ignore[arg-type]
                                  completion="late_note", offline=session.offline,
                                  recovered=True, from_state="paying")
        self.records.transition(operation_id, "receipt", "done", self._now_ms(),
                                f"receipt {done.receipt_number}", outcome="late_note")

    def _on_unsolicited_stacked(self, amount: int, bill_type: int) -> None:
        """A stacked report without this process's STACK: credit it only against a
        committed, unresolved STACK order (a crash between order and report)."""
        try:
            orders = self.records.open_orders()
        except StoreError as exc:
            self._store_fault(exc)
            raise
        match = _order_for(orders, amount)
        if match is not None and amount == 0:  # a nameless report: the order names the note
            amount, bill_type = match.amount, match.bill_type
        if match is None:
            self._device_log("stacked_repeat", f"amount {amount}: already recorded")
            return
        self._journal(match, amount, bill_type)

    def _detach_pending_order(self) -> None:
        """The session stops waiting for its note; the order itself stays open."""
        live = self._live
        if live is None or live.pending_order is None:
            return
        self._device_log("stack_order_detached", f"order {live.pending_order.id}")
        live.pending_order = None
        self._apply_enabled()

    def _drop_pending_order(self, resolution: str) -> None:
        """Close the open session's STACK order without money: ``unresolved`` (counted at
        collection) or ``cheated``/``returned`` (the note did not go to the cassette)."""
        live = self._live
        if live is None or live.pending_order is None:
            return
        order = live.pending_order
        live.pending_order = None
        try:
            self.records.resolve_order(order.id, resolution, self._now_ms())
        except StoreError as exc:
            self._store_fault(exc)  # recovery resolves it at the next start
        self._device_log(f"stack_order_{resolution}", f"order {order.id}, amount {order.amount}")
        self._apply_enabled()

    def _on_power_up(self, event: bill.PowerUp) -> None:
        self._device_log("power_up", repr(event))
        if event.bill_in_acceptor:
            # A note still in the acceptor at power-up is handed back by the RESET.
            orders = self.records.open_orders()
            if orders:
                self.records.resolve_order(orders[0].id, "returned", self._now_ms())
                if self._live is not None and self._live.pending_order is not None \
                        and self._live.pending_order.id == orders[0].id:
                    self._live.pending_order = None
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
        live = self._live
        order = live.pending_order if live is not None else None
        if order is None or order.amount != event.amount:
            # The device holds one note at a time, so an open order of this amount is it.
            order = _order_for(self.records.open_orders(), event.amount)
        if order is not None:
            self.records.resolve_order(order.id, "returned", self._now_ms())
            if live is not None and live.pending_order is not None \
                    and live.pending_order.id == order.id:
                live.pending_order = None
                live.last_returned = ReturnedNote(Money(event.amount), "returned_by_device")
            self._apply_enabled()
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
