"""The simulated day through the kiosk window: each scripted customer taps the real QML
items (offscreen) instead of calling the core, and waits for the screen the window shows.

Everything stays on one thread: the view-models reach the core through an inline runner
(the CoreThread interface, run at once), so the day's manual clock and its synchronous
polling of the acceptor work as without the window. The customer draws the same random
numbers as the headless one, so a seed gives the same day with or without the window.
After each step the window's screen and amounts are compared with the core's state; a
disagreement is recorded (the ``ui_followed_the_core`` invariant of the report).
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QEventLoop, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.app import Kiosk
from kiosk.checks import CheckResult
from kiosk.core import KioskCore
from kiosk.domain.accounts import AccountValidation
from kiosk.domain.catalog import Service
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Language
from kiosk.payment import CompletedPayment
from kiosk.runtime import CoreThread
from kiosk.session import NotAllowed, NotAvailable, ReceiptUnavailable, State, TransitionError
from kiosk.sim.day import Day
from kiosk.sim.ledger_link import LedgerLink
from kiosk.technicians import Technicians
from ui.eventloop import Timeout, pump
from ui.texts import PLACEHOLDER, fill_mask
from ui.viewmodel import IDLE_PAGES, KioskViewModel
from ui.window import KioskUi, build_ui, close_ui

T = TypeVar("T")
_INTENT_ERRORS = (TransitionError, NotAllowed, NotAvailable)
FRAME_TIMEOUT_S = 5.0
SETTLE_ROUNDS = 5  # event passes a screen may take to follow (queued snapshot, then rebuild)
MISMATCHES_KEPT = 20

# The screens that may show while the core is in each state (idle pages: in service only).
SCREENS_FOR: dict[State, frozenset[str]] = {
    State.SERVICE_CHOSEN: frozenset({"entry"}),
    State.ACCOUNT_ENTERED: frozenset({"entry", "confirm"}),
    State.ACCOUNT_CHECKED: frozenset({"checked", "entry"}),
    State.ACCEPTING: frozenset({"cash"}),
    State.PAYING: frozenset({"printing"}),
    State.RECEIPT: frozenset({"printing"}),
    State.DONE: frozenset({"thanks"}),
}


class UiStuck(RuntimeError):
    """The simulated window cannot go on (no frame drawn); names what it waited for."""


def qt_application() -> QGuiApplication:
    """The process's Qt application, made offscreen when there is no display."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A frame as soon as one is asked for (not 5 ms later): the customer waits for each.
    os.environ.setdefault("QT_QPA_UPDATE_IDLE_TIME", "0")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    return app


def keys_for(mask: str, text: str) -> str:
    """The keypad digits that type ``text`` into ``mask``. Digits the mask shows itself (the
    7 of ``+7``) cannot be typed: the text's digit in their place is skipped, right
    or wrong, so a number that is not Kazakh comes out as one the keypad can show."""
    slots = [char for char in mask if char.isdigit() or char == PLACEHOLDER]
    digits = [char for char in text if char.isdigit()]
    return "".join(digit for slot, digit in zip(slots, digits, strict=False) if slot == PLACEHOLDER)


@dataclass(frozen=True)
class Answer:
    """What the core answered one call from the window."""

    name: str
    result: Any
    error: BaseException | None


