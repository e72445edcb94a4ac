"""Scripted, seeded customers and the technician, driving one kiosk on simulated devices.

A customer picks a service, types a number (sometimes wrongly), feeds notes (sometimes a
fake, or one over the limit), then pays, cancels or walks away; faults from the campaign's
schedule strike in the middle of a note, and the technician clears them afterwards.
"""

from __future__ import annotations

import enum
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from drivers.sim.bill.mechanics import Fault, SimulatorRefused
from kiosk.app import Kiosk
from kiosk.checks import CheckResult
from kiosk.core import NotAllowed, NotAvailable, ReceiptUnavailable
from kiosk.domain.accounts import AccountKind, AccountValidation
from kiosk.domain.catalog import Service
from kiosk.domain.clock import KZ_TIME, ManualClock
from kiosk.domain.money import LANGUAGES, Language, Money
from kiosk.domain.privacy import mask_account
from kiosk.payment import CompletedPayment
from kiosk.session import State
from kiosk.sim.campaign import COVER_OPENS_AFTER_BYTES, MID_NOTE, FaultKind, strike_device
from kiosk.sim.ledger_link import LedgerLink

KZT_NOTES_TENGE = (200, 500, 1000, 2000, 5000, 10000, 20000)
POLL_STEP_S = 0.1
MAX_POLLS_PER_NOTE = 200
FAULT_SETTLE_POLLS = 150
LINK_STEP_POLLS = 10
KZ_MOBILE_PREFIXES = (
    "700",
    "701",
    "702",
    "705",
    "707",
    "708",
    "747",
    "771",
    "775",
    "776",
    "777",
    "778",
)


class Behaviour(enum.StrEnum):
    PAYS = "pays"
    TYPO_THEN_PAYS = "typo_then_pays"
    OVER_LIMIT_NOTE = "over_limit_note"
    FAKE_NOTE = "fake_note"
    CANCELS = "cancels"
    WALKS_AWAY_WITH_CASH = "walks_away_with_cash"
    WALKS_AWAY_EMPTY = "walks_away_empty"


BEHAVIOUR_WEIGHTS = {
    Behaviour.PAYS: 55,
    Behaviour.TYPO_THEN_PAYS: 12,
    Behaviour.OVER_LIMIT_NOTE: 8,
    Behaviour.FAKE_NOTE: 8,
    Behaviour.CANCELS: 7,
    Behaviour.WALKS_AWAY_WITH_CASH: 6,
    Behaviour.WALKS_AWAY_EMPTY: 4,
}
TARGET_TENGE = (200, 500, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 20000, 50000, 100000)
TARGET_WEIGHTS = (4, 10, 18, 8, 14, 10, 12, 5, 8, 5, 4, 2)


@dataclass
class DayStats:
    outcomes: dict[str, int] = field(default_factory=dict)
    notes_inserted: int = 0
    notes_returned: int = 0
    notes_rejected: int = 0
    notes_refused: int = 0
    typos_caught: int = 0

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def account_for(service: Service, rng: random.Random) -> str:
    rule = service.account_rule
    if rule.kind is AccountKind.WMK_PURSE:
        return "K" + "".join(rng.choice("0123456789") for _ in range(12))
    prefixes = sorted(rule.operator_prefixes) or list(KZ_MOBILE_PREFIXES)
    digits = "".join(rng.choice("0123456789") for _ in range(7))
    return f"+7{rng.choice(prefixes)}{digits}"


