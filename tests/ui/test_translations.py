"""Every customer string in kk, ru and en; the bundled font draws every Kazakh letter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont

from ui.i18n import I18N_DIR, LANGUAGES, read_ts
from ui.texts import CONTEXT
from ui.window import FONT_FILES, UI_DIR

QML_STRING = re.compile(r'qsTr\("((?:[^"\\]|\\.)*)"\)')
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def ui_strings() -> set[tuple[str, str]]:
    """(context, source) of every string the screens show: qsTr in QML, _t in Python."""
    found: set[tuple[str, str]] = set()
    for path in (UI_DIR / "qml").rglob("*.qml"):
        found |= {(path.stem, text) for text in QML_STRING.findall(path.read_text())}
    for path in UI_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add((CONTEXT, str(node.args[0].value)))
    return found


def test_the_screens_have_strings_to_translate() -> None:
    assert len(ui_strings()) > 60


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_string_has_a_finished_translation(language: str) -> None:
    catalogue = read_ts(I18N_DIR / f"{language}.ts")
    missing = sorted(key for key in ui_strings() if not catalogue.get(key))
    assert not missing, f"untranslated in {language}: {missing}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_no_string_is_left_in_english(language: str) -> None:
    catalogue = read_ts(I18N_DIR / f"{language}.ts")
    same = sorted(
        source
        for (context, source), text in catalogue.items()
        if text == source and re.search("[A-Za-z]{3}", source.replace("PIN", ""))
    )
    assert not same, f"{language} shows English: {same}"


def test_kazakh_text_uses_kazakh_letters() -> None:
    catalogue = read_ts(I18N_DIR / "kk.ts")
    assert sum(any(ch in KAZAKH_LETTERS for ch in text) for text in catalogue.values()) > 40


@pytest.mark.parametrize("font_file", FONT_FILES)
def test_the_bundled_font_draws_every_kazakh_letter_and_the_tenge_sign(
    font_file: str, qapp: object
) -> None:
    # QRawFont needs the application object (fonts are a GUI resource): without it Qt crashes.
    font = QRawFont(str(UI_DIR / "fonts" / font_file), 40)
    assert font.isValid()
    assert all(font.supportsCharacter(ord(ch)) for ch in KAZAKH_LETTERS + "₸№")
    assert (UI_DIR / "fonts" / "LICENSE").read_text().count("DejaVu") > 0


def test_the_catalogue_files_are_valid_linguist_xml(tmp_path: Path) -> None:
    for language in LANGUAGES:
        assert read_ts(I18N_DIR / f"{language}.ts")
