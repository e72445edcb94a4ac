"""Plays a journey (kiosk.sim.journey) on the real kiosk window, offscreen without a display.

The kiosk runs as the demo does (kiosk.sim.ui.demo: simulated acceptor and printer, an
embedded ledger on loopback), with its timers on a manual clock that only the ``idle`` step
moves, so a journey's timeouts happen where the file says and nowhere else. Every action is
a finger on the window: a tap at the centre of the item with that objectName, as
kiosk.sim.ui.day taps. After each step the player waits until the window has caught up with
the core (answers in, snapshot delivered, a frame drawn, the layout still) and reads the
screen: its name and every visible text, in reading order.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from drivers.sim.bill.mechanics import SimulatorRefused, Timings
from kiosk.domain.catalog import Catalog
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.sim.journey import (
    PRESS,
    TEXT_EXPECTATIONS,
    Journey,
    JourneyFileError,
    Step,
    StepFailed,
    shot_name,
)
from kiosk.sim.ui.day import qt_application
from kiosk.sim.ui.demo import DemoKiosk, start_demo
from kiosk.sim.ui.window import DEMO_PIN, DEMO_TECHNICIAN
from kiosk.technicians import LegacyPinFile
from ui.eventloop import Timeout, pump
from ui.window import KioskUi, build_ui, close_ui

# The note path quicker than life (the acceptor runs in real time; the core's timers do not).
JOURNEY_TIMINGS = Timings(0.02, 0.02, 0.02, 0.02, 0.02, 10.0)
WAIT_S = 10.0
LINE_TOLERANCE_PX = 12  # texts whose tops are this close read as one line, left to right
OVERLAY = "attentionOverlay"  # "are you still there?": over everything while it shows
ATTRACT = "attractScreen"  # over the idle screen nobody touched for a minute
TEXT_TYPES = ("QQuickText", "QQuickTextInput", "QQuickTextEdit")


def typed_key_names(char: str) -> tuple[str, ...]:
    """The keys a ``type`` step may mean, the first one on the screen wins: the customer's
    keypad, the status screen's, the service menu's PIN pad, its count and its reprint."""
    return tuple(f"{pad}_{char}" for pad in ("key", "status", "pin", "count", "reprint"))


@dataclass
class Played:
    """What a journey did: per step the screen and its texts, then the money."""

    steps: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    session: dict[str, Any] | None = None  # a session the journey left open (cash in it?)
    failed: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        report: dict[str, Any] = {
            "ok": self.failed is None,
            "steps": self.steps,
            "payments": self.payments,
            "receipts": self.receipts,
            "open_session": self.session,
        }
        if self.failed is not None:
            report["failed"] = self.failed
        return report


def seed_wallets(state_dir: Path, wallets: tuple[Any, ...]) -> None:
    """Put the journey's wallets in the embedded ledger's database before the kiosk opens it
    (the demo's ledger is that file), through the same loader as ``ledger serve --wallets``."""
    from sync.ledger.service import Ledger
    from sync.ledger.wallets import WalletFileError

    path = state_dir / "journey-wallets.json"
    path.write_text(json.dumps({"wallets": list(wallets)}), "utf-8")
    try:
        Ledger.open(f"sqlite:///{state_dir / 'ledger.db'}", wallets=path).close()
    except WalletFileError as exc:
        raise JourneyFileError(
            str(exc).replace(f"wallet file {path}", "journey 'wallets'")
        ) from exc


class Player:
    """The kiosk window on simulated devices, and the hands and eyes of a journey."""

    def __init__(
        self, journey: Journey, state_dir: Path, *, size: tuple[int, int], shots: Path | None
    ) -> None:
        self.journey = journey
        self.state_dir = state_dir
        self.shots = shots
        self.app: QGuiApplication = qt_application()
        self.loop = QEventLoop()
        self.clock = ManualClock()
        self.demo: DemoKiosk = start_demo(
            state_dir,
            clock=self.clock,
            poll_interval=0.02,
            tick_s=0.05,
            timings=JOURNEY_TIMINGS,
        )
        try:
            self.ui = self._open(size)
        except BaseException:
            self.demo.close()
            raise
        self.sync()

    def _open(self, size: tuple[int, int]) -> KioskUi:
        """The window on the started kiosk, in the journey's language, its first screen up."""
        ui = build_ui(
            self.app,
            self.demo.runner,
            self.demo.kiosk.catalog,
            self.demo.config.terminal,
            clock=self.clock,
            technicians=self.demo.technicians,
            worker=self.demo.worker,
            size=size,
            quit_kiosk=lambda: None,
        )
        try:
            self.frames = 0
            ui.window.frameSwapped.connect(self._frame_drawn)
            pump(ui.window.isExposed, "the kiosk window", WAIT_S)
            ui.kiosk.setLanguage(self.journey.language)
            pump(lambda: ui.kiosk.screen != "starting", "the first screen", WAIT_S)
        except BaseException:
            close_ui(ui)
            raise
        return ui

    def _frame_drawn(self) -> None:
        self.frames += 1

    @property
    def catalog(self) -> Catalog:
        return self.demo.kiosk.catalog

    def close(self) -> None:
        close_ui(self.ui)
        self.loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        self.demo.close()

    # -- playing ---------------------------------------------------------------------------
    def play(self) -> Played:
        played = Played()
        for step in self.journey.steps:
            failure = ""
            try:
                self.do(step)
                self.sync()
            except StepFailed as exc:
                failure = str(exc)
            except Timeout as exc:
                failure = f"{step.label()}: {exc}"
            try:
                played.steps.append(self.seen(step))
            except StepFailed as exc:
                failure = failure or str(exc)
            if failure:
                played.failed = {"step": step.number, "error": failure}
                break
        self.deliver()
        played.payments = self.payments()
        played.receipts = self.receipts()
        played.session = self.open_session()
        return played

    def open_session(self) -> dict[str, Any] | None:
        """The session the journey ends in, unless the kiosk is back at its start: the cash
        in it is the kiosk's to finish (recovery completes it at the next start)."""
        snap = self.demo.runner.call(self.demo.core.snapshot)
        if snap.operation_id is None:
            return None
        return {
            "operation_id": snap.operation_id,
            "state": snap.state.value,
            "service": snap.service_id,
            "inserted": snap.inserted.tiyn,
        }

    def seen(self, step: Step) -> dict[str, Any]:
        """The step as the report keeps it, and its screenshot when asked for."""
        if self.shots is not None:
            path = self.shots / shot_name(step)
            if not self.ui.window.grabWindow().save(str(path)):
                raise StepFailed(f"{step.label()}: cannot write the screenshot {path}")
        seen: dict[str, Any] = {
            "step": step.number,
            "do": step.as_json(),
            "screen": self.screen(),
            "texts": self.texts(),
        }
        if step.word in TEXT_EXPECTATIONS and not self.journey.checks_texts():
            seen["checked"] = False  # written in the file's language, played in another
        return seen

    def do(self, step: Step) -> None:
        actions: dict[str, Callable[[Step], None]] = {
            "choose": self.choose,
            "type": self.type_keys,
            "press": self.press,
            "insert": self.insert,
            "fault": self.fault,
            "idle": self.idle,
            "service": self.service,
            "expect_screen": self.expect_screen,
            "expect_text": self.expect_text,
            "expect_no_text": self.expect_no_text,
        }
        actions[step.word](step)

    # -- looking -------------------------------------------------------------------------
    def screen(self) -> str:
        return "service" if str(self.ui.service.mode) != "closed" else str(self.ui.kiosk.screen)

    def texts(self) -> list[str]:
        """Every visible text of the window, top to bottom and left to right; under the
        countdown overlay (or the attract layer) only the overlay's (it covers the screen)."""
        window = self.ui.window
        root = self.find(OVERLAY) or self.find(ATTRACT) or window.contentItem()
        found: list[tuple[float, float, str]] = []
        bounds = QRectF(0, 0, window.width(), window.height())

        def walk(item: QQuickItem, clip: QRectF) -> None:
            for child in item.childItems():
                if not child.isVisible() or child.opacity() <= 0:
                    continue
                rect = child.mapRectToScene(child.boundingRect())
                inner = clip.intersected(rect) if child.clip() else clip
                if any(child.inherits(kind) for kind in TEXT_TYPES):
                    text = str(child.property("text") or "")
                    if text.strip() and rect.intersects(clip) and rect.width() > 0:
                        found.append((rect.top(), rect.left(), text))
                walk(child, inner)

        walk(root, bounds)
        return reading_order(found)

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

    def buttons_here(self) -> list[str]:
        """The press words whose button shows now (what a failed press names)."""
        return [word for word, names in PRESS.items() if any(self.find(n) for n in names)]

    # -- waiting -------------------------------------------------------------------------
    def sync(self) -> None:
        """Until the window shows what the core has done: intents answered, the core's
        queue passed, the ledger's answers in while it is reachable, a frame drawn and the
        positioners done moving things."""
        vm, service = self.ui.kiosk, self.ui.service
        pump(lambda: vm.pending == service.pending == 0, "the kiosk to answer", WAIT_S)
        self.outbox_settled()
        self.demo.runner.call(lambda: None)  # what the core published is queued to the window
        for _ in range(5):
            self.loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        self.frame()
        self.frame()  # positioners lay out on the frame after a change

    def frame(self) -> None:
        before = self.frames
        self.ui.window.update()
        pump(lambda: self.frames > before, "a frame of the kiosk window", WAIT_S)

    def outbox_settled(self) -> None:
        """Payments waiting for the ledger are sent, or their attempt has failed."""
        worker = self.demo.worker
        if worker is None:
            return

        def settled() -> bool:
            state = worker.state()
            return state.pending_count == 0 or not state.online

        pump(settled, "the outbox to reach the ledger", WAIT_S)

    def deliver(self) -> None:
        """At the end: what the outbox holds goes to the ledger if it can (the report's
        statuses are the ledger's answers, not a moment in flight)."""
        worker, link = self.demo.worker, self.demo.link
        if worker is None or link is None or link.proxy.mode != "pass":
            return
        worker.retry_now()
        try:
            pump(lambda: worker.state().pending_count == 0, "the outbox to drain", WAIT_S)
        except Timeout:
            pass  # reported as it stands

    # -- the hands -------------------------------------------------------------------------
    def tap(self, step: Step, name: str) -> None:
        self.wake(step, name)
        item = self.find(name)
        if item is None:
            raise StepFailed(f"{step.label()}: no {name} on screen {self.screen()!r}")
        if item.property("active") is False:
            raise StepFailed(f"{step.label()}: {name} is greyed out on screen {self.screen()!r}")
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(
            self.ui.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
        )
        self.sync()

    def wake(self, step: Step, name: str) -> None:
        """A long idle step leaves the attract layer over the start screen: the customer's
        first touch only takes it away, so the player touches it first, as a customer would."""
        if name != "attractTouch" and self.find("attractTouch") is not None:
            self.tap(step, "attractTouch")

    def overlay_in_the_way(self, step: Step, name: str) -> None:
        if self.ui.kiosk.attention != "none" and name != "stillHereButton":
            raise StepFailed(
                f"{step.label()}: the countdown covers screen {self.screen()!r} "
                "(press continue to stay)"
            )

    def choose(self, step: Step) -> None:
        """Walk to the service as a customer would: back to the start, the category, then
        the service's tile."""
        service = self.catalog.get(step.value)
        tile = f"service_{service.id}"
        if self.find(tile) is None and self.screen() in ("catalog", "info", "status"):
            self.tap(step, "backButton")
        if self.find(tile) is None:
            if self.screen() != "idle":
                raise StepFailed(
                    f"{step.label()}: the service is chosen from the start screen, "
                    f"the window shows {self.screen()!r}"
                )
            self.overlay_in_the_way(step, "category")
            self.tap(step, f"category_{service.category.value}")
        self.overlay_in_the_way(step, tile)
        self.tap(step, tile)

    def type_keys(self, step: Step) -> None:
        for char in str(step.value).lower():
            name = next(
                (n for n in typed_key_names(char) if self.find(n) is not None),
                None,
            )
            if name is None:
                raise StepFailed(f"{step.label()}: no key {char!r} on screen {self.screen()!r}")
            self.overlay_in_the_way(step, name)
            self.tap(step, name)

    def press(self, step: Step) -> None:
        names = PRESS[step.value]
        name = next((n for n in names if self.find(n) is not None), None)
        if name is None:
            here = ", ".join(self.buttons_here()) or "none of the press words"
            raise StepFailed(
                f"{step.label()}: no {step.value} button on screen {self.screen()!r} "
                f"(buttons here: {here})"
            )
        self.overlay_in_the_way(step, name)
        self.tap(step, name)

    def insert(self, step: Step) -> None:
        """A note into the acceptor, once it takes one; until the kiosk has settled it
        (stacked and counted, or given back)."""
        device, vm = self.demo.device, self.ui.kiosk
        amount = Money(int(step.value) * 100)
        try:
            pump(lambda: device.enable_mask != 0, "the acceptor to take notes", 2.0)
        except Timeout as exc:
            raise StepFailed(
                f"{step.label()}: the acceptor takes no notes on screen {self.screen()!r}"
            ) from exc
        snap = vm.snapshot
        before = (len(snap.notes), snap.last_returned, len(device.returned), len(device.rejected))
        refused: list[str] = []

        def taken() -> bool:
            try:
                device.insert(amount.tiyn)
            except SimulatorRefused as exc:
                refused[:] = [str(exc)]
                return "busy" not in str(exc)  # a note still on its way: try again
            refused.clear()
            return True

        pump(taken, "the acceptor to be ready", WAIT_S)
        if refused:
            raise StepFailed(f"{step.label()}: {refused[0]}")

        def settled() -> bool:
            now = vm.snapshot
            after = (len(now.notes), now.last_returned, len(device.returned), len(device.rejected))
            return after != before and not now.note_in_progress and device.phase.name == "IDLE"

        pump(settled, f"the {step.value} ₸ note to settle", WAIT_S)

    def fault(self, step: Step) -> None:
        demo, runner = self.demo, self.demo.runner
        name = step.value
        if name in ("jam", "clear"):
            (demo.device.jam if name == "jam" else demo.device.clear)()
            jammed = name == "jam"
            pump(
                lambda: (
                    ("validator_jammed" in runner.call(lambda: dict(demo.core.faults))) == jammed
                ),
                f"the kiosk to see the acceptor {'jammed' if jammed else 'cleared'}",
                WAIT_S,
            )
        elif name in ("paper_out", "paper_ok"):
            if demo.paper is None:
                raise StepFailed(f"{step.label()}: this kiosk has no simulated printer")
            runner.call(demo.paper.control, "paper-out" if name == "paper_out" else "paper-in")
            runner.call(lambda: demo.core.check_printer(force=True))
        else:
            if demo.link is None:
                raise StepFailed(f"{step.label()}: this kiosk has no ledger link")
            demo.link.set_outage(name == "ledger_down")
            worker = demo.worker
            if worker is not None:
                worker.retry_now()
                if name == "ledger_up":
                    # The worker's thread sends in real time: the journey goes on once what
                    # waited has been sent and answered, as a customer would see it.
                    pump(
                        lambda: worker.state().pending_count == 0,
                        "the payments waiting for the ledger to be sent",
                        WAIT_S,
                    )

    def idle(self, step: Step) -> None:
        """Simulated seconds pass, one at a time, the core's timers ticking each second."""
        left = float(step.value)
        core = self.demo.core
        while left > 0:
            delta = min(1.0, left)
            self.clock.advance(delta)
            left -= delta
            self.demo.runner.call(core.tick)
            self.ui.service.checkIdle()  # the service menu's logout runs on the same clock
            self.ui.kiosk.show_guide()  # the footer's clock and the attract layer
            for _ in range(3):
                self.loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

    def service(self, step: Step) -> None:
        """The hidden corner held: the service menu's PIN pad (the demo technician is
        registered first when the kiosk has none)."""
        technicians = self.demo.technicians
        try:
            registered = technicians.is_set
        except LegacyPinFile:
            registered = False
        if not registered:
            technicians.add(DEMO_TECHNICIAN, DEMO_PIN, number=1)
        self.ui.service.open()
        self.sync()

    # -- the eyes --------------------------------------------------------------------------
    def what_is_seen(self) -> str:
        texts = " | ".join(" ".join(text.split()) for text in self.texts())
        return f"screen {self.screen()!r}: {texts}"

    def expect_screen(self, step: Step) -> None:
        if self.screen() != step.value:
            raise StepFailed(f"{step.label()}: not shown; {self.what_is_seen()}")

    def expect_text(self, step: Step) -> None:
        if not self.journey.checks_texts():
            return  # the file's text is in another language: seen() says it was not checked
        if not any(plain(step.value) in plain(text) for text in self.texts()):
            raise StepFailed(f"{step.label()}: not on the screen; {self.what_is_seen()}")

    def expect_no_text(self, step: Step) -> None:
        if not self.journey.checks_texts():
            return
        shown = [text for text in self.texts() if plain(step.value) in plain(text)]
        if shown:
            raise StepFailed(f"{step.label()}: shown in {shown[0]!r}; {self.what_is_seen()}")

    # -- the money -------------------------------------------------------------------------
    def payments(self) -> list[dict[str, Any]]:
        """The kiosk's payments with what the embedded ledger holds of each."""
        from sqlalchemy import select

        from kiosk.store.models import Payment

        store = self.demo.kiosk.store
        with store.reading() as s:
            rows = list(s.scalars(select(Payment).order_by(Payment.local_seq)))
            found: list[dict[str, Any]] = [
                {
                    "operation_id": row.operation_id,
                    "receipt_number": row.receipt_number,
                    "service": row.service_id,
                    "account": row.account,
                    "inserted": row.inserted,
                    "commission": row.commission,
                    "credited": row.credited,
                    "offline": row.offline,
                }
                for row in rows
            ]
        for payment in found:
            payment["ledger"] = self.ledger_status(payment["operation_id"])
        return found

    def ledger_status(self, operation_id: str) -> dict[str, Any] | None:
        link = self.demo.link
        if link is None or link.embedded is None:
            return None
        view = link.embedded[0].payment(operation_id)
        if view is None:
            return {"status": "not_received"}
        return {"status": str(view.status), "code": view.code, "reason": view.reason}

    def receipts(self) -> list[dict[str, Any]]:
        def number(path: Path) -> int:
            digits = "".join(c for c in path.stem if c.isdigit())
            return int(digits or 0)

        paths = sorted(self.demo.receipts_dir.glob("receipt-*.txt"), key=number)
        return [{"file": p.name, "text": p.read_text("utf-8")} for p in paths]


def plain(text: str) -> str:
    """Text as a journey file spells it: any run of spaces (the screens' no-break spaces
    between thousands and before ₸ included) is one space."""
    return " ".join(text.split())


def reading_order(found: list[tuple[float, float, str]]) -> list[str]:
    """Texts by line (tops within LINE_TOLERANCE_PX), each line left to right."""
    lines: list[list[tuple[float, float, str]]] = []
    for item in sorted(found):
        if lines and item[0] - lines[-1][0][0] <= LINE_TOLERANCE_PX:
            lines[-1].append(item)
        else:
            lines.append([item])
    return [text for line in lines for _, _, text in sorted(line, key=lambda i: i[1])]


def play_journey(journey: Journey, *, size: tuple[int, int], shots: Path | None = None) -> Played:
    """Open the kiosk window on a fresh state directory (its ledger holding the journey's
    wallets), play, close."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="kiosk-journey-") as tmp:
        if journey.wallets is not None:  # refused wallets: nothing runs
            seed_wallets(Path(tmp), journey.wallets)
        if shots is not None:
            try:
                shots.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise JourneyFileError(f"cannot make --shots {shots}: {exc.strerror}") from exc
        try:
            player = Player(journey, Path(tmp), size=size, shots=shots)
        except Timeout as exc:
            raise StepFailed(f"the kiosk window did not come up: {exc}") from exc
        try:
            return player.play()
        finally:
            player.close()
