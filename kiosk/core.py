"""The kiosk core: one thread, customer intents and device events in, durable records out.

The core keeps the customer's intents and the timers; the decisions are its parts', each
with its own state (docs/decisions/025-core-by-composition.md):

* :class:`~kiosk.session.SessionSlot` — the open session and its transitions (``ALLOWED``);
* :class:`~kiosk.availability.Availability` — why the kiosk is out of service;
* :class:`~kiosk.cash.CashDesk` — escrow, STACK orders, the journal, late notes;
* :class:`~kiosk.printer_policy.PrinterPolicy` — the printer's state and the no-paper policy;
* :class:`~kiosk.upkeep.TechnicianTools` — reprints, look-ups, acceptance test, encashment;
* :class:`~kiosk.payment.PaymentDesk` — one payment's durable transaction and its receipt.

kiosk/app.py builds them (:func:`kiosk.app.build_core`); the snapshot is built here from
their read-only views.

Money rules enforced here and in the cash desk:
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
from kiosk.availability import STORAGE, Availability
from kiosk.cash import CashDesk
from kiosk.checks import AccountChecker, CheckResult, LinkDown
from kiosk.config import Config
from kiosk.crashpoints import CrashPoint, Hook
from kiosk.domain.accounts import AccountValidation, validate_account
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import Clock
from kiosk.domain.commission import Breakdown
from kiosk.domain.limits import Acceptable
from kiosk.domain.logfmt import log_event
from kiosk.domain.money import Language, Money
from kiosk.ids import uuid7
from kiosk.payment import CompletedPayment, PaymentDesk, PrinterReadiness, ReceiptPrinter
from kiosk.printer_policy import PRINTER_CHECK_S, PrinterPolicy
from kiosk.session import (
    Attention,
    LiveSession,
    NotAllowed,
    NotAvailable,
    ReceiptUnavailable,
    Screens,
    SessionSlot,
    Snapshot,
    State,
    TransitionError,
)
from kiosk.store import lookups
from kiosk.store.db import Store, StoreError
from kiosk.store.records import Records
from kiosk.upkeep import EncashmentDone, TechnicianTools

log = logging.getLogger("kiosk.core")

__all__ = ["PRINTER_CHECK_S", "KioskCore", "NotAllowed", "NotAvailable", "ReceiptUnavailable"]

STILL_THERE_COUNTDOWN_S = 20.0
THANK_YOU_S = 15.0
_CANCELLABLE = (State.SERVICE_CHOSEN, State.ACCOUNT_ENTERED, State.ACCOUNT_CHECKED, State.ACCEPTING)


class KioskCore:
    """All business decisions of one terminal. Not thread-safe: call from one thread."""

    def __init__(
        self,
        config: Config,
        catalog: Catalog,
        *,
        records: Records,
        session: SessionSlot,
        availability: Availability,
        cash: CashDesk,
        printing: PrinterPolicy,
        tools: TechnicianTools,
        payments: PaymentDesk,
        screens: Screens,
        clock: Clock,
        rng: random.Random,
        checker: AccountChecker | None,
        link_online: Callable[[], bool],
        hooks: Hook,
    ) -> None:
        self.config = config
        self.catalog = catalog
        self.records = records
        self.session = session
        self.availability = availability
        self.cash = cash
        self.printing = printing
        self.tools = tools
        self.desk = payments
        self.screens = screens
        self.clock = clock
        self.rng = rng
        self.checker = checker
        self.link_online = link_online
        self.hooks = hooks
        self._language: Language = config.kiosk.default_language
        self._next_catalog: Catalog | None = None
        screens.bind(self.snapshot)

    # -- the parts, as callers outside the core know them ----------------------------------
    @property
    def store(self) -> Store:
        return self.records.store

    @property
    def acceptor(self) -> bill.BillAcceptor | None:
        return self.cash.acceptor

    @property
    def printer(self) -> ReceiptPrinter | None:
        return self.printing.printer

    @property
    def mrp(self) -> Money:
        return self.cash.mrp

    @property
    def faults(self) -> dict[str, str]:
        return self.availability.faults

    @property
    def in_service(self) -> bool:
        return self.availability.in_service

    @property
    def printer_state(self) -> PrinterReadiness | None:
        """The printer's last known state (None without a printer or before the first ask)."""
        return self.printing.reading

    @property
    def acceptance_test(self) -> tuple[str, ...] | None:
        """The running test's results so far (None when no test runs)."""
        return self.cash.acceptance_test

    def subscribe(self, callback: Callable[[Snapshot], None]) -> None:
        self.screens.subscribe(callback)

    def _publish(self) -> None:
        self.screens.publish()

    def _now_ms(self) -> int:
        return int(self.clock.now() * 1000)

    # -- availability -----------------------------------------------------------------------
    def hold(self, reason: str, detail: str) -> None:
        """Out of service for a reason decided outside the core (e.g. receipt numbering
        not yet confirmed by the ledger after a reinstall)."""
        self.availability.fault(reason, detail)

    def release(self, reason: str) -> None:
        self.availability.clear(reason)

    def suspend(self) -> None:
        """The kiosk is stopping: take no more cash (the acceptor is disabled); a session
        holding cash is finished by recovery at the next start."""
        self.availability.fault("stopping", "the kiosk is stopping")

    def refresh_availability(self) -> None:
        """Re-check the offline limits and the store; called on start and by tick()."""
        self.availability.refresh()

    def acceptable(self) -> Acceptable | None:
        return self.cash.acceptable()

    def check_printer(self, *, force: bool = False) -> PrinterReadiness | None:
        """Ask the printer and apply the no-paper policy (kiosk/printer_policy.py)."""
        return self.printing.check(force=force)

    def offer_catalog(self, catalog: Catalog) -> bool:
        """A new catalog (from the ledger): taken between customers only; a customer on the
        screens finishes with the catalog they started with. True when it is in use now."""
        self._next_catalog = catalog
        return self._swap_catalog()

    def _swap_catalog(self) -> bool:
        live, catalog = self.session.live, self._next_catalog
        if catalog is None or (
            live is not None and live.state not in (State.DONE, State.CANCELLED)
        ):
            return False
        self._next_catalog = None
        if catalog != self.catalog:
            log_event(log, "catalog in use", old=self.catalog.version, new=catalog.version)
            self.catalog = self.desk.catalog = catalog
            self._publish()
        return True

    # -- small helpers --------------------------------------------------------------------
    def touch(self) -> None:
        """The customer did something: restart the inactivity timers."""
        live = self.session.live
        if live is not None:
            live.last_activity = self.clock.monotonic()
            live.attention = Attention.NONE
            live.attention_deadline = None
            self._publish()

    def set_language(self, language: Language) -> None:
        self._language = language
        if self.session.live is not None:
            self.session.live.language = language
        self._publish()

    def _end_session(self) -> None:
        """The session is gone from the screens; the acceptor takes nothing more."""
        self.session.close()
        self.cash.apply_enabled()
        self._publish()

    # -- customer intents -----------------------------------------------------------------
    def choose_service(self, service_id: str) -> str:
        """Open a session for a service; its operation id exists from now on."""
        live = self.session.live
        if live is not None and live.state in (State.DONE, State.CANCELLED):
            self.session.close()
        elif live is not None:
            raise TransitionError(f"a session is open in state {live.state}")
        self._swap_catalog()
        if self.cash.acceptance_test is not None:
            raise NotAvailable(("acceptance_test",))
        self.check_printer(force=True)
        self.refresh_availability()
        if not self.in_service:
            raise NotAvailable(self.availability.reasons)
        service = self.catalog.get(service_id)
        operation_id = str(uuid7(self._now_ms(), self.rng))
        try:
            self.records.open_session(operation_id, self._now_ms(), self._language, service.id)
        except StoreError as exc:
            self.availability.store_fault(exc)
            raise NotAvailable((STORAGE,)) from exc
        self.session.open(
            LiveSession(
                operation_id, service, self._language, State.SERVICE_CHOSEN, self.clock.monotonic()
            )
        )
        log_event(log, "session opened", operation_id=operation_id, service=service.id)
        self._publish()
        return operation_id

    def enter_account(self, text: str) -> AccountValidation:
        """Validate the typed number; a valid one moves the session on."""
        live = self.session.require(
            State.SERVICE_CHOSEN, State.ACCOUNT_ENTERED, State.ACCOUNT_CHECKED
        )
        live.last_activity = self.clock.monotonic()
        result = validate_account(live.service.account_rule, text)
        if result.ok and result.account is not None:
            self.session.move(live, State.ACCOUNT_ENTERED, account=result.account)
            live.account = result.account
            live.check = None
            live.headroom = None
        self._publish()
        return result

    def confirm_account(self) -> CheckResult:
        """Check the account with the ledger when online; offline, format rules only."""
        live = self.session.require(State.ACCOUNT_ENTERED)
        assert live.account is not None
        live.last_activity = self.clock.monotonic()
        result = self._check_account(live)
        live.check = result
        if not result.ok:
            self._publish()
            return result
        live.offline = result.offline
        live.headroom = result.headroom
        room = result.headroom
        # The wallet's room is not kept: the ledger has it, and a kiosk database is no place
        # for figures a balance follows from (docs/decisions/016).
        self.session.move(
            live,
            State.ACCOUNT_CHECKED,
            f"code={result.code}",
            offline=result.offline,
            wallet_status=room.status.value if room and room.status else None,
        )
        self._publish()
        return result

    def _check_account(self, live: LiveSession) -> CheckResult:
        assert live.account is not None
        if self.checker is not None and self.link_online():
            try:
                return self.checker.check(live.service, live.account)
            except LinkDown as exc:
                log_event(log, "account check offline", logging.WARNING, error=str(exc))
        return CheckResult.offline_result()

    def start_cash(self, *, without_receipt: bool = False) -> Acceptable:
        """Enable the acceptor for exactly what the account may still receive. When no
        receipt can be printed, the customer must have agreed (``without_receipt``)."""
        live = self.session.require(State.ACCOUNT_CHECKED)
        printer = self.check_printer(force=True)
        if not self.in_service:
            raise NotAvailable(self.availability.reasons)
        detail = None
        if printer is not None and not printer.can_print:
            if not without_receipt:
                self._publish()
                raise ReceiptUnavailable(printer)
            live.without_receipt = True
            detail = f"without receipt: {printer.state}"
            log_event(
                log,
                "customer goes on without a receipt",
                operation_id=live.operation_id,
                printer=printer.state,
            )
        self.session.move(live, State.ACCEPTING, detail)
        live.last_activity = self.clock.monotonic()
        self.cash.apply_enabled()
        self._publish()
        acceptable = self.acceptable()
        assert acceptable is not None
        return acceptable

    def edit_account(self) -> None:
        live = self.session.require(State.ACCOUNT_CHECKED, State.ACCOUNT_ENTERED)
        live.last_activity = self.clock.monotonic()
        self._publish()

    def breakdown(self) -> Breakdown | None:
        live = self.session.live
        if live is None:
            return None
        return live.service.commission.breakdown(live.inserted)

    def can_pay(self) -> bool:
        live = self.session.live
        if live is None or live.state is not State.ACCEPTING or live.pending_order is not None:
            return False
        shown = live.service.commission.breakdown(live.inserted)
        return live.inserted >= live.service.min_amount and shown.credited.tiyn > 0

    def pay(self, completion: str = "customer") -> CompletedPayment:
        """Complete the payment to the entered account and print the receipt."""
        live = self.session.require(State.ACCEPTING, State.PAYING)
        if live.state is State.ACCEPTING:
            if live.pending_order is not None:
                raise NotAllowed("a note is still being stacked")
            if not live.notes:
                raise NotAllowed("no cash inserted")
            if completion == "customer" and not self.can_pay():
                raise NotAllowed(f"the minimum is {live.service.min_amount}")
            self.cash.apply_disabled()
            self.hooks(CrashPoint.BEFORE_PAY)
            # The move to paying is recorded in the payment's own transaction: one commit on
            # the customer's wait; if it fails, the stored state is still accepting, and
            # recovery pays accepting and paying sessions alike.
            self.session.advance(live, State.PAYING)
            live.completion = completion
        return self._finish_payment(live, live.completion)

    def _finish_payment(self, live: LiveSession, completion: str) -> CompletedPayment:
        assert live.account is not None
        try:
            done = self.desk.complete(
                live.operation_id,
                live.service.id,
                live.account,
                live.language,
                completion=completion,
                offline=live.offline,
                recovered=False,
                from_state="accepting",
            )
        except StoreError as exc:
            self.availability.store_fault(exc)
            raise
        self.session.advance(live, State.RECEIPT)  # stored by the payment's transaction
        live.completed = done
        live.ledger_status = self._ledger_answer(live)
        self.session.move(
            live, State.DONE, "printed" if done.printed else "not printed", outcome="paid"
        )
        live.done_at = self.clock.monotonic()
        live.attention = Attention.NONE
        if not done.printed:
            self.printing.forget()  # ask the printer again once idle
        self._publish()
        return done

    def cancel(self) -> None:
        """End the session; refused once any cash is in or a note is on its way."""
        live = self.session.live
        if live is None or live.state in (State.DONE, State.CANCELLED):
            self.session.close()
            self._publish()
            return
        if live.holds_cash:
            raise NotAllowed("cash is in: the payment can only be completed")
        if live.state not in _CANCELLABLE:
            raise NotAllowed(f"cannot cancel in state {live.state}")
        self.session.move(live, State.CANCELLED, outcome="cancelled")
        self._end_session()

    def finish(self) -> None:
        """Leave the thank-you screen."""
        live = self.session.live
        if live is not None and live.state is State.DONE:
            self.session.close()
            self._publish()

    # -- time -----------------------------------------------------------------------------
    def tick(self) -> None:
        """Advance timers: warn, then end an empty session or complete one with cash in."""
        live = self.session.live
        if live is None or live.state is State.DONE:
            self.check_printer()
        if live is None:
            self._swap_catalog()
        elif live.state is State.DONE:
            if live.done_at is not None and self.clock.monotonic() - live.done_at >= THANK_YOU_S:
                self.finish()
            else:
                self._follow_ledger(live)
        elif live.state is State.PAYING:
            self._retry_payment(live)
        elif live.holds_cash:
            if live.state is State.ACCEPTING:
                self._tick_with_cash(live)
        else:
            self._tick_without_cash(live)

    def _ledger_answer(self, live: LiveSession) -> str:
        """What the ledger answered about the session's payment so far (the outbox worker
        stores its answer in the kiosk's database); pending when the store cannot say."""
        try:
            return lookups.ledger_answer(self.store, live.operation_id)
        except StoreError:
            return lookups.PENDING

    def _follow_ledger(self, live: LiveSession) -> None:
        """The thanks screen follows the ledger: a new answer is published at once."""
        if live.ledger_status == lookups.PENDING:
            answer = self._ledger_answer(live)
            if answer != live.ledger_status:
                live.ledger_status = answer
                self._publish()

    def _tick_with_cash(self, live: LiveSession) -> None:
        """Cash is in: warn the customer, then complete the payment to the entered account."""
        kiosk = self.config.kiosk
        idle = self.clock.monotonic() - live.last_activity
        if live.pending_order is not None:
            if idle < kiosk.cash_complete_s:
                return
            # A note stuck on its way (jam, cassette out): pay what is journaled now. The
            # order stays open: if the device later reports the note stacked, it is
            # credited as a late payment to this account; if not, the next note or a
            # restart closes it for the technician's count.
            self.cash.detach_pending_order()
            if not live.notes:
                return
        if idle >= kiosk.cash_complete_s:
            log_event(log, "cash timeout: completing payment", operation_id=live.operation_id)
            try:
                self.pay(completion="timeout")
            except StoreError:
                return
        elif idle >= kiosk.cash_warn_s and live.attention is not Attention.COMPLETING:
            live.attention = Attention.COMPLETING
            live.attention_deadline = live.last_activity + kiosk.cash_complete_s
            self._publish()

    def _tick_without_cash(self, live: LiveSession) -> None:
        """No cash in: ask whether the customer is still there, then end the session."""
        kiosk = self.config.kiosk
        idle = self.clock.monotonic() - live.last_activity
        if idle >= kiosk.idle_timeout_s + STILL_THERE_COUNTDOWN_S:
            log_event(log, "session abandoned", operation_id=live.operation_id)
            self.session.move(live, State.CANCELLED, "idle timeout", outcome="abandoned")
            self._end_session()
        elif idle >= kiosk.idle_timeout_s and live.attention is not Attention.STILL_THERE:
            live.attention = Attention.STILL_THERE
            live.attention_deadline = (
                live.last_activity + kiosk.idle_timeout_s + STILL_THERE_COUNTDOWN_S
            )
            self._publish()

    def _retry_payment(self, live: LiveSession) -> None:
        """A payment whose commit failed (store fault) is retried once the store writes."""
        self.refresh_availability()
        if STORAGE in self.availability:
            return
        try:
            self._finish_payment(live, live.completion)
        except StoreError:
            return

    # -- the acceptor ---------------------------------------------------------------------
    def on_acceptor_event(self, event: bill.AcceptorEvent) -> bill.Decision | None:
        """The one listener of the bill acceptor (see drivers/bill/base.py for the contract);
        the cash desk decides, the screens hear of it whatever happened."""
        try:
            return self.cash.on_event(event)
        finally:
            self._publish()

    # -- the technician's and the status screen's tools -----------------------------------
    def reprint(self, operation_id: str) -> bool:
        return self.tools.reprint(operation_id)

    def print_missing_receipt(self, operation_id: str, *, typed_operation: str = "") -> bool:
        return self.tools.print_missing_receipt(operation_id, typed_operation=typed_operation)

    def payment_status(self, receipt_number: int, inserted: Money) -> lookups.PaymentStatus | None:
        return self.tools.payment_status(receipt_number, inserted)

    def payment_status_by_operation(self, typed: str) -> lookups.PaymentStatus | None:
        return self.tools.payment_status_by_operation(typed)

    def recent_device_events(self, limit: int = 5) -> list[str]:
        return self.tools.recent_device_events(limit)

    def start_acceptance_test(self) -> None:
        self.tools.start_acceptance_test()

    def stop_acceptance_test(self) -> tuple[str, ...]:
        return self.tools.stop_acceptance_test()

    def encash(
        self, cassette_id: str, technician_id: str, counted: int | None = None
    ) -> EncashmentDone:
        return self.tools.encash(cassette_id, technician_id, self._language, counted)

    def device_report(self) -> dict[str, object]:
        """Device states for the ledger's heartbeat (read from the outbox worker's thread:
        plain attribute reads of values the parts replace whole)."""
        report: dict[str, object] = {"out_of_service": list(self.availability.reasons)}
        validator = self.cash.device_report()
        if validator is not None:
            report["validator"] = validator
        printer = self.printing.report()
        if printer is not None:
            report["printer"] = printer
        return report

    # -- snapshot -------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """What the screens show, from the parts' read-only views."""
        live = self.session.live
        printer = self.printing.reading
        base = Snapshot(
            state=State.IDLE,
            in_service=self.in_service,
            out_of_service_reasons=self.availability.reasons,
            online=self.link_online(),
            language=self._language,
            printer_state=printer.state if printer else None,
            printer_reason=printer.reason if printer else "",
            catalog=self.catalog,
            maintenance_notice_at=self.availability.maintenance_notice_at,
        )
        if live is None:
            return base
        shown = live.service.commission.breakdown(live.inserted)
        view = self.cash.view() if live.state is State.ACCEPTING else None
        acceptable = view.acceptable if view is not None else None
        done = live.completed
        return replace(
            base,
            state=live.state,
            operation_id=live.operation_id,
            service_id=live.service.id,
            account=live.account,
            inserted=shown.inserted,
            commission=shown.commission,
            credited=shown.credited,
            notes=tuple(Money(n) for n in live.notes),
            max_more=acceptable.shown_more if acceptable else Money(0),
            limit_reason=acceptable.shown_reason.value if acceptable else "none",
            wallet_full=view.wallet_full if view is not None else False,
            enabled_notes=self.cash.enabled,
            can_pay=self.can_pay(),
            can_cancel=not live.holds_cash
            and live.state not in (State.PAYING, State.RECEIPT, State.DONE),
            note_in_progress=live.pending_order is not None,
            last_returned=live.last_returned,
            attention=live.attention,
            attention_deadline=live.attention_deadline,
            receipt_number=done.receipt_number if done else None,
            receipt_text=done.receipt_text if done else None,
            printed=done.printed if done else None,
            receipt_choice=self.printing.needs_receipt_choice(live),
            without_receipt=live.without_receipt,
            ledger_status=live.ledger_status if done else "",
            below_minimum=live.inserted < live.service.min_amount,
            min_amount=live.service.min_amount,
        )
