"""The kiosk core: one thread, customer intents and device events in, durable records out.

Money rules enforced here:
* A note is stacked only after the STACK order is committed; it is credited only when the
  device reports it stacked, and that report is acknowledged only after its journal row
  is committed (the listener returns after the commit).
* Before enabling the acceptor and after every note, the most the session may still take
  is computed, only denominations that fit are enabled, and a note that does not fit is
  returned from escrow.
* Cancel only while no cash is in; with cash in, a timeout completes the payment.
* A store that cannot write takes the kiosk out of service: no cash it cannot record.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import replace

from drivers.bill import base as bill
from kiosk.cash import LiveSession
from kiosk.checks import AccountChecker, CheckResult, LinkDown
from kiosk.config import Config
from kiosk.crashpoints import CrashPoint, Hook
from kiosk.domain.accounts import AccountValidation, validate_account
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import Clock
from kiosk.domain.commission import Breakdown
from kiosk.domain.limits import Acceptable
from kiosk.domain.money import Language, Money
from kiosk.ids import uuid7
from kiosk.logs import log_event
from kiosk.payment import (
    CompletedPayment,
    PaymentDesk,
    PrinterReadiness,
    ReceiptPrinter,
)
from kiosk.session import (
    ALLOWED,
    Attention,
    NotAllowed,
    NotAvailable,
    ReceiptUnavailable,
    Snapshot,
    State,
    TransitionError,
)
from kiosk.store.db import Store, StoreError
from kiosk.store.records import Records
from kiosk.upkeep import PRINTER_CHECK_S, DeviceUpkeep

log = logging.getLogger("kiosk.core")

__all__ = ["PRINTER_CHECK_S", "KioskCore", "NotAllowed", "NotAvailable", "ReceiptUnavailable"]

STILL_THERE_COUNTDOWN_S = 20.0
THANK_YOU_S = 15.0


class KioskCore(DeviceUpkeep):
    """All business decisions of one terminal. Not thread-safe: call from one thread."""

    def __init__(self, config: Config, store: Store, catalog: Catalog, *,
                 acceptor: bill.BillAcceptor | None, clock: Clock, rng: random.Random,
                 printer: ReceiptPrinter | None = None, checker: AccountChecker | None = None,
                 link_online: Callable[[], bool] = lambda: False,
                 hooks: Hook = lambda point: None) -> None:
        self.config = config
        self.store = store
        self.records = Records(store)
        self.catalog = catalog
        self.acceptor = acceptor
        self.clock = clock
        self.rng = rng
        self.checker = checker
        self.link_online = link_online
        self.hooks = hooks
        self.mrp = Money(config.limits.mrp)
        self.desk = PaymentDesk(self.records, catalog, config.terminal, clock, printer, hooks)
        self.printer = printer
        self._printer: PrinterReadiness | None = None
        self._printer_checked = float("-inf")
        self._live: LiveSession | None = None
        self._faults: dict[str, str] = {}
        self._enabled: frozenset[int] | None = None
        self._subscribers: list[Callable[[Snapshot], None]] = []
        self._language: Language = config.kiosk.default_language
        self._acceptance_test: list[str] | None = None
        self._next_catalog: Catalog | None = None
        if acceptor is not None:
            acceptor.set_listener(self.on_acceptor_event)

    def hold(self, reason: str, detail: str) -> None:
        """Out of service for a reason decided outside the core (e.g. receipt numbering
        not yet confirmed by the ledger after a reinstall)."""
        self._fault(reason, detail)

    def release(self, reason: str) -> None:
        self._clear_fault(reason)

    def offer_catalog(self, catalog: Catalog) -> bool:
        """A new catalog (from the ledger): taken between customers only; a customer on the
        screens finishes with the catalog they started with. True when it is in use now."""
        self._next_catalog = catalog
        return self._swap_catalog()

    def _swap_catalog(self) -> bool:
        live, catalog = self._live, self._next_catalog
        if catalog is None or (live is not None
                               and live.state not in (State.DONE, State.CANCELLED)):
            return False
        self._next_catalog = None
        if catalog != self.catalog:
            log_event(log, "catalog in use", old=self.catalog.version, new=catalog.version)
            self.catalog = self.desk.catalog = catalog
            self._publish()
        return True

    def suspend(self) -> None:
        """The kiosk is stopping: take no more cash (the acceptor is disabled); a session
        holding cash is finished by recovery at the next start."""
        self._fault("stopping", "the kiosk is stopping")

    # -- small helpers --------------------------------------------------------------------
    def _move(self, live: LiveSession, to: State, detail: str | None = None,
              **columns: object) -> None:
        if to not in ALLOWED[live.state]:
            raise TransitionError(f"{live.state} -> {to} is not allowed")
        try:
            self.records.transition(live.operation_id, live.state.value, to.value,
                                    self._now_ms(), detail, **columns)
        except StoreError as exc:
            self._store_fault(exc)
            raise
        live.state = to

    def _require(self, *states: State) -> LiveSession:
        live = self._live
        if live is None or live.state not in states:
            current = live.state if live else State.IDLE
            raise TransitionError(f"not allowed in state {current}")
        return live

    def touch(self) -> None:
        """The customer did something: restart the inactivity timers."""
        if self._live is not None:
            self._live.last_activity = self.clock.monotonic()
            self._live.attention = Attention.NONE
            self._live.attention_deadline = None
            self._publish()

    def set_language(self, language: Language) -> None:
        self._language = language
        if self._live is not None:
            self._live.language = language
        self._publish()

    # -- customer intents -----------------------------------------------------------------
    def choose_service(self, service_id: str) -> str:
        """Open a session for a service; its operation id exists from now on."""
        if self._live is not None and self._live.state in (State.DONE, State.CANCELLED):
            self._live = None
        if self._live is not None:
            raise TransitionError(f"a session is open in state {self._live.state}")
        self._swap_catalog()
        if self._acceptance_test is not None:
            raise NotAvailable(("acceptance_test",))
        self.check_printer(force=True)
        self.refresh_availability()
        if not self.in_service:
            raise NotAvailable(tuple(sorted(self._faults)))
        service = self.catalog.get(service_id)
        operation_id = str(uuid7(self._now_ms(), self.rng))
        try:
            self.records.open_session(operation_id, self._now_ms(), self._language, service.id)
        except StoreError as exc:
            self._store_fault(exc)
            raise NotAvailable(("storage",)) from exc
        self._live = LiveSession(operation_id, service, self._language, State.SERVICE_CHOSEN,
                           self.clock.monotonic())
        log_event(log, "session opened", operation_id=operation_id, service=service.id)
        self._publish()
        return operation_id

    def enter_account(self, text: str) -> AccountValidation:
        """Validate the typed number; a valid one moves the session on."""
        live = self._require(State.SERVICE_CHOSEN, State.ACCOUNT_ENTERED, State.ACCOUNT_CHECKED)
        live.last_activity = self.clock.monotonic()
        result = validate_account(live.service.account_rule, text)
        if result.ok and result.account is not None:
            self._move(live, State.ACCOUNT_ENTERED, account=result.account)
            live.account = result.account
            live.check = None
            live.headroom = None
        self._publish()
        return result

    def confirm_account(self) -> CheckResult:
        """Check the account with the ledger when online; offline, format rules only."""
        live = self._require(State.ACCOUNT_ENTERED)
        assert live.account is not None
        live.last_activity = self.clock.monotonic()
        result: CheckResult | None = None
        if self.checker is not None and self.link_online():
            try:
                result = self.checker.check(live.service, live.account)
            except LinkDown as exc:
                log_event(log, "account check offline", logging.WARNING, error=str(exc))
        if result is None:
            result = CheckResult.offline_result()
        live.check = result
        if not result.ok:
            self._publish()
            return result
        live.offline = result.offline
        live.headroom = result.headroom
        room = result.headroom
        # The wallet's room is not kept: the ledger has it, and a kiosk database is no place
        # for figures a balance follows from (docs/decisions/016).
        self._move(live, State.ACCOUNT_CHECKED, f"code={result.code}", offline=result.offline,
                   wallet_status=room.status.value if room and room.status else None)
        self._publish()
        return result

    def start_cash(self, *, without_receipt: bool = False) -> Acceptable:
        """Enable the acceptor for exactly what the account may still receive. When no
        receipt can be printed, the customer must have agreed (``without_receipt``)."""
        live = self._require(State.ACCOUNT_CHECKED)
        printer = self.check_printer(force=True)
        if not self.in_service:
            raise NotAvailable(tuple(sorted(self._faults)))
        detail = None
        if printer is not None and not printer.can_print:
            if not without_receipt:
                self._publish()
                raise ReceiptUnavailable(printer)
            live.without_receipt = True
            detail = f"without receipt: {printer.state}"
            log_event(log, "customer goes on without a receipt",
                      operation_id=live.operation_id, printer=printer.state)
        self._move(live, State.ACCEPTING, detail)
        live.last_activity = self.clock.monotonic()
        self._apply_enabled()
        self._publish()
        acceptable = self.acceptable()
        assert acceptable is not None
        return acceptable

    def edit_account(self) -> None:
        live = self._require(State.ACCOUNT_CHECKED, State.ACCOUNT_ENTERED)
        live.last_activity = self.clock.monotonic()
        self._publish()

    def breakdown(self) -> Breakdown | None:
        live = self._live
        if live is None:
            return None
        return live.service.commission.breakdown(live.inserted)

    def can_pay(self) -> bool:
        live = self._live
        if live is None or live.state is not State.ACCEPTING or live.pending_order is not None:
            return False
        shown = live.service.commission.breakdown(live.inserted)
        return live.inserted >= live.service.min_amount and shown.credited.tiyn > 0

    def pay(self, completion: str = "customer") -> CompletedPayment:
        """Complete the payment to the entered account and print the receipt."""
        live = self._require(State.ACCEPTING, State.PAYING)
        if live.state is State.ACCEPTING:
            if live.pending_order is not None:
                raise NotAllowed("a note is still being stacked")
            if not live.notes:
                raise NotAllowed("no cash inserted")
            if completion == "customer" and not self.can_pay():
                raise NotAllowed(f"the minimum is {live.service.min_amount}")
            self._apply_disabled()
            self.hooks(CrashPoint.BEFORE_PAY)
            # The move to paying is recorded in the payment's own transaction: one commit on
            # the customer's wait; if it fails, the stored state is still accepting, and
            # recovery pays accepting and paying sessions alike.
            live.state = State.PAYING
            live.completion = completion
        return self._finish_payment(live, live.completion)

    def _finish_payment(self, live: LiveSession, completion: str) -> CompletedPayment:
        assert live.account is not None
        try:
            done = self.desk.complete(live.operation_id, live.service.id, live.account,
                                      live.language, completion=completion,
                                      offline=live.offline, recovered=False,
                                      from_state="accepting")
        except StoreError as exc:
            self._store_fault(exc)
            raise
        live.state = State.RECEIPT
        live.completed = done
        self._move(live, State.DONE, "printed" if done.printed else "not printed",
                   outcome="paid")
        live.done_at = self.clock.monotonic()
        live.attention = Attention.NONE
        if not done.printed:
            self._printer_checked = float("-inf")  # ask the printer again once idle
        self._publish()
        return done

    def cancel(self) -> None:
        """End the session; refused once any cash is in or a note is on its way."""
        live = self._live
        if live is None or live.state in (State.DONE, State.CANCELLED):
            self._live = None
            self._publish()
            return
        if live.notes or live.pending_order is not None:
            raise NotAllowed("cash is in: the payment can only be completed")
        if live.state not in (State.SERVICE_CHOSEN, State.ACCOUNT_ENTERED, State.ACCOUNT_CHECKED,
                              State.ACCEPTING):
            raise NotAllowed(f"cannot cancel in state {live.state}")
        self._move(live, State.CANCELLED, outcome="cancelled")
        self._live = None
        self._apply_enabled()
        self._publish()

    def finish(self) -> None:
        """Leave the thank-you screen."""
        if self._live is not None and self._live.state is State.DONE:
            self._live = None
            self._publish()

    # -- time -----------------------------------------------------------------------------
    def tick(self) -> None:
        """Advance timers: warn, then end an empty session or complete one with cash in."""
        live = self._live
        if live is None or live.state is State.DONE:
            self.check_printer()
        if live is None:
            self._swap_catalog()
            return
        now = self.clock.monotonic()
        idle = now - live.last_activity
        kiosk = self.config.kiosk
        if live.state is State.DONE:
            if live.done_at is not None and now - live.done_at >= THANK_YOU_S:
                self.finish()
            return
        if live.state is State.PAYING:
            self._retry_payment(live)
            return
        has_cash = bool(live.notes) or live.pending_order is not None
        if has_cash:
            if live.state is not State.ACCEPTING:
                return
            if live.pending_order is not None:
                if idle < kiosk.cash_complete_s:
                    return
                # A note stuck on its way (jam, cassette out): pay what is journaled now. The
                # order stays open: if the device later reports the note stacked, it is
                # credited as a late payment to this account; if not, the next note or a
                # restart closes it for the technician's count.
                self._detach_pending_order()
                if not live.notes:
                    return
            if idle >= kiosk.cash_complete_s:
                log_event(log, "cash timeout: completing payment",
                          operation_id=live.operation_id)
                try:
                    self.pay(completion="timeout")
                except StoreError:
                    return
            elif idle >= kiosk.cash_warn_s and live.attention is not Attention.COMPLETING:
                live.attention = Attention.COMPLETING
                live.attention_deadline = live.last_activity + kiosk.cash_complete_s
                self._publish()
            return
        if idle >= kiosk.idle_timeout_s + STILL_THERE_COUNTDOWN_S:
            log_event(log, "session abandoned", operation_id=live.operation_id)
            self._move(live, State.CANCELLED, "idle timeout", outcome="abandoned")
            self._live = None
            self._apply_enabled()
            self._publish()
        elif idle >= kiosk.idle_timeout_s and live.attention is not Attention.STILL_THERE:
            live.attention = Attention.STILL_THERE
            live.attention_deadline = (live.last_activity + kiosk.idle_timeout_s
                                       + STILL_THERE_COUNTDOWN_S)
            self._publish()

    def _retry_payment(self, live: LiveSession) -> None:
        """A payment whose commit failed (store fault) is retried once the store writes."""
        self.refresh_availability()
        if "storage" in self._faults:
            return
        try:
            self._finish_payment(live, live.completion)
        except StoreError:
            return

    # -- snapshot -------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        live = self._live
        printer = self._printer
        base = Snapshot(state=State.IDLE, in_service=self.in_service,
                        out_of_service_reasons=tuple(sorted(self._faults)),
                        online=self.link_online(), language=self._language,
                        printer_state=printer.state if printer else None,
                        printer_reason=printer.reason if printer else "",
                        catalog=self.catalog)
        if live is None:
            return base
        shown = live.service.commission.breakdown(live.inserted)
        acceptable = self.acceptable() if live.state is State.ACCEPTING else None
        done = live.completed
        return replace(
            base, state=live.state, operation_id=live.operation_id, service_id=live.service.id,
            account=live.account, inserted=shown.inserted, commission=shown.commission,
            credited=shown.credited, notes=tuple(Money(n) for n in live.notes),
            max_more=acceptable.shown_more if acceptable else Money(0),
            limit_reason=acceptable.shown_reason.value if acceptable else "none",
            wallet_full=self._wallet_full(acceptable) if acceptable else False,
            enabled_notes=self._enabled or frozenset(), can_pay=self.can_pay(),
            can_cancel=not live.notes and live.pending_order is None
            and live.state not in (State.PAYING, State.RECEIPT, State.DONE),
            note_in_progress=live.pending_order is not None, last_returned=live.last_returned,
            attention=live.attention, attention_deadline=live.attention_deadline,
            receipt_number=done.receipt_number if done else None,
            receipt_text=done.receipt_text if done else None,
            printed=done.printed if done else None,
            receipt_choice=self._needs_receipt_choice(live),
            without_receipt=live.without_receipt,
        )