def typo_of(account: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        cut = rng.randrange(2, len(account))
        return account[:cut] + account[cut + 1 :]  # a digit missing
    return account[:2] + "69" + account[4:]  # not a Kazakh mobile number


def notes_for(target_tenge: int, rng: random.Random) -> list[int]:
    """Notes a customer might feed for a target amount (tenge), largest first."""
    notes: list[int] = []
    left = target_tenge
    while left >= 200:
        fitting = [n for n in KZT_NOTES_TENGE if n <= left]
        note = fitting[-1] if rng.random() < 0.7 else rng.choice(fitting)
        notes.append(note)
        left -= note
    return notes or [200]


class Day:
    """Drives one kiosk through a list of customers, with the faults the schedule sends."""

    def __init__(
        self,
        kiosk: Kiosk,
        device: Any,
        clock: ManualClock,
        rng: random.Random,
        say: Callable[[str], None],
        link: LedgerLink | None = None,
        paper: Any = None,
    ) -> None:
        self.kiosk = kiosk
        self.core = kiosk.core
        self.device = device  # the simulated validator, however the driver reaches it
        self.paper = paper  # the simulated printer (its control commands), when there is one
        self.clock = clock
        self.rng = rng
        self.say = say
        self.link = link
        self.stats = DayStats()
        self.fault: FaultKind | None = None  # strikes during the current customer
        self.struck: str | None = None
        self.flapping = False
        self.poll_pause_s = 0.0  # real seconds between polls, for a device on real time
        self._pumps = 0

    def use(self, kiosk: Kiosk) -> None:
        """Carry on with a new kiosk process (after a crash) on the same device."""
        self.kiosk, self.core = kiosk, kiosk.core

    def wall(self) -> str:
        moment = datetime.fromtimestamp(self.clock.now(), UTC).astimezone(KZ_TIME)
        return moment.strftime("%H:%M:%S")

    def pump(self, polls: int = 1) -> None:
        for _ in range(polls):
            self.kiosk.acceptor.poll_once()
            if self.poll_pause_s:
                time.sleep(self.poll_pause_s)
            self.clock.advance(POLL_STEP_S)
            self.core.tick()
            self._pumps += 1
            worker = self.kiosk.worker
            if self.link is not None and worker is not None and self._pumps % LINK_STEP_POLLS == 0:
                if self.flapping:
                    self.link.proxy.set("pass" if self.link.proxy.mode == "down" else "down")
                worker.step()

    def strike(self) -> None:
        if self.fault is not None and self.struck is None:
            self.struck = strike_device(self.fault, self.device, self.rng)

    def feed(self, amount_tiyn: int | None) -> str:
        """Insert one note (None: a fake) and poll until the device has settled it."""
        self.pump()  # the driver applies the core's enabled set at its next cycle
        cassette, returned = len(self.device.cassette), len(self.device.returned)
        self.stats.notes_inserted += 1
        before = self.core.snapshot().last_returned
        try:
            if amount_tiyn is None:
                self.device.insert_fake()
            else:
                self.device.insert(amount_tiyn)
        except SimulatorRefused:
            self.stats.notes_refused += 1
            return "not taken (acceptor disabled)"
        if self.fault in MID_NOTE and self.struck is None:
            self.pump(self.rng.randint(1, 4))  # somewhere along the note's way
            rejected, removed = len(self.device.rejected), len(self.device.removed)
            self.strike()
            self.pump(FAULT_SETTLE_POLLS)  # past the device's escrow timeout
            if len(self.device.cassette) > cassette:
                where = "the note is in the cassette"
            elif len(self.device.returned) > returned:
                where = "the note came back"
            elif len(self.device.rejected) > rejected:
                where = "the note is out of the acceptor"
            elif len(self.device.removed) > removed:
                where = "the note is with the technician"
            else:
                where = "the note is still inside"
            return f"{self.struck}: {where}"
        for _ in range(MAX_POLLS_PER_NOTE):
            self.pump()
            if len(self.device.cassette) > cassette and not self.core.snapshot().note_in_progress:
                return "stacked"
            if len(self.device.returned) > returned:
                self.stats.notes_returned += 1
                return "returned"
            after = self.core.snapshot().last_returned
            if after is not before and after is not None and after.reason.startswith("rejected"):
                self.stats.notes_rejected += 1
                self.pump(3)
                return "rejected"
        raise RuntimeError(
            f"note {amount_tiyn} did not settle in {MAX_POLLS_PER_NOTE} polls; "
            f"device state {self.device.state}"
        )

    # -- the customer's intents: straight to the core here; a subclass may go through a UI.
    def set_language(self, language: Language) -> None:
        self.core.set_language(language)

    def choose_service(self, service: Service) -> None:
        """Raises NotAvailable when the kiosk is out of service."""
        self.core.choose_service(service.id)

    def enter_account(self, text: str) -> AccountValidation:
        return self.core.enter_account(text)

    def confirm_account(self) -> CheckResult:
        return self.core.confirm_account()

    def start_cash(self, *, without_receipt: bool = False) -> None:
        """Raises ReceiptUnavailable when no receipt can print and the customer was not asked."""
        self.core.start_cash(without_receipt=without_receipt)

    def cancel(self) -> None:
        self.core.cancel()

    def touch(self) -> None:
        self.core.touch()

    def pay(self) -> CompletedPayment:
        return self.core.pay()

    def finish(self) -> None:
        self.core.finish()

    def customer(self, number: int) -> None:
        """One customer's visit, from choosing a language to the kiosk back at idle. The
        steps draw from the seeded RNG in a fixed order: a seed replays the same day."""
        rng = self.rng
        behaviour = rng.choices(list(BEHAVIOUR_WEIGHTS), list(BEHAVIOUR_WEIGHTS.values()))[0]
        service = rng.choice(self.kiosk.catalog.services)
        self.set_language(rng.choice(LANGUAGES))
        self.strike_before_customer()
        who = f"{self.wall()} customer {number}"
        try:
            self.choose_service(service)
        except NotAvailable as exc:
            self.say(f"{who}: kiosk out of service ({exc}), walks away")
            self.stats.count("turned_away")
            return
        account = self.type_account(who, behaviour, service)
        if not self.account_confirmed(who, service, account):
            return
        if behaviour is Behaviour.CANCELS:
            self.cancel()
            self.say(
                f"{who}: chose {service.name('en')}, typed {mask_account(account)}, "
                "changed their mind and cancelled"
            )
            self.stats.count("cancelled")
            return
        if not self.cash_started(who):
            return
        self.strike_paper_during_payment()
        if behaviour is Behaviour.WALKS_AWAY_EMPTY:
            self.clock.advance(self.kiosk.config.kiosk.idle_timeout_s + 30)
            self.core.tick()
            self.say(
                f"{who}: chose {service.name('en')} and walked away before paying; "
                "the session ended by itself"
            )
            self.stats.count("abandoned")
            return
        fed = self.feed_plan(self.note_plan(behaviour, service))
        story = f"{who}: {service.name('en')} to {mask_account(account)}, fed {', '.join(fed)}"
        self.settle(story, behaviour)

    def strike_before_customer(self) -> None:
        """Faults that are there before the customer touches the screen: a full cassette,
        an empty or ending receipt roll, a printer cover armed to open mid-receipt."""
        if self.fault is FaultKind.CASSETTE_FULL:
            self.strike()
            self.pump(10)
            self.say(f"{self.wall()} {self.struck}")
        elif self.fault is FaultKind.PAPER_OUT and self.paper is not None:
            self.paper.control("paper-out")
            self.struck = "the receipt roll is empty"
            self.say(f"{self.wall()} {self.struck}")
        elif self.fault is FaultKind.PAPER_NEAR_END and self.paper is not None:
            self.paper.control("paper-near-end")
            self.struck = "the receipt roll is near its end"
            self.say(f"{self.wall()} {self.struck}")
        elif self.fault is FaultKind.COVER_OPEN and self.paper is not None:
            self.paper.control(f"cover-open-in {COVER_OPENS_AFTER_BYTES}")
            self.struck = "the printer's cover will open halfway through the next receipt"

    def type_account(self, who: str, behaviour: Behaviour, service: Service) -> str:
        """The customer types their number (after a typo first, for some), which the kiosk
        must accept: a generated number is always valid."""
        account = account_for(service, self.rng)
        self.clock.advance(self.rng.uniform(5, 20))
        if behaviour is Behaviour.TYPO_THEN_PAYS:
            result = self.enter_account(typo_of(account, self.rng))
            if not result.ok:
                self.stats.typos_caught += 1
                self.say(
                    f"{who}: typed a wrong number for {service.name('en')}: {result.message('en')}"
                )
        result = self.enter_account(account)
        if not result.ok:
            raise RuntimeError(f"generated account {mask_account(account)} refused: {result}")
        return account

    def account_confirmed(self, who: str, service: Service, account: str) -> bool:
        """The ledger's check of the account; a refused account ends the visit (cancelled,
        no cash taken)."""
        check = self.confirm_account()
        if check.ok:
            return True
        self.cancel()
        self.say(
            f"{who}: {service.name('en')} to {mask_account(account)}: the ledger "
            f"refused the account (code {check.code}: {check.message}), no cash taken"
        )
        self.stats.count("account_refused")
        return False

    def cash_started(self, who: str) -> bool:
        """Open the acceptor. When no receipt can print, the customer is told so and either
        declines (False: the visit ends) or goes on without one."""
        try:
            self.start_cash()
        except ReceiptUnavailable as exc:
            if self.rng.random() < 0.3:
                self.cancel()
                self.say(
                    f"{who}: told no receipt can be printed ({exc.printer.reason}), "
                    "decided not to pay"
                )
                self.stats.count("declined_without_receipt")
                return False
            self.start_cash(without_receipt=True)
            self.say(f"{who}: told no receipt can be printed, goes on without one")
            self.stats.count("went_on_without_receipt")
        return True

    def strike_paper_during_payment(self) -> None:
        """The receipt roll that runs out while the customer is paying."""
        if self.fault is FaultKind.PAPER_ENDS and self.paper is not None:
            self.paper.control("paper-out")
            self.struck = "the receipt roll ran out during the payment"

    def note_plan(self, behaviour: Behaviour, service: Service) -> list[int | None]:
        """The notes (tiyn; None: a fake) the customer means to feed, for a seeded target
        amount no lower than the service's minimum."""
        rng = self.rng
        target = rng.choices(TARGET_TENGE, TARGET_WEIGHTS)[0]
        target = max(target, service.min_amount.tiyn // 100)
        plan: list[int | None] = [n * 100 for n in notes_for(target, rng)]
        if behaviour is Behaviour.FAKE_NOTE:
            plan.insert(rng.randrange(len(plan) + 1), None)
        if behaviour is Behaviour.OVER_LIMIT_NOTE:
            plan.append(20000 * 100)
        return plan

    def feed_plan(self, plan: list[int | None]) -> list[str]:
        """Feed the planned notes one by one, until the acceptor stops taking them; what
        became of each, in words."""
        fed: list[str] = []
        for note in plan:
            outcome = self.feed(note)
            shown = "a fake note" if note is None else Money(note).format("en")
            fed.append(f"{shown} {outcome}" if outcome != "stacked" else shown)
            if outcome.startswith("not taken"):
                break  # the acceptor is not taking notes: the customer stops trying
            self.clock.advance(self.rng.uniform(1, 4))
            self.touch()
        return fed

    def settle(self, story: str, behaviour: Behaviour) -> None:
        """After the notes: cancel when none was taken, pay, or walk away and let the
        payment complete by itself; then the kiosk must be back at idle."""
        snap = self.core.snapshot()
        if not snap.notes and not snap.note_in_progress:
            self.cancel()
            self.say(f"{story}; nothing was accepted, cancelled")
            self.stats.count("cancelled")
            return
        if behaviour is Behaviour.WALKS_AWAY_WITH_CASH or not snap.can_pay:
            if not self.completed_on_timeout(story):
                return
        else:
            self.pay_at_the_kiosk(story)
        self.clock.advance(5)
        self.finish()
        if self.core.snapshot().state is not State.IDLE:
            raise RuntimeError("the kiosk did not return to idle")

    def completed_on_timeout(self, story: str) -> bool:
        """The customer leaves with cash in (or cannot pay yet): the kiosk completes the
        payment after its timeout, or ends the session when no cash reached the cassette
        (False: nothing to finish)."""
        core = self.core
        self.clock.advance(self.kiosk.config.kiosk.cash_complete_s + 1)
        core.tick()
        core.tick()  # a note stuck on its way is given up first, then the rest is paid
        done = core.snapshot()
        if done.state is not State.DONE:
            self.clock.advance(self.kiosk.config.kiosk.idle_timeout_s + 30)
            core.tick()
            self.say(f"{story}; no cash reached the cassette, the session ended")
            self.stats.count("abandoned")
            return False
        self.say(
            f"{story}; walked away: the payment completed by itself, receipt "
            f"#{done.receipt_number}, {done.credited.format('en')} credited"
        )
        self.stats.count("completed_on_timeout")
        return True

    def pay_at_the_kiosk(self, story: str) -> None:
        """The customer presses pay; with cash in, the kiosk must not refuse."""
        try:
            paid = self.pay()
        except NotAllowed as exc:
            raise RuntimeError(f"pay refused with cash in: {exc}") from exc
        self.say(
            f"{story}; paid {paid.breakdown.inserted.format('en')}, commission "
            f"{paid.breakdown.commission.format('en')}, credited "
            f"{paid.breakdown.credited.format('en')}, receipt #{paid.receipt_number}"
        )
        self.stats.count("paid")

    def technician_after_restart(self) -> None:
        """A new kiosk process knows nothing of the fault the dead one was handling: the
        technician looks at what the devices report and clears it."""
        found = self.device.fault  # the device's own mechanical fault, or None
        if found in (Fault.CASSETTE_OUT, Fault.CASSETTE_FULL):
            self.fault = (
                FaultKind.CASSETTE_FULL if found is Fault.CASSETTE_FULL else FaultKind.CASSETTE_OUT
            )
            self.struck = "found after a restart"
        elif found is not None:
            self.fault, self.struck = FaultKind.JAM, "found after a restart"
        self.technician()

    def technician(self) -> None:
        """After the customer: clear what the fault left, collect a full or pulled cassette."""
        device = self.device
        if self.fault in (FaultKind.CASSETTE_OUT, FaultKind.CASSETTE_FULL) and self.struck:
            if self.fault is FaultKind.CASSETTE_FULL:
                try:
                    device.cassette_out()
                except SimulatorRefused:
                    pass  # already out
            device.cassette_in()
            collected = self.core.records.encash(
                int(self.clock.now() * 1000), "CAS-0001", "tech-01", self.kiosk.config.terminal.id
            )
            self.say(
                f"{self.wall()} technician tech-01 replaced the cassette: "
                f"{collected.notes} notes, {Money(collected.total).format('en')} collected"
            )
        elif self.struck and self.fault in (
            FaultKind.PAPER_OUT,
            FaultKind.PAPER_ENDS,
            FaultKind.PAPER_NEAR_END,
            FaultKind.COVER_OPEN,
        ):
            if self.fault is FaultKind.COVER_OPEN:
                self.paper.control("cover-close")  # also disarms it if it never struck
                done = "closed the printer's cover"
            else:
                self.paper.control("paper-in")
                done = "loaded a new receipt roll"
            unprinted = self.core.records.unprinted_receipts()
            self.say(
                f"{self.wall()} technician tech-01 {done} ({len(unprinted)} receipts "
                "stored unprinted, shown on request)"
            )
            self.core.check_printer(force=True)
        elif self.struck and self.fault in (FaultKind.JAM, FaultKind.CHEAT):
            try:
                device.clear()
            except SimulatorRefused:
                pass  # the device had already recovered on its own
            self.say(f"{self.wall()} technician tech-01 cleared the acceptor")
        for _ in range(MAX_POLLS_PER_NOTE * 3):  # an unplugged cable comes back, faults clear
            if self.core.in_service and self.kiosk.acceptor.connected:
                break
            self.pump()
        self.core.refresh_availability()
        self.fault, self.struck = None, None
