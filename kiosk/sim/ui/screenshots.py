"""Every screen in every language, offscreen, to PNG: a real customer walk on simulated
devices and an embedded ledger, plus previews of the states that pass in a blink."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from drivers.sim.bill.mechanics import SimulatorRefused
from kiosk.domain.money import Language
from kiosk.session import Attention, State
from kiosk.sim.ui.demo import DemoKiosk, start_demo
from ui.eventloop import Timeout, pump, settle
from ui.i18n import LANGUAGES
from ui.views import ATTRACT_AFTER_S
from ui.window import LANDSCAPE, PORTRAIT, SQUARE, KioskUi, build_ui, close_ui

SIZES = {"portrait": PORTRAIT, "landscape": LANDSCAPE, "square": SQUARE}
SCREENSHOT_PIN = "246801"  # technician 1


class ScreenshotError(Exception):
    """A screen did not come up while rendering screenshots."""


def parse_size(text: str) -> tuple[str, tuple[int, int]]:
    """A size by name (``portrait``, ``landscape``, ``square``) or as ``WxH``; a known
    ``WxH`` keeps its name, so the file names stay the same either way."""
    if text in SIZES:
        return text, SIZES[text]
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or not int(width) or not int(height):
        raise ValueError(
            f"a size is portrait, landscape, square or WxH such as 1280x1024, not {text!r}"
        )
    size = (int(width), int(height))
    for name, known in SIZES.items():
        if known == size:
            return name, size
    return f"{size[0]}x{size[1]}", size


class Shooter:
    """Walks one kiosk window through its screens and saves each. The walk is shared:
    the layout test walks the same states and checks each instead of saving it
    (kiosk.sim.ui.layout), so ``shot`` is the one place a state is reached."""

    def __init__(self, ui: KioskUi, demo: DemoKiosk, out: Path) -> None:
        self.ui, self.demo, self.out = ui, demo, out
        self.saved: list[Path] = []
        self.prefix = ""
        # The customer's "Aa" switch held on for every state: the session's end turns it
        # off, so each shot turns it on again.
        self.large_text = False

    def resize(self, size: tuple[int, int]) -> None:
        """The window in another size (the QML binds its size to these properties)."""
        context = self.ui.engine.rootContext()
        context.setContextProperty("kioskWidth", size[0])
        context.setContextProperty("kioskHeight", size[1])
        pump(
            lambda: (self.ui.window.width(), self.ui.window.height()) == size,
            f"the window to be {size[0]}x{size[1]}",
        )
        settle()

    def shot(self, name: str, again: Callable[[], None] | None = None) -> None:
        """A state reached: saved as PNG. ``again`` brings the state back after a change of
        language (an entry error is cleared by one), for walks that switch in place."""
        self.keep_text_size()
        settle()
        path = self.out / f"{self.prefix}{name}.png"
        if not self.ui.window.grabWindow().save(str(path)):
            raise ScreenshotError(f"cannot write {path}")
        self.saved.append(path)

    def keep_text_size(self) -> None:
        """The large-text switch as this walk wants it (a session's end resets it)."""
        vm = self.ui.kiosk
        if vm.guide_view.large_text != self.large_text:
            vm.toggleLargeText()

    def attract_walk(self) -> None:
        """The untouched idle screen's attract layer (as if a quiet minute had passed on
        the kiosk clock), then a tap taking it away."""
        vm = self.ui.kiosk
        vm._guide_state.touched_at = self.demo.clock.monotonic() - ATTRACT_AFTER_S - 1
        vm.show_guide()
        pump(lambda: vm.guide_view.attract, "the attract layer")
        self.shot("00_attract")
        vm.dismissAttract()
        pump(lambda: not vm.guide_view.attract, "the attract layer to go")

    def screen(self, name: str) -> None:
        pump(lambda: self.ui.kiosk.screen == name, f"the {name} screen")

    def feed(self, action: Callable[[], None]) -> None:
        """Do something to the simulator once it is ready (done with the last note)."""

        def done() -> bool:
            try:
                action()
            except SimulatorRefused:
                return False
            return True

        pump(done, "the acceptor to be ready")

    def insert(self, tenge: int) -> None:
        device = self.demo.device
        pump(lambda: tenge * 100 in device.enabled_amounts, f"the {tenge} note to be enabled")
        count = len(self.ui.kiosk.snapshot.notes)
        self.feed(lambda: device.insert(tenge * 100))
        pump(
            lambda: (
                len(self.ui.kiosk.snapshot.notes) > count
                and not self.ui.kiosk.snapshot.note_in_progress
            ),
            f"the {tenge} note to stack",
        )

    def number_entry_walk(self) -> None:
        """The 8 read as +7, the eleventh digit refused, the wrong-operator warning."""
        vm = self.ui.kiosk
        vm.chooseService("beeline")
        self.screen("entry")
        for key in "87011234567":
            vm.keypad(key)
        self.shot("05b_entry_eight_read_as_plus_seven")
        vm.keypad("1")
        self.shot("05c_entry_number_complete")
        vm.submitAccount()
        self.screen("confirm")
        self.shot("05d_confirm_other_operator")
        vm.chooseOtherOperator()
        self.screen("catalog")

    def customer_walk(self) -> None:
        vm = self.ui.kiosk
        self.shot("01_idle")
        vm.preview(dataclasses.replace(vm.snapshot, online=False))
        self.shot("02_idle_offline")
        vm.resync()
        vm.showPage("info")
        self.shot("03_info")
        vm.showCategory("ewallet")
        self.shot("04_catalog_ewallet")
        vm.showCategory("mobile")
        self.shot("05_catalog_mobile")
        self.number_entry_walk()
        vm.chooseService("qplus")
        self.screen("entry")
        for key in "7011":
            vm.keypad(key)
        vm.submitAccount()
        self.shot("06_entry_wrong_number", again=vm.submitAccount)
        for key in "234567":
            vm.keypad(key)
        self.shot("07_entry")
        vm.submitAccount()
        self.screen("confirm")
        self.shot("08_confirm")
        vm.preview(
            dataclasses.replace(
                vm.snapshot,
                attention=Attention.STILL_THERE,
                attention_deadline=self.demo.clock.monotonic() + 20,
            )
        )
        self.shot("09_still_there")
        vm.resync()
        vm.confirmAccount()
        self.screen("checked")
        self.shot("10_checked")
        vm.preview(dataclasses.replace(vm.snapshot, receipt_choice=True, printer_state="paper_out"))
        self.shot("10b_checked_no_receipt")
        vm.resync()
        vm.startCash()
        self.screen("cash")
        self.shot("11_cash_empty")
        # The offline banner takes height from the cash screen: its rules and messages stay.
        vm.preview(dataclasses.replace(vm.snapshot, online=False))
        self.shot("11b_cash_offline")
        vm.resync()
        self.insert(1000)
        self.feed(self.demo.device.insert_fake)
        pump(lambda: vm.cash.returnedText != "", "the fake note to come back")
        self.shot("12_cash_with_returned_note")
        vm.preview(
            dataclasses.replace(
                vm.snapshot,
                attention=Attention.COMPLETING,
                attention_deadline=self.demo.clock.monotonic() + 30,
            )
        )
        self.shot("13_completing")
        vm.preview(
            dataclasses.replace(
                vm.snapshot,
                attention=Attention.NONE,
                in_service=False,
                out_of_service_reasons=("validator_jammed",),
                enabled_notes=frozenset(),
            )
        )
        self.shot("13b_cash_jammed")
        vm.preview(dataclasses.replace(vm.snapshot, state=State.PAYING, attention=Attention.NONE))
        self.shot("14_printing")
        vm.resync()
        vm.pay()
        self.screen("thanks")
        self.shot("15_thanks")
        # The ledger's answers as they arrive, and a below-minimum completion (each a
        # variant of the paid snapshot, not of the previous preview).
        paid = vm.snapshot
        for name, changes in (
            ("15b_thanks_credited", {"ledger_status": "credited"}),
            ("15c_thanks_not_credited", {"ledger_status": "held"}),
            ("15d_thanks_below_minimum", {"ledger_status": "pending", "below_minimum": True}),
            ("15e_thanks_no_receipt", {"printed": False}),
        ):
            vm.preview(dataclasses.replace(paid, **changes))
            self.shot(name)
        vm.resync()
        receipt = str(vm.snapshot.receipt_number)
        inserted = str(vm.snapshot.inserted.tiyn // 100)
        operation = str(vm.snapshot.operation_id)
        vm.finish()
        self.screen("idle")
        vm.showPage("status")
        for key in receipt:
            vm.statusKey(key)
        vm.lookUpStatus()  # the receipt number; the amount is asked next
        self.shot("16_status_amount")
        for key in inserted:
            vm.statusKey(key)
        vm.lookUpStatus()
        self.shot("16_status")
        vm.setStatusMode("operation")
        for key in operation.replace("-", ""):
            vm.statusKey(key)
        vm.lookUpStatus()
        self.shot("16b_status_by_operation")
        vm.showPage("idle")
        self.demo.device.jam()
        self.screen("out_of_service")
        self.shot("17_out_of_service")
        self.demo.device.clear()
        self.screen("idle")

    def service_walk(self) -> None:
        service = self.ui.service
        service.open()
        for keys in ("1", "111111"):  # a wrong PIN: the pad says so and asks who again
            for key in keys:
                service.pinKey(key)
            service.submitPin()
        self.shot("18_service_pin")
        for keys in ("1", SCREENSHOT_PIN):
            for key in keys:
                service.pinKey(key)
            service.submitPin()
        pump(lambda: str(service.mode) == "menu", "the service menu")
        self.shot("19_service_menu")
        service.encash()  # the encashment's pages: preview, count, review
        pump(lambda: str(service.encashStep) == "preview", "the encashment preview")
        self.shot("19a_service_encash_preview")
        service.encashCount()
        for key in "15000":
            service.countKey(key)
        self.shot("19b_service_encash_count")
        service.encashReview()
        self.shot("19c_service_encash_confirm")
        for _ in range(3):
            service.encashBack()
        service.showPage("printer")
        self.shot("20_service_printer")
        service.showPage("acceptance")
        self.shot("21_service_note_test")
        service.showPage("log")
        self.shot("22_service_log")
        service.close()

    def walk(self) -> None:
        """Every state once, the customer's and the technician's; with large text on, the
        customer's (the attract layer is before any customer, the menu is not theirs)."""
        if self.large_text:
            self.customer_walk()
            return
        self.attract_walk()
        self.customer_walk()
        self.service_walk()


def open_window(app: QGuiApplication, demo: DemoKiosk) -> KioskUi:
    """The kiosk window on the demo's core, exposed and drawn once."""
    demo.technicians.add("Technician", SCREENSHOT_PIN, number=1)
    ui = build_ui(
        app,
        demo.runner,
        demo.kiosk.catalog,
        demo.config.terminal,
        clock=demo.clock,
        technicians=demo.technicians,
        worker=demo.worker,
        quit_kiosk=lambda: None,
    )
    pump(ui.window.isExposed, "the window")
    settle()
    return ui


def render_all(
    out: Path,
    *,
    languages: tuple[Language, ...] = LANGUAGES,
    sizes: tuple[str, ...] = tuple(SIZES),
) -> list[Path]:
    """Render the screens into ``out`` as ``<size>_<lang>_<NN_screen>.png``, and the
    customer's again with large text on as ``large_<size>_<lang>_<NN_screen>.png``; a size
    is a name or ``WxH`` (parse_size)."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        raise ScreenshotError("create a QGuiApplication first")
    try:
        chosen = [parse_size(size) for size in sizes]
    except ValueError as exc:
        raise ScreenshotError(str(exc)) from exc
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-screens-") as state:
        demo = start_demo(Path(state))
        try:
            ui = open_window(app, demo)
            shooter = Shooter(ui, demo, out)
            for name, size in chosen:
                shooter.resize(size)
                for large_text in (False, True):
                    shooter.large_text = large_text
                    for language in languages:
                        shooter.prefix = f"{'large_' if large_text else ''}{name}_{language}_"
                        ui.kiosk.setLanguage(language)
                        shooter.walk()
                shooter.large_text = False
                shooter.keep_text_size()
            close_ui(ui)
        except Timeout as exc:
            raise ScreenshotError(str(exc)) from exc
        finally:
            demo.close()
    return shooter.saved