class InlineRunner:
    """The CoreThread interface for one thread: ``call`` and ``submit`` run the function at
    once. Answers are kept for the simulated customer to read. An exception that is not an
    intent's refusal (a simulated crash) stops the runner and reaches the view-model as a
    refusal; the simulation raises the original once the tap returns."""

    def __init__(self, core: KioskCore) -> None:
        self.core = core
        self.answers: list[Answer] = []
        self.fatal: BaseException | None = None

    @property
    def stopped(self) -> bool:
        return self.fatal is not None

    def call(self, fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        name = getattr(fn, "__name__", repr(fn))
        try:
            result = fn(*args)
        except _INTENT_ERRORS as exc:
            self.answers.append(Answer(name, None, exc))
            raise
        except BaseException as exc:
            self.fatal = exc
            self.answers.append(Answer(name, None, exc))
            raise TransitionError(f"the kiosk core stopped in {name}: {exc!r}") from exc
        self.answers.append(Answer(name, result, None))
        return result

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(self.call(fn, *args))
        except _INTENT_ERRORS as exc:
            future.set_exception(exc)
        return future

    def answer(self, name: str) -> Answer | None:
        """The latest answer of the core function ``name`` since the answers were cleared."""
        return next((a for a in reversed(self.answers) if a.name == name), None)


@dataclass(frozen=True)
class Mismatch:
    """A moment the window did not show what the core was doing."""

    customer: int
    step: str
    shown: str
    core: str


class UiDay(Day):
    """The day's customers, tapping the kiosk window; the devices and the technician are
    driven as in the headless day."""

    def __init__(
        self,
        kiosk: Kiosk,
        device: Any,
        clock: ManualClock,
        rng: random.Random,
        say: Callable[[str], None],
        link: LedgerLink | None = None,
        paper: Any = None,
        *,
        pin_file: Path,
    ) -> None:
        super().__init__(kiosk, device, clock, rng, say, link, paper=paper)
        self.app = qt_application()
        self.loop = QEventLoop()  # its processEvents, not the leaking static one
        self.technicians = Technicians(pin_file, clock)
        self.mismatches: list[Mismatch] = []
        self.mismatch_count = 0
        self.frames = 0
        self.taps = 0
        self.number = 0
        self._open(kiosk)

    # -- the window -----------------------------------------------------------------------
    def _open(self, kiosk: Kiosk) -> None:
        self.runner = InlineRunner(kiosk.core)
        # The view-models only use the CoreThread interface, which the inline runner has.
        self.ui: KioskUi = build_ui(
            self.app,
            cast(CoreThread, self.runner),
            kiosk.catalog,
            kiosk.config.terminal,
            clock=self.clock,
            technicians=self.technicians,
            worker=kiosk.worker,
            quit_kiosk=lambda: None,
        )
        self.ui.window.frameSwapped.connect(self._frame_drawn)
        self.render()

    def _frame_drawn(self) -> None:
        self.frames += 1

    @property
    def vm(self) -> KioskViewModel:
        return self.ui.kiosk

    def close(self) -> None:
        """Close the window (the QML goes before its view-models)."""
        close_ui(self.ui)
        self.loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    def use(self, kiosk: Kiosk) -> None:
        """A restarted kiosk process: a new window on the new core."""
        super().use(kiosk)
        close_ui(self.ui)
        self._open(kiosk)

    def events(self) -> None:
        """Deliver what is queued: core snapshots to the view-model, intents' answers."""
        for _ in range(SETTLE_ROUNDS):
            self.loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    def render(self) -> None:
        """Deliver what is queued and draw one frame (the layout runs before it)."""
        self.events()
        before = self.frames
        self.ui.window.update()
        try:
            pump(lambda: self.frames > before, "a frame of the kiosk window", FRAME_TIMEOUT_S)
        except Timeout as exc:
            raise UiStuck(
                f"the kiosk window drew no frame in {FRAME_TIMEOUT_S:.0f} s "
                f"(QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '')!r})"
            ) from exc

    # -- looking and tapping --------------------------------------------------------------
    def find(self, name: str) -> QQuickItem | None:
        """The visible item with this objectName (Repeater children included)."""

        def walk(item: QQuickItem) -> QQuickItem | None:
            for child in item.childItems():
                if not child.isVisible():
                    continue
                if child.objectName() == name:
                    return child
                found = walk(child)
                if found is not None:
                    return found
            return None

        return walk(self.ui.window.contentItem())

    def mismatch(self, step: str, shown: str, core: str) -> None:
        self.mismatch_count += 1
        if len(self.mismatches) < MISMATCHES_KEPT:
            self.mismatches.append(Mismatch(self.number, step, shown, core))
        self.say(
            f"{self.wall()} UI MISMATCH (customer {self.number}, {step}): the window "
            f"shows {shown}, the core {core}"
        )

    def tap(
        self, name: str, slot: Callable[[], None], step: str, reaches: str = ""
    ) -> Answer | None:
        """Tap the item as a finger would; returns the core's answer to ``reaches``. When
        the window does not offer the item (hidden, greyed, under the countdown) or the tap
        does not reach the core, that is recorded and the item's slot is called instead, so
        the day goes on."""
        self.runner.answers.clear()
        item = self.find(name)
        problem = ""
        if item is None:
            problem = f"no visible {name}"
        elif item.property("active") is False:
            problem = f"{name} greyed out"
        elif self.vm.attention != "none" and name != "stillHereButton":
            problem = f"{name} under the countdown overlay"
        if item is not None and not problem:
            centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
            QTest.mouseClick(
                self.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
            )
            self.taps += 1
            if reaches and self.runner.answer(reaches) is None and self.runner.fatal is None:
                problem = f"a tap on {name} that did nothing"
        if problem:
            self.mismatch(step, f"{problem} on screen {self.vm.screen!r}", self._core_state())
            slot()
        self._raise_fatal()
        return self.runner.answer(reaches) if reaches else None

    def _result(self, answer: Answer | None) -> Any:
        """The intent's result; its refusal is raised as the core raised it."""
        if answer is None:
            raise UiStuck(
                f"customer {self.number}: an intent did not reach the core "
                f"(the window shows {self.vm.screen!r})"
            )
        if answer.error is not None:
            raise answer.error
        return answer.result

    def _raise_fatal(self) -> None:
        if self.runner.fatal is not None:
            raise self.runner.fatal

    def _core_state(self) -> str:
        snap = self.core.snapshot()
        return f"in state {snap.state.value}" + ("" if snap.in_service else " (out of service)")

    def follow(self, step: str) -> None:
        """Draw, then compare what the window shows with the core's state."""
        self.render()
        snap = self.core.snapshot()
        vm = self.vm
        screen = vm.screen
        allowed = SCREENS_FOR.get(snap.state) or (
            IDLE_PAGES if snap.in_service else frozenset({"out_of_service"})
        )
        if screen not in allowed:
            self.mismatch(step, f"screen {screen!r}", self._core_state())
            return
        if screen == "cash":
            item = self.find("insertedAmount")
            shown = "" if item is None else str(item.property("text"))
            wanted = snap.inserted.format(snap.language)
            if shown != wanted or vm.cash.canPay != snap.can_pay:
                self.mismatch(
                    step,
                    f"inserted {shown}, pay {'on' if vm.cash.canPay else 'off'}",
                    f"inserted {wanted}, pay {'on' if snap.can_pay else 'off'}",
                )
        elif screen == "thanks" and vm.receipt.receiptNumber != str(snap.receipt_number or ""):
            self.mismatch(
                step, f"receipt {vm.receipt.receiptNumber!r}", f"receipt {snap.receipt_number}"
            )

    # -- the customer's intents, through the window ---------------------------------------
    def customer(self, number: int) -> None:
        self.number = number
        self.render()
        super().customer(number)
        self.follow("after the customer")

    def set_language(self, language: Language) -> None:
        self.tap(f"lang_{language}", lambda: self.vm.setLanguage(language), "language")
        self.events()
        if self.vm.language != language:
            self.mismatch("language", f"language {self.vm.language}", f"language {language}")

    def choose_service(self, service: Service) -> None:
        vm = self.vm
        self.render()  # the customer looks at the screen as it is now
        if vm.screen == "out_of_service":
            # What the kiosk does before it opens a session: ask the devices again.
            self.core.check_printer(force=True)
            self.core.refresh_availability()
            self.render()
        if vm.screen == "out_of_service":
            self.follow("out of service")
            raise NotAvailable(self.core.snapshot().out_of_service_reasons)
        if vm.screen != "idle":
            self.tap("backButton", lambda: vm.showPage("idle"), "back to the start")
            self.render()
        category = service.category.value
        self.tap(f"category_{category}", lambda: vm.showCategory(category), "category")
        self.render()
        answer = self.tap(
            f"service_{service.id}",
            lambda: vm.chooseService(service.id),
            "service",
            reaches="choose_service",
        )
        self.follow("service chosen")
        self._result(answer)

    def enter_account(self, text: str) -> AccountValidation:
        vm = self.vm
        if vm.screen == "confirm":  # a valid wrong number was taken: back to edit it
            self.tap("editButton", vm.editAccount, "edit the number")
            self.render()
        if vm.session.entryShown != fill_mask(vm.session.mask, "").shown:
            self.tap("key_clear", lambda: vm.keypad("clear"), "clear the number")
        for key in keys_for(vm.session.mask, text):
            self.tap(f"key_{key}", partial(vm.keypad, key), "typing")
            self.events()
        self.render()
        answer = self.tap("nextButton", vm.submitAccount, "number typed", "enter_account")
        self.follow("number typed")
        result: AccountValidation = self._result(answer)
        if vm.screen != ("confirm" if result.ok else "entry"):
            self.mismatch(
                "number typed",
                f"screen {vm.screen!r}",
                f"number {'taken' if result.ok else 'refused'}",
            )
        return result

    def confirm_account(self) -> CheckResult:
        answer = self.tap(
            "confirmButton", self.vm.confirmAccount, "confirm the number", "confirm_account"
        )
        self.follow("number confirmed")
        result: CheckResult = self._result(answer)
        return result

    def start_cash(self, *, without_receipt: bool = False) -> None:
        vm = self.vm
        if without_receipt:  # the view-model's call is a lambda around start_cash
            answer = self.tap(
                "withoutReceiptButton", vm.startCashWithoutReceipt, "without a receipt", "<lambda>"
            )
            self.follow("cash without a receipt")
            self._result(answer)
            return
        if vm.receipt.receiptChoice:  # the window already says no receipt can be printed
            printer = self.core.printer_state
            if printer is not None and not printer.can_print:
                raise ReceiptUnavailable(printer)
            self.mismatch(
                "insert cash",
                "no receipt can be printed",
                f"printer {printer.state if printer else 'unknown'}",
            )
        answer = self.tap("insertCashButton", vm.startCash, "insert cash", "start_cash")
        self.follow("insert cash")
        self._result(answer)

    def cancel(self) -> None:
        answer = self.tap("cancelButton", self.vm.cancel, "cancel", "cancel")
        self.follow("cancelled")
        self._result(answer)

    def touch(self) -> None:
        if self.vm.attention != "none":
            self.tap("stillHereButton", self.vm.touch, "still here")
        else:
            self.vm.touch()  # anything the customer does counts; no button on this screen
            self._raise_fatal()
        self.follow("still here")

    def feed(self, amount_tiyn: int | None) -> str:
        outcome = super().feed(amount_tiyn)
        self.follow("a note settled")
        return outcome

    def pay(self) -> CompletedPayment:
        answer = self.tap("payButton", self.vm.pay, "pay", "pay")
        self.follow("paid")
        paid: CompletedPayment = self._result(answer)
        return paid

    def finish(self) -> None:
        self.follow("before done")
        self.tap("doneButton", self.vm.finish, "done")
        self.follow("done")
