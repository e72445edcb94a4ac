"""Does every text fit? A checker over the live QQuickItem tree of the kiosk window.

For every visible text item (QQuickText: KText, button labels, the big number fields) it
reports text that is elided or truncated, text painted beyond its parent, beyond a clipping
ancestor, beyond its screen or beyond the window, and text that overlaps another visible
text or a button it is not part of. Hidden items (visible: false, zero opacity, or under a
hidden ancestor) are skipped: the screens all exist at once and only one is shown.

Simulation side: the layout test and anyone looking at a new screen use it; production
never imports it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import QRectF
from PySide6.QtQml import QQmlExpression, qmlEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow

from kiosk.domain.money import Language
from kiosk.sim.ui.screenshots import Shooter
from ui.eventloop import pump, settle
from ui.i18n import LANGUAGES

TOLERANCE = 1.0  # px: anti-aliased edges and rounding, not a defect
# Per state and language: two frames or so for the layout to follow (the walk's time is
# mostly these waits, ~340 of them a size).
SETTLE_MS = 40
# QQuickText's alignment enums (Qt.AlignLeft ... Qt.AlignVCenter).
_ALIGN_RIGHT, _ALIGN_HCENTER, _ALIGN_BOTTOM, _ALIGN_VCENTER = 0x2, 0x4, 0x40, 0x80


@dataclass(frozen=True)
class Finding:
    """One text that does not fit, with where it is."""

    screen: str
    language: str
    size: str
    item: str  # objectName, or the text's start
    problem: str
    geometry: str

    def __str__(self) -> str:
        where = f"{self.size} {self.language} {self.screen}"
        return f"{where}: {self.item!r} {self.problem} ({self.geometry})"


@dataclass(frozen=True)
class _Text:
    item: QQuickItem
    name: str
    painted: QRectF  # scene coordinates
    seen: QRectF  # the part the customer sees now: inside a scrolling area, its viewport's


def _shown(item: QQuickItem) -> bool:
    return item.isVisible() and item.opacity() > 0.0


def _is_text(item: QQuickItem) -> bool:
    return item.inherits("QQuickText") and bool(str(item.property("text") or "").strip())


def _is_button(item: QQuickItem) -> bool:
    return "KButton" in item.metaObject().className()


def _name(item: QQuickItem) -> str:
    if item.objectName():
        return item.objectName()
    text = " ".join(str(item.property("text") or "").split())
    return text[:40] + ("…" if len(text) > 40 else "")


def _scene_rect(item: QQuickItem, rect: QRectF | None = None) -> QRectF:
    return item.mapRectToScene(
        rect if rect is not None else QRectF(0, 0, item.width(), item.height())
    )


def painted_rect(item: QQuickItem) -> QRectF:
    """Where a Text's glyphs are, in its own coordinates: its content box placed by its
    alignment (a word longer than the width runs out of the box; contentWidth says so)."""
    width, height = item.width(), item.height()
    content_w = float(item.property("contentWidth"))
    content_h = float(item.property("contentHeight"))
    h_align = _enum(item, "effectiveHorizontalAlignment")
    v_align = _enum(item, "verticalAlignment")
    x = 0.0
    if h_align & _ALIGN_RIGHT:
        x = width - content_w
    elif h_align & _ALIGN_HCENTER:
        x = (width - content_w) / 2
    y = 0.0
    if v_align & _ALIGN_BOTTOM:
        y = height - content_h
    elif v_align & _ALIGN_VCENTER:
        y = (height - content_h) / 2
    return QRectF(x, y, content_w, content_h)


def _enum(item: QQuickItem, name: str) -> int:
    """An enum property as a number (PySide cannot convert QQuickText's alignment enums;
    QML can, with the item as its scope)."""
    engine = qmlEngine(item)
    if engine is None:
        return 0
    value, _undefined = QQmlExpression(engine.rootContext(), item, f"{name} + 0").evaluate()
    return int(value or 0)


def _inside(inner: QRectF, outer: QRectF) -> bool:
    return (
        inner.left() >= outer.left() - TOLERANCE
        and inner.top() >= outer.top() - TOLERANCE
        and inner.right() <= outer.right() + TOLERANCE
        and inner.bottom() <= outer.bottom() + TOLERANCE
    )


def _overlap(a: QRectF, b: QRectF) -> bool:
    both = a.intersected(b)
    return both.width() > TOLERANCE and both.height() > TOLERANCE


def _geometry(rect: QRectF) -> str:
    return f"x={rect.x():.0f} y={rect.y():.0f} w={rect.width():.0f} h={rect.height():.0f}"


class Checker:
    """Checks the window as it is drawn now; ``screen``, ``language`` and ``size`` only
    label the findings."""

    def __init__(self, window: QQuickWindow) -> None:
        self.window = window

    def check(self, screen: str, language: str, size: str) -> list[Finding]:
        texts: list[_Text] = []
        buttons: list[tuple[QQuickItem, QRectF]] = []  # each with the part that shows
        findings: list[Finding] = []

        def found(name: str, problem: str, rect: QRectF) -> None:
            findings.append(Finding(screen, language, size, name, problem, _geometry(rect)))

        root = self.window.contentItem()
        for item, bounds, viewport in self._walk(root, [], self._top(root)):
            if _is_button(item):
                whole = _scene_rect(item)
                buttons.append((item, whole if viewport is None else whole.intersected(viewport)))
            if _is_text(item):
                painted = _scene_rect(item, painted_rect(item))
                seen = painted if viewport is None else painted.intersected(viewport)
                text = _Text(item, _name(item), painted, seen)
                texts.append(text)
                self._fit(text, bounds, found, scrolled=viewport is not None)
        self._overlaps(texts, buttons, found)
        return findings

    @staticmethod
    def _top(root: QQuickItem) -> list[QQuickItem]:
        """What the customer sees: the "still there?" overlay or the attract layer covers
        the screen under it (its texts sit over the screen's by design), else the whole
        window."""
        children = root.childItems()
        covers = ("attentionOverlay", "attractScreen")
        cover = [c for c in children if c.objectName() in covers and _shown(c)]
        return cover[-1:] or children

    def _walk(
        self,
        item: QQuickItem,
        bounds: list[tuple[str, QRectF]],
        children: list[QQuickItem] | None = None,
        viewport: QRectF | None = None,
    ) -> Iterator[tuple[QQuickItem, list[tuple[str, QRectF]], QRectF | None]]:
        """Every shown item with the rects its text must stay in: its parent's, each
        clipping ancestor's, its screen's and the window's. Inside a scrolling area
        (a Flickable) the customer can bring any of its content into view: there a text
        must stay in the scrolled content (and its parent), not in the viewport, and only
        the part in the viewport can cover anything."""
        for child in item.childItems() if children is None else children:
            if not _shown(child):
                continue
            own = [("parent", _scene_rect(item))] + [b for b in bounds if b[0] != "parent"]
            yield child, own, viewport
            deeper = [b for b in bounds if b[0] != "parent"]
            inner = viewport
            if _is_scrolling(child):
                inner = _scene_rect(child)
                if viewport is not None:
                    inner = inner.intersected(viewport)
                deeper = [("scrolled content", _content_rect(child))]
            elif child.clip() and viewport is None:
                deeper.append((f"clipping {_name(child) or 'item'}", _scene_rect(child)))
            if item.objectName() == "screens":
                deeper.append(("screen", _scene_rect(child)))
            yield from self._walk(child, deeper, viewport=inner)

    def _fit(
        self,
        text: _Text,
        bounds: list[tuple[str, QRectF]],
        found: Callable[[str, str, QRectF], None],
        scrolled: bool = False,
    ) -> None:
        if text.item.property("truncated"):
            found(text.name, "is elided or truncated", text.painted)
        window = QRectF(0, 0, self.window.width(), self.window.height())
        for what, rect in [*bounds, *([] if scrolled else [("window", window)])]:
            if not _inside(text.painted, rect):
                found(text.name, f"is painted beyond its {what} ({_geometry(rect)})", text.painted)

    def _overlaps(
        self,
        texts: list[_Text],
        buttons: list[tuple[QQuickItem, QRectF]],
        found: Callable[[str, str, QRectF], None],
    ) -> None:
        for index, one in enumerate(texts):
            for other in texts[index + 1 :]:
                if _overlap(one.seen, other.seen):
                    found(one.name, f"overlaps the text {other.name!r}", one.painted)
            for button, rect in buttons:
                if _within(one.item, button):
                    continue
                if _overlap(one.seen, rect):
                    where = _geometry(rect)
                    found(one.name, f"overlaps the button {_name(button)!r} ({where})", one.painted)


def _is_scrolling(item: QQuickItem) -> bool:
    return item.inherits("QQuickFlickable")


def _content_rect(flickable: QQuickItem) -> QRectF:
    """A Flickable's whole content, where it is scrolled to now, in scene coordinates."""
    content = flickable.property("contentItem")
    width = max(float(flickable.property("contentWidth")), flickable.width())
    height = max(float(flickable.property("contentHeight")), flickable.height())
    return _scene_rect(content, QRectF(0, 0, width, height))


def _within(item: QQuickItem | None, ancestor: QQuickItem) -> bool:
    while item is not None:
        if item is ancestor:
            return True
        item = item.parentItem()
    return False


class LayoutWalk(Shooter):
    """The screenshot walk, checking instead of saving: at each state every language in
    place (kiosk.setLanguage), then back to the walk's own language."""

    def __init__(
        self,
        shooter: Shooter,
        size: str,
        languages: tuple[Language, ...] = LANGUAGES,
        *,
        large_text: bool = False,
    ):
        super().__init__(shooter.ui, shooter.demo, Path())
        self.size, self.languages = size, languages
        self.large_text = large_text
        self.checker = Checker(self.ui.window)
        self.findings: list[Finding] = []
        self.service_findings: list[Finding] = []  # the service menu's pages, kept apart
        self.checked: list[str] = []

    def shot(self, name: str, again: Callable[[], None] | None = None) -> None:
        vm = self.ui.kiosk
        self.keep_text_size()
        walking = cast(Language, str(vm.language))
        for language in (*[lang for lang in self.languages if lang != walking], walking):
            self._switch(language, again)
            settle(SETTLE_MS)
            label = f"large {self.size}" if self.large_text else self.size
            found = self.checker.check(name, language, label)
            if str(self.ui.service.mode) == "closed":
                self.findings += found
            else:
                self.service_findings += found
            self.checked.append(f"{self.size}/{language}/{name}")

    def _switch(self, language: Language, again: Callable[[], None] | None) -> None:
        """Another language with the same state drawn: a preview is drawn again in it
        (the core's answer to the switch would replace it), an entry error brought back."""
        vm = self.ui.kiosk
        drawn = vm.snapshot
        previewing = drawn is not vm._core_snapshot
        vm.setLanguage(language)
        pump(lambda: vm._core_snapshot.language == language, f"the core to speak {language}")
        if previewing:
            vm.preview(dataclasses.replace(drawn, language=language))
        if again is not None:
            again()


def check_walk(shooter: Shooter, size: str, *, large_text: bool = False) -> LayoutWalk:
    """Walk every state once in this window's size and check each in every language (with
    large text: the customer's states)."""
    walk = LayoutWalk(shooter, size, large_text=large_text)
    try:
        walk.walk()
    finally:
        walk.large_text = False
        walk.keep_text_size()
    return walk
