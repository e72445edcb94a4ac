"""Every screen fits in kk, ru and en at 1080×1920, 1920×1080 and 1280×1024: no text
elided, painted beyond its parent, its screen or the window, or over another text or a
button. One window and one walk per size (the screenshot walk), each state checked in all
three languages in place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication

from kiosk.sim.ui.demo import start_demo
from kiosk.sim.ui.layout import Checker, check_walk
from kiosk.sim.ui.screenshots import SIZES, Shooter, open_window
from tests.ui.helpers import find_item
from ui.eventloop import settle
from ui.window import close_ui

SERVICE_FINDINGS: dict[str, list[str]] = {}  # per size, from the walk in the first test


@pytest.fixture(scope="module")
def shooter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shooter]:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    demo = start_demo(tmp_path_factory.mktemp("layout"))
    ui = open_window(app, demo)
    try:
        yield Shooter(ui, demo, Path())
    finally:
        close_ui(ui)
        demo.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_every_screen_fits_in_every_language(
    size: str, shooter: Shooter, qapp: QCoreApplication
) -> None:
    shooter.resize(SIZES[size])
    walk = check_walk(shooter, size)
    # The walk reached every state: the attract layer, the customer's (with the previews)
    # and the service menu.
    assert len(walk.checked) == 3 * 38
    SERVICE_FINDINGS[size] = [str(finding) for finding in walk.service_findings]
    assert not walk.findings, "\n".join(str(finding) for finding in walk.findings)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_customer_screen_fits_with_large_text(
    size: str, shooter: Shooter, qapp: QCoreApplication
) -> None:
    """The "Aa" switch on (the theme's text x1.3): every customer state still fits, or
    what does not scrolls (a Flickable) to where the customer can reach it."""
    shooter.resize(SIZES[size])
    walk = check_walk(shooter, size, large_text=True)
    assert len(walk.checked) == 3 * 29  # the customer's states, no attract layer, no menu
    assert not shooter.ui.kiosk.guide_view.large_text  # the next test sees normal text
    assert not walk.findings, "\n".join(str(finding) for finding in walk.findings)


@pytest.mark.parametrize("size", list(SIZES))
def test_every_service_page_fits_in_every_language(size: str) -> None:
    if size not in SERVICE_FINDINGS:
        pytest.skip("the walk in this size did not run")
    assert not SERVICE_FINDINGS[size], "\n".join(SERVICE_FINDINGS[size])


def test_the_checker_finds_a_text_that_does_not_fit(
    shooter: Shooter, qapp: QCoreApplication
) -> None:
    """A planted defect: a long word on the idle screen's start button runs out of it, a
    long message under the keypad overlaps nothing only if it fits."""
    shooter.resize(SIZES["portrait"])
    ui = shooter.ui
    ui.kiosk.setLanguage("en")
    ui.kiosk.showPage("idle")
    settle()
    checker = Checker(ui.window)
    assert checker.check("idle", "en", "portrait") == []
    button = find_item(ui.window.contentItem(), "lang_en")
    assert button is not None
    original = button.property("text")
    try:
        button.setProperty("text", "Supercalifragilisticexpialidocious" * 3)
        settle()
        findings = checker.check("idle", "en", "portrait")
    finally:
        button.setProperty("text", original)
        settle()
    assert findings, "a word three times the button's width went unnoticed"
    assert any("beyond" in finding.problem for finding in findings)
    assert all(finding.screen == "idle" and finding.size == "portrait" for finding in findings)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_keypad_stays_put_when_an_error_appears(
    size: str, shooter: Shooter, qapp: QCoreApplication
) -> None:
    """Errors have a fixed place: a finger aimed at a key still hits it after a wrong
    number is refused."""
    shooter.resize(SIZES[size])
    ui, vm = shooter.ui, shooter.ui.kiosk
    vm.setLanguage("ru")
    vm.showPage("idle")
    vm.chooseService("qplus")
    shooter.screen("entry")
    settle()
    key = find_item(ui.window.contentItem(), "key_5")
    assert key is not None
    before = key.mapToScene(key.boundingRect().center())
    for digit in "7011":
        vm.keypad(digit)
    vm.submitAccount()
    settle()
    assert vm.session.accountError != ""
    after = key.mapToScene(key.boundingRect().center())
    assert (after.x(), after.y()) == (before.x(), before.y())
    vm.cancel()
    shooter.screen("idle")
