"""A headless kiosk day: scripted, seeded customers on a simulated bill acceptor.

The kiosk runs its real core, store and driver; the acceptor is the CCNET driver talking
bytes to the in-process CCNET device simulator. A manual clock makes a day run in seconds,
and the same seed gives the same day.
"""

from __future__ import annotations

import dataclasses
import enum
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from drivers.bill.ccnet.device import SimulatorRefused
from kiosk.accounts import AccountKind
from kiosk.app import Kiosk, build_kiosk
from kiosk.catalog import Service
from kiosk.clock import ManualClock
from kiosk.config import Config, LimitsConfig, demo_config
from kiosk.core import NotAllowed, NotAvailable
from kiosk.invariants import check, totals
from kiosk.ledger_link import EMBEDDED, open_link
from kiosk.money import LANGUAGES, Money
from kiosk.privacy import mask_account
from kiosk.receipts import KZ_TIME
from kiosk.session import State

KZT_NOTES_TENGE = (200, 500, 1000, 2000, 5000, 10000, 20000)
POLL_STEP_S = 0.1
MAX_POLLS_PER_NOTE = 200
KZ_MOBILE_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776",
                      "777", "778")


class Behaviour(enum.StrEnum):
    PAYS = "pays"
    TYPO_THEN_PAYS = "typo_then_pays"
    OVER_LIMIT_NOTE = "over_limit_note"
    FAKE_NOTE = "fake_note"
    CANCELS = "cancels"
    WALKS_AWAY_WITH_CASH = "walks_away_with_cash"
    WALKS_AWAY_EMPTY = "walks_away_empty"


BEHAVIOUR_WEIGHTS = {
    Behaviour.PAYS: 55, Behaviour.TYPO_THEN_PAYS: 12, Behaviour.OVER_LIMIT_NOTE: 8,
    Behaviour.FAKE_NOTE: 8, Behaviour.CANCELS: 7, Behaviour.WALKS_AWAY_WITH_CASH: 6,
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


def simulation_config(state_dir: Path) -> Config:
    """The demo terminal, with offline caps sized for a simulated day without a ledger:
    every payment of the day waits in the outbox (forwarding comes with the ledger)."""
    config = demo_config(state_dir)
    limits: LimitsConfig = dataclasses.replace(
        config.limits, offline_max_total=10**12, offline_max_count=10**6,
        offline_max_age_s=10**7)
    return dataclasses.replace(config, limits=limits)


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
        return account[:cut] + account[cut + 1:]  # a digit missing
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
    """Drives one kiosk through a list of customers."""

    def __init__(self, kiosk: Kiosk, clock: ManualClock, rng: random.Random,
                 say: Callable[[str], None]) -> None:
        self.kiosk = kiosk
        self.core = kiosk.core
        self.device: Any = kiosk.acceptor.device  # type: ignore[attr-defined]
        self.clock = clock
        self.rng = rng
        self.say = say
        self.stats = DayStats()

    def wall(self) -> str:
        moment = datetime.fromtimestamp(self.clock.now(), UTC).astimezone(KZ_TIME)
        return moment.strftime("%H:%M:%S")

    def pump(self, polls: int = 1) -> None:
        for _ in range(polls):
            self.kiosk.acceptor.poll_once()
            self.clock.advance(POLL_STEP_S)
            self.core.tick()

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
        raise RuntimeError(f"note {amount_tiyn} did not settle in {MAX_POLLS_PER_NOTE} polls; "
                           f"device state {self.device.state}")

    def customer(self, number: int) -> None:
        rng = self.rng
        core = self.core
        behaviour = rng.choices(list(BEHAVIOUR_WEIGHTS), list(BEHAVIOUR_WEIGHTS.values()))[0]
        service = rng.choice(self.kiosk.catalog.services)
        core.set_language(rng.choice(LANGUAGES))
        who = f"{self.wall()} customer {number}"
        try:
            core.choose_service(service.id)
        except NotAvailable as exc:
            self.say(f"{who}: kiosk out of service ({exc}), walks away")
            self.stats.count("turned_away")
            return
        account = account_for(service, rng)
        self.clock.advance(rng.uniform(5, 20))
        if behaviour is Behaviour.TYPO_THEN_PAYS:
            result = core.enter_account(typo_of(account, rng))
            if not result.ok:
                self.stats.typos_caught += 1
                self.say(f"{who}: typed a wrong number for {service.name('en')}: "
                         f"{result.message('en')}")
        result = core.enter_account(account)
        if not result.ok:
            raise RuntimeError(f"generated account {mask_account(account)} refused: {result}")
        check = core.confirm_account()
        if not check.ok:
            core.cancel()
            self.say(f"{who}: {service.name('en')} to {mask_account(account)}: the ledger "
                     f"refused the account (code {check.code}: {check.message}), no cash taken")
            self.stats.count("account_refused")
            return
        if behaviour is Behaviour.CANCELS:
            core.cancel()
            self.say(f"{who}: chose {service.name('en')}, typed {mask_account(account)}, "
                     "changed their mind and cancelled")
            self.stats.count("cancelled")
            return
        core.start_cash()
        if behaviour is Behaviour.WALKS_AWAY_EMPTY:
            self.clock.advance(self.kiosk.config.kiosk.idle_timeout_s + 30)
            core.tick()
            self.say(f"{who}: chose {service.name('en')} and walked away before paying; "
                     "the session ended by itself")
            self.stats.count("abandoned")
            return
        target = rng.choices(TARGET_TENGE, TARGET_WEIGHTS)[0]
        target = max(target, service.min_amount.tiyn // 100)
        plan: list[int | None] = [n * 100 for n in notes_for(target, rng)]
        if behaviour is Behaviour.FAKE_NOTE:
            plan.insert(rng.randrange(len(plan) + 1), None)
        if behaviour is Behaviour.OVER_LIMIT_NOTE:
            plan.append(20000 * 100)
        fed: list[str] = []
        for note in plan:
            outcome = self.feed(note)
            shown = "a fake note" if note is None else Money(note).format("en")
            fed.append(f"{shown} {outcome}" if outcome != "stacked" else shown)
            self.clock.advance(rng.uniform(1, 4))
            core.touch()
        snap = core.snapshot()
        story = (f"{who}: {service.name('en')} to {mask_account(account)}, "
                 f"fed {', '.join(fed)}")
        if not snap.notes:
            core.cancel()
            self.say(f"{story}; nothing was accepted, cancelled")
            self.stats.count("cancelled")
            return
        if behaviour is Behaviour.WALKS_AWAY_WITH_CASH or not snap.can_pay:
            self.clock.advance(self.kiosk.config.kiosk.cash_complete_s + 1)
            core.tick()
            done = core.snapshot()
            self.say(f"{story}; walked away: the payment completed by itself, receipt "
                     f"#{done.receipt_number}, {done.credited.format('en')} credited")
            self.stats.count("completed_on_timeout")
        else:
            try:
                paid = core.pay()
            except NotAllowed as exc:
                raise RuntimeError(f"pay refused with cash in: {exc}") from exc
            self.say(f"{story}; paid {paid.breakdown.inserted.format('en')}, commission "
                     f"{paid.breakdown.commission.format('en')}, credited "
                     f"{paid.breakdown.credited.format('en')}, receipt #{paid.receipt_number}")
            self.stats.count("paid")
        self.clock.advance(5)
        core.finish()
        if core.snapshot().state is not State.IDLE:
            raise RuntimeError("the kiosk did not return to idle")


def run_simulation(customers: int, seed: int, state_dir: Path,
                   say: Callable[[str], None] = lambda line: None, *,
                   ledger: str | None = None, secret_file: Path | None = None,
                   outage: tuple[int, int] | None = None) -> dict[str, Any]:
    """Run a day and return the report (money in tiyn). With ``ledger`` (``embedded`` or a
    URL), payments are forwarded as the day goes, the link is down for the customers in
    ``outage``, and the report checks the ledger against the kiosk."""
    started = time.perf_counter()
    rng = random.Random(seed)
    clock = ManualClock()
    clock.advance(9 * 3600 - 5 * 3600)  # 09:00 local time on the first day of the year
    # Without a ledger every payment waits in the outbox all day: caps sized for that.
    config = simulation_config(state_dir) if ledger is None else demo_config(state_dir)
    kiosk = build_kiosk(config, clock=clock, rng=random.Random(rng.getrandbits(64)),
                        seed=rng.getrandbits(32))
    link = None
    if ledger is not None:
        link = open_link(ledger, state_dir=state_dir, terminal_id=config.terminal.id,
                         secret_file=secret_file, store=kiosk.store, clock=clock,
                         rng=random.Random(rng.getrandbits(64)))
        kiosk.core.connect_ledger(link.checker, link.online)
        acceptor, core = kiosk.acceptor, kiosk.core
        link.worker.devices = lambda: {"validator": {
            "protocol": acceptor.protocol, "state": acceptor.state,
            "connected": acceptor.connected}, "out_of_service": sorted(core.faults)}
    kiosk.start(threaded=False)
    say(f"{datetime.fromtimestamp(clock.now(), UTC).astimezone(KZ_TIME):%d.%m.%Y %H:%M} "
        f"kiosk {config.terminal.id} opens at {config.terminal.address}"
        + (f", ledger {'embedded' if ledger == EMBEDDED else ledger}" if link else ""))
    day = Day(kiosk, clock, rng, say)
    for number in range(1, customers + 1):
        if link is not None and outage is not None and number in (outage[0], outage[1] + 1):
            down = number == outage[0]
            link.set_outage(down)
            say(f"{day.wall()} the network to the ledger goes "
                + ("down" if down else "back up"))
        if link is not None:
            link.step()
        day.customer(number)
        clock.advance(rng.expovariate(1 / 60))
    invariants = check(kiosk.store, list(day.device.cassette))
    ledger_view: dict[str, Any] | None = None
    if link is not None:
        link.set_outage(False)
        invariants["outbox_delivered_once_link_is_back"] = link.drain()
        sums = totals(kiosk.store)
        ledger_view = link.ledger_view(kiosk.core.records.payment_ids())
        invariants["ledger_has_every_payment_once"] = (
            ledger_view["payments"] == sums.payments == ledger_view["found"]
            and not ledger_view["missing_local_seq"])
        invariants["ledger_inserted_equals_kiosk_inserted"] = (
            ledger_view["inserted"] == sums.inserted)
        if "audit" in ledger_view:
            invariants["ledger_books_balanced"] = ledger_view["audit"]["balanced"]
            invariants["ledger_cash_equals_kiosk_cash"] = (
                ledger_view["audit"]["cash_in"] == sums.cash_stacked)
        say(f"{day.wall()} the outbox is "
            + ("empty: every payment reached the ledger" if invariants[
                "outbox_delivered_once_link_is_back"] else "NOT empty"))
    sums = totals(kiosk.store)
    encashment = kiosk.core.records.encash(int(clock.now() * 1000), "CAS-0001", "tech-01",
                                             config.terminal.id)
    invariants["encashment_equals_cash_journal"] = (
        encashment.total == sums.cash_stacked and encashment.notes == sums.notes_stacked)
    say(f"{day.wall()} technician tech-01 collected cassette CAS-0001: {encashment.notes} notes, "
        f"{Money(encashment.total).format('en')}")
    kiosk.stop()
    if link is not None:
        link.close()
    report: dict[str, Any] = {
        "seed": seed,
        "protocol": config.validator.protocol,
        "customers": customers,
        "payments": sums.payments,
        "receipts": sums.receipts,
        "notes_stacked": sums.notes_stacked,
        "cash_stacked": sums.cash_stacked,
        "inserted": sums.inserted,
        "commission": sums.commission,
        "credited": sums.credited,
        "outbox_pending": sums.outbox_pending,
        "outcomes": dict(sorted(day.stats.outcomes.items())),
        "notes_inserted": day.stats.notes_inserted,
        "notes_returned": day.stats.notes_returned,
        "notes_rejected": day.stats.notes_rejected,
        "notes_refused": day.stats.notes_refused,
        "typos_caught": day.stats.typos_caught,
        "encashment": {"notes": encashment.notes, "total": encashment.total},
        "simulated_seconds": round(clock.monotonic(), 1),
        "wall_seconds": round(time.perf_counter() - started, 2),
        "invariants": invariants,
        "ok": all(invariants.values()),
    }
    if ledger_view is not None:
        report["ledger"] = ledger_view
    return report


def summary(report: dict[str, Any]) -> str:
    """The report in plain words."""
    def tenge(tiyn: int) -> str:
        return Money(tiyn).format("en")

    failed = [name for name, held in report["invariants"].items() if not held]
    lines = [
        f"{report['customers']} customers, {report['payments']} payments, "
        f"{report['receipts']} receipts (seed {report['seed']})",
        f"cash stacked {tenge(report['cash_stacked'])} in {report['notes_stacked']} notes; "
        f"inserted {tenge(report['inserted'])} = commission {tenge(report['commission'])} "
        f"+ credited {tenge(report['credited'])}",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in report["outcomes"].items()),
        f"{report['outbox_pending']} payments wait in the outbox for the ledger"
        if "ledger" not in report else
        f"ledger: {report['ledger']['payments']} payments, "
        f"{tenge(report['ledger']['inserted'])} inserted",
        "all invariants hold" if not failed else "INVARIANTS BROKEN: " + ", ".join(failed),
        f"simulated {report['simulated_seconds'] / 3600:.1f} h in {report['wall_seconds']} s",
    ]
    return "\n".join(lines)
